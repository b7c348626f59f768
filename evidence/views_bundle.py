"""The evidence bundle download (the ZIP itself is built in bundle.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from indicators.access import get_cycle_for_user, get_unit_for_user

from .bundle import bundle_filename, iter_bundle


@require_GET
@login_required
def bundle(request: HttpRequest, unit_pk: int, cycle_pk: int) -> StreamingHttpResponse:
    unit = get_unit_for_user(request, unit_pk)
    cycle = get_cycle_for_user(request, cycle_pk)
    response = StreamingHttpResponse(
        iter_bundle(unit=unit, cycle=cycle), content_type="application/zip"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, bundle_filename(unit=unit, cycle=cycle)
    )
    return response
