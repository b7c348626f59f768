"""Protected files: a document and its thumbnail for those who may see the unit, and the
unit's evidence bundle (the ZIP itself is built in bundle.py)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from evidence.access import get_unit_record_for_user
from evidence.bundle import bundle_filename, iter_bundle
from evidence.models import Document
from indicators.access import get_cycle_for_user, get_unit_for_user
from indicators.http import AuthenticatedHttpRequest, without_page_csp


@require_GET
@login_required
def bundle(request: AuthenticatedHttpRequest, unit_pk: int, cycle_pk: int) -> StreamingHttpResponse:
    unit = get_unit_for_user(request, unit_pk).unit
    cycle = get_cycle_for_user(request, cycle_pk)
    response = StreamingHttpResponse(
        iter_bundle(unit=unit, cycle=cycle), content_type="application/zip"
    )
    # As FileResponse does: the header is None only without a filename to name.
    if disposition := content_disposition_header(True, bundle_filename(unit=unit, cycle=cycle)):
        response["Content-Disposition"] = disposition
    return response


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
