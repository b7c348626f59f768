"""My work (the home page) and a unit's indicators in a cycle."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from indicators.access import can_see_all_units, get_unit_for_user, visible_units
from indicators.fragments import kept_check, part_key
from indicators.http import AuthenticatedHttpRequest
from indicators.models import Assessment, Cycle, Unit
from indicators.notifications import pending_items_for


def _assessment_rows(
    units: list[Unit], cycle: Cycle | None, *, user: User | None = None
) -> QuerySet[Assessment]:
    """The units' assessments of the cycle, with what the lists show (their owners, why
    they were returned; with ``user``, whether they are the user's own), in two queries."""
    owners = Prefetch("owners", queryset=User.objects.order_by("first_name", "username"))
    rows = Assessment.objects.filter(unit__in=units, indicator__cycle=cycle)
    if user is not None:
        rows = rows.with_mine(user)
    return (
        rows.select_related("unit", "indicator")
        .with_met_count()
        .with_return_reason()
        .with_criteria_count()
        .prefetch_related(owners)
        .order_by("unit__name", "indicator__sort_key")
    )


def _is_open(cycle: Cycle) -> bool:
    """Work not finished: an assessment not yet approved (CycleQuerySet.with_work_of)."""
    return bool(getattr(cycle, "open_total", 0))


def _cycles_with_work(units: list[Unit] | None) -> list[Cycle]:
    """The cycles in which the units (every unit: None) have assessments: those whose
    work is not finished (not all approved) first, the oldest of them first, as that is
    the year whose SAR is due; then the finished ones, newest first. One query."""
    annotated = Cycle.objects.with_work_of(units)
    cycles = [cycle for cycle in annotated if getattr(cycle, "assessment_total", 0)]
    still_open = sorted((c for c in cycles if _is_open(c)), key=lambda c: c.start_date)
    finished = sorted((c for c in cycles if not _is_open(c)), key=lambda c: c.start_date)
    return still_open + finished[::-1]


def _chosen_cycle(request: HttpRequest, cycles: list[Cycle]) -> Cycle | None:
    """The cycle asked for (?cycle=), else the first one still open, else the current one:
    never an empty page because a newer cycle was created."""
    asked = request.GET.get("cycle")
    if asked:
        if not asked.isdigit() or len(asked) > 12:
            raise Http404
        found = next((cycle for cycle in cycles if cycle.pk == int(asked)), None)
        return found or get_object_or_404(Cycle, pk=int(asked))
    return cycles[0] if cycles else Cycle.objects.current()


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    def load_page() -> dict[str, object]:
        # Only when the page is not in the fragments cache under the data version.
        units = list(visible_units(request.user).order_by("name"))
        cycles = _cycles_with_work(None if can_see_all_units(request.user) else units)
        cycle = _chosen_cycle(request, cycles)
        by_unit: dict[int, list[Assessment]] = {unit.pk: [] for unit in units}
        owned: list[Assessment] = []
        for assessment in _assessment_rows(units, cycle, user=request.user):
            # What I keep comes first; the rest of my units' work below it.
            mine = getattr(assessment, "mine", False)
            (owned if mine else by_unit[assessment.unit_id]).append(assessment)
        return {
            "cycle": cycle,
            "cycles": cycles,
            "owned": owned,
            "rows": [(unit, by_unit[unit.pk]) for unit in units],
            "pending": pending_items_for(request.user),
        }

    context = {
        "page_key": part_key(request, "home"),
        "load_page": load_page,
        "nav_key": part_key(request, "admin-nav"),
    }
    return render(request, "indicators/home.html", context)


@login_required
@require_GET
def unit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    key = part_key(request, "unit")  # before anything the page shows is read
    # A view from the cache has passed this check under the same key (fragments.kept_check).
    unit = kept_check(key, lambda: get_unit_for_user(request, pk)).unit

    def load_page() -> dict[str, object]:
        # Only when the page is not in the fragments cache under the data version.
        cycles = _cycles_with_work([unit])
        cycle = _chosen_cycle(request, cycles)
        return {
            "cycle": cycle,
            "cycles": cycles,
            "assessments": list(_assessment_rows([unit], cycle)),
        }

    context = {"unit": unit, "page_key": key, "load_page": load_page}
    return render(request, "indicators/unit.html", context)
