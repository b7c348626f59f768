"""The history page: every change to one assessment, newest first (built in history.py),
a page of events at a time, so that no number of saves makes it unbounded work."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from indicators.access import get_assessment_for_user
from indicators.forms.review import ReasonForm
from indicators.fragments import kept_check, part_key
from indicators.history import assessment_history
from indicators.http import AuthenticatedHttpRequest
from indicators.models import CriterionResult

EVENTS_PER_PAGE = 20


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    key = part_key(request, "history")  # before anything the page shows is read
    # A view from the cache has passed this check under the same key (fragments.kept_check).
    check = kept_check(key, lambda: get_assessment_for_user(request, pk))
    access = check.seen_by(request.user)
    assessment = access.assessment

    def load_page() -> dict[str, object]:
        # Only when the page is not in the fragments cache under the data version.
        # The results once, for the filter, the events and the scores (met_count).
        results = CriterionResult.objects.select_related("criterion").order_by("criterion__order")
        prefetch_related_objects([assessment], Prefetch("results", queryset=results))
        result = None
        if request.GET.get("result", "").isdigit():
            chosen = int(request.GET["result"])
            result = next((r for r in assessment.results.all() if r.pk == chosen), None)
            if result is None:
                raise Http404
        events = assessment_history(
            assessment, result_id=result.pk if result else None, results=assessment.results.all()
        )
        # Only the shown page's text diffs are computed (Change.diff is lazy).
        page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        return {
            "access": access,
            "events": page,
            "page": page,
            "result": result,
            "results": assessment.results.all(),
            "reopen_form": ReasonForm(),
        }

    context = {
        "assessment": assessment,
        "page_key": key,
        "load_page": load_page,
    }
    return render(request, "indicators/history.html", context)
