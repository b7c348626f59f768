"""The QA administrator's matrix of a cycle: which unit keeps which indicator."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from indicators.access import get_cycle_for_setup
from indicators.forms.assignments import AssignmentForm, cell_name
from indicators.http import AuthenticatedHttpRequest
from indicators.models import Assessment, Indicator, Unit
from indicators.services.assignments import AssignmentRefused, Cell, assignments_save


@dataclass(frozen=True)
class MatrixCell:
    name: str
    indicator: Indicator
    checked: bool
    status: str  # the assessment's, beyond a draft: what would refuse an unassignment
    refused: str  # why it could not be unassigned, after a refused save


def _beyond_draft(status: str | None) -> str:
    if status is None or status == Assessment.Status.DRAFT:
        return ""
    return str(Assessment.Status(status).label)


def _rows(
    units: list[Unit],
    indicators: list[Indicator],
    checked: set[Cell],
    statuses: dict[Cell, str],
    refused: dict[Cell, str],
) -> list[tuple[Unit, list[MatrixCell]]]:
    return [
        (
            unit,
            [
                MatrixCell(
                    name=cell_name(unit.pk, indicator.pk),
                    indicator=indicator,
                    checked=(unit.pk, indicator.pk) in checked,
                    status=_beyond_draft(statuses.get((unit.pk, indicator.pk))),
                    refused=refused.get((unit.pk, indicator.pk), ""),
                )
                for indicator in indicators
            ],
        )
        for unit in units
    ]


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: AuthenticatedHttpRequest, cycle_pk: int) -> HttpResponse:
    """Units × indicators, a checkbox each, saved in one post (all or nothing)."""
    cycle = get_cycle_for_setup(request, cycle_pk)
    units = list(Unit.objects.order_by("name"))
    indicators = list(cycle.indicators.order_by("sort_key"))
    # One query for every assessment of the cycle, whatever the number of units.
    statuses: dict[Cell, str] = {
        (unit_id, indicator_id): status
        for unit_id, indicator_id, status in Assessment.objects.filter(
            indicator__cycle=cycle
        ).values_list("unit_id", "indicator_id", "status")
    }
    checked = set(statuses)
    refused: dict[Cell, str] = {}
    posted = request.POST if request.method == "POST" else None
    form = AssignmentForm(posted, units=units, indicators=indicators)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            report = assignments_save(
                cycle=cycle,
                units=data["units"],
                indicators=data["indicators"],
                wanted=data["wanted"],
                by=request.user,
            )
        except AssignmentRefused as refusal:
            refused = refusal.refused
            form.add_error(None, str(refusal))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("บันทึกแล้ว: มอบหมายเพิ่ม %(created)s รายการ ยกเลิก %(removed)s รายการ")
                % {"created": report.created, "removed": report.removed},
            )
            return redirect(request.path)
        # Nothing was written: show the boxes as the administrator left them.
        checked = data["wanted"]
    context: dict[str, Any] = {
        "cycle": cycle,
        "form": form,
        "indicators": indicators,
        "rows": _rows(units, indicators, checked, statuses, refused),
        "unit_pks": ",".join(str(unit.pk) for unit in units),
        "indicator_pks": ",".join(str(indicator.pk) for indicator in indicators),
        "refused_count": len(refused),
    }
    return render(request, "indicators/assignments.html", context)
