"""My work (the home page) and a unit's indicators in a cycle."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from indicators.access import (
    get_unit_for_user,
    visible_units,
)
from indicators.http import AuthenticatedHttpRequest
from indicators.models import Assessment, Cycle, Unit
from indicators.notifications import pending_items_for


def _assessment_rows(units: list[Unit], cycle: Cycle | None) -> QuerySet[Assessment]:
    """The units' assessments of the cycle, with what the tables show, in one query."""
    return (
        Assessment.objects.filter(unit__in=units, indicator__cycle=cycle)
        .select_related("unit", "indicator")
        .with_met_count()
        .annotate(criteria_total=Count("indicator__criteria", distinct=True))
        .order_by("unit__name", "indicator__sort_key")
    )


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    cycle = Cycle.objects.current()
    units = list(visible_units(request.user).order_by("name"))
    by_unit: dict[int, list[Assessment]] = {unit.pk: [] for unit in units}
    for assessment in _assessment_rows(units, cycle):
        by_unit[assessment.unit_id].append(assessment)
    rows = [(unit, by_unit[unit.pk]) for unit in units]
    context = {"cycle": cycle, "rows": rows, "pending": pending_items_for(request.user)}
    return render(request, "indicators/home.html", context)


@login_required
@require_GET
def unit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request, pk).unit
    cycles = list(Cycle.objects.filter(indicators__assessments__unit=unit).distinct())
    cycle_pk = request.GET.get("cycle")
    cycle: Cycle | None
    if cycle_pk:
        if not cycle_pk.isdigit():
            raise Http404
        cycle = get_object_or_404(Cycle, pk=int(cycle_pk))
    else:
        cycle = Cycle.objects.current()
    context = {
        "unit": unit,
        "cycle": cycle,
        "cycles": cycles,
        "assessments": list(_assessment_rows([unit], cycle)),
    }
    return render(request, "indicators/unit.html", context)
