"""The history page: every change to one assessment, newest first (built in history.py),
a page of events at a time, so that no number of saves makes it unbounded work."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from indicators.access import get_assessment_for_user
from indicators.forms.review import ReasonForm
from indicators.history import assessment_history
from indicators.http import AuthenticatedHttpRequest

EVENTS_PER_PAGE = 20


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = get_assessment_for_user(request, pk)
    assessment = access.assessment
    result = None
    if request.GET.get("result", "").isdigit():
        result = get_object_or_404(
            assessment.results.select_related("criterion"), pk=request.GET["result"]
        )
    events = assessment_history(assessment, result_id=result.pk if result else None)
    # Only the shown page's text diffs are computed (Change.diff is lazy).
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "assessment": assessment,
        "access": access,
        "events": page,
        "page": page,
        "result": result,
        "results": assessment.results.select_related("criterion"),
        "transitions": assessment.transitions.select_related("by"),
        "reopen_form": ReasonForm(),
    }
    return render(request, "indicators/history.html", context)
