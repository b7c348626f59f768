"""Protected files: a document and its thumbnail, for those who may see the unit.
(A unit's evidence bundle is a background report job: indicators/views/reports.py.)"""

import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evidence.access import get_unit_record_for_user
from evidence.models import Document
from indicators.http import AuthenticatedHttpRequest, without_page_csp

log = logging.getLogger("evidence.files")


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
def document_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The file itself, opened inline under its original name, for those who may see it.
    A row whose file is gone from storage says so in Thai (check_documents lists them)."""
    document = get_unit_record_for_user(request, Document, pk)[0]
    try:
        return _file_response(
            document.file, content_type=document.content_type, filename=document.original_name
        )
    except Http404:
        log.error("document %s: file %s missing from storage", document.pk, document.file.name)
        context = {"document": document}
        return render(request, "evidence/file_missing.html", context, status=404)


@login_required
@require_GET
def document_thumbnail(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    document = get_unit_record_for_user(request, Document, pk)[0]
    if not document.thumbnail:
        raise Http404
    return _file_response(document.thumbnail, content_type="image/png", filename="thumbnail.png")
