"""Protected files: a document and its thumbnail, for those who may see the unit.
(A unit's evidence bundle is a background report job: indicators/views/reports.py.)"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from evidence.access import get_unit_record_for_user
from evidence.models import Document
from indicators.http import AuthenticatedHttpRequest, without_page_csp


def _file_response(field_file: Any, *, content_type: str, filename: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, filename=filename)
    # Evidence is private: never kept in a shared cache.
    response["Cache-Control"] = "private, no-cache"
    return response


@without_page_csp
@login_required
@require_GET
def document_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The file itself, opened inline under its original name, for those who may see it."""
    document = get_unit_record_for_user(request, Document, pk)[0]
    return _file_response(
        document.file, content_type=document.content_type, filename=document.original_name
    )


@login_required
@require_GET
def document_thumbnail(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    document = get_unit_record_for_user(request, Document, pk)[0]
    if not document.thumbnail:
        raise Http404
    return _file_response(document.thumbnail, content_type="image/png", filename="thumbnail.png")
