"""The dashboard: a line per unit of a cycle (counts by status, means) and a chart; a
unit's, an indicator's or a status's assessments one page at a time behind each line."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from indicators.access import (
    dashboard_units_for_user,
)
from indicators.charts import score_bar_chart
from indicators.dashboard import add_last_change, cycle_assessments, summarise
from indicators.forms.dashboard import DashboardFilterForm
from indicators.fragments import kept_check, part_key
from indicators.http import AuthenticatedHttpRequest
from indicators.models import Cycle, Unit

ROWS_PER_PAGE = 100
# Whoever sees this few units (a head of one or two) sees their assessments at once.
DETAIL_UNITS = 2


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest, cycle_pk: int | None = None) -> HttpResponse:
    key = part_key(request, "dashboard")  # before anything the page shows is read

    def ask() -> Cycle | None:
        dashboard_units_for_user(request.user)  # refuses those who may not see the page
        if cycle_pk is None:
            return Cycle.objects.current()
        return get_object_or_404(Cycle, pk=cycle_pk)

    # A view from the cache has passed this check under the same key (fragments.kept_check).
    cycle = kept_check(key, ask)
    if cycle is None:
        return render(request, "indicators/dashboard.html", {"cycle": None})

    def load_page() -> dict[str, object]:
        # Only when the page is not in the fragments cache under the data version.
        return _dashboard_context(request, dashboard_units_for_user(request.user), cycle)

    context = {
        "cycle": cycle,
        "page_key": key,
        "load_page": load_page,
        "nav_key": part_key(request, "admin-nav"),
    }
    return render(request, "indicators/dashboard.html", context)


def _dashboard_context(
    request: AuthenticatedHttpRequest, units: QuerySet[Unit], cycle: Cycle
) -> dict[str, object]:
    form = DashboardFilterForm(request.GET or None, units=units, cycle=cycle)
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("unit"):
        units = units.filter(pk=filters["unit"].pk)
    filtered = any(filters.values())
    summaries = summarise(cycle_assessments(cycle=cycle, units=units, last_change=filtered))
    # A line per unit with assessments in the cycle: few of them, their rows at once.
    detail = filtered or len(summaries) <= DETAIL_UNITS
    rows = [
        row
        for summary in summaries
        for row in summary.rows
        if (not filters.get("status") or row.status == filters["status"])
        and (not filters.get("indicator") or row.indicator_id == filters["indicator"].pk)
    ]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")) if detail else None
    if page is not None and not filtered:
        add_last_change(list(page))
    query = request.GET.copy()
    query.pop("page", None)
    chart = score_bar_chart(
        [(summary.unit.name, summary.self_mean) for summary in summaries],
        title=_("คะแนนเฉลี่ยการประเมินตนเองรายหน่วยงาน %(cycle)s") % {"cycle": cycle},
    )
    return {
        "cycles": Cycle.objects.all(),
        "form": form,
        "rows": page,
        "page_query": query.urlencode(),
        "summaries": summaries,
        "chart": chart,
    }
