"""Which units keep which indicators of a cycle (the QA administrator's assignment).

Assigning an indicator to a unit creates its assessment and every criterion result at
once, so the unit finds a complete page. Unassigning removes the assessment only while
nobody has written anything in it; an assessment with data is refused with the reason,
and then nothing of that save is written.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.access import check_can_set_up
from indicators.models import Assessment, CriterionResult, Cycle, Indicator, Unit
from indicators.services.indicators import indicator_measure_criterion_ensure

# One cell of the matrix: (unit pk, indicator pk).
Cell = tuple[int, int]


@dataclass
class AssignmentReport:
    """What one save did: assessments and criterion results created, assessments removed."""

    cycle: Cycle
    created: int = 0
    results: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.removed)


@dataclass
class AssignmentRefused(Exception):
    """Some cells could not be unassigned: ``refused`` maps each to its Thai reason.
    Raised before anything is written."""

    refused: dict[Cell, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return _(
            "ยกเลิกการมอบหมายไม่ได้ %(count)s รายการ เพราะหน่วยงานบันทึกข้อมูลไว้แล้ว "
            "จึงยังไม่ได้บันทึกการเปลี่ยนแปลงใด ๆ"
        ) % {"count": len(self.refused)}


def _check_by(by: User | None) -> None:
    """``by`` is the administrator at the page; None is a management command."""
    if by is not None:
        check_can_set_up(by)


def _check_cycle(cycle: Cycle, indicators: Iterable[Indicator]) -> None:
    if any(indicator.cycle_id != cycle.pk for indicator in indicators):
        raise ValidationError(_("ตัวบ่งชี้ที่เลือกไม่ได้อยู่ในรอบปีนี้"), code="other_cycle")


def _data_reasons(assessments: Sequence[Assessment]) -> dict[int, str]:
    """Why each assessment that holds data may not be removed (in one query); those not
    named hold nothing."""
    counted = (
        Assessment.objects.filter(pk__in=[a.pk for a in assessments])
        .annotate(
            narratives=Count("results", filter=~Q(results__narrative=""), distinct=True),
            marked=Count(
                "results",
                filter=Q(results__met=True) | Q(results__committee_met__isnull=False),
                distinct=True,
            ),
            items=Count("results__evidence_items", distinct=True),
            comment_count=Count("comments", distinct=True),
            moves=Count("transitions", distinct=True),
        )
        .values(
            "pk",
            "status",
            "narratives",
            "marked",
            "items",
            "comment_count",
            "moves",
            "target",
            "result_value",
            "numerator",
            "committee_score",
            "strengths",
            "improvements",
        )  # fmt: skip
    )
    reasons: dict[int, str] = {}
    for row in counted:
        found: list[str] = []
        if row["status"] != Assessment.Status.DRAFT:
            status = Assessment.Status(row["status"]).label
            found.append(_("สถานะเป็น%(status)s") % {"status": status})
        elif row["moves"]:
            found.append(_("มีประวัติการส่งและตรวจแล้ว"))
        if row["narratives"]:
            found.append(_("เขียนผลการดำเนินงานแล้ว %(count)s ข้อ") % {"count": row["narratives"]})
        if row["marked"]:
            found.append(_("ทำเครื่องหมายผ่านเกณฑ์แล้ว %(count)s ข้อ") % {"count": row["marked"]})
        if row["items"]:
            found.append(_("มีรายการหลักฐาน %(count)s รายการ") % {"count": row["items"]})
        if row["comment_count"]:
            found.append(_("มีความเห็นของผู้ตรวจ"))
        values = (row["target"], row["result_value"], row["numerator"], row["committee_score"])
        if any(v is not None for v in values) or row["strengths"] or row["improvements"]:
            found.append(_("กรอกเป้าหมาย ผลการดำเนินงาน หรือจุดแข็ง/จุดที่ควรพัฒนาแล้ว"))
        if found:
            reasons[row["pk"]] = ", ".join(found)
    return reasons


def _create(cells: set[Cell], *, by: User | None, report: AssignmentReport) -> None:
    """The assessments of ``cells`` with a result for every criterion of their indicator."""
    if not cells:
        return
    indicator_ids = {indicator for _unit, indicator in cells}
    # An output/outcome indicator saved before it had its measure criterion gets it first
    # (its results then come with the others below).
    for indicator in Indicator.objects.filter(pk__in=indicator_ids, criteria__isnull=True):
        indicator_measure_criterion_ensure(indicator=indicator)
    new = bulk_create_with_history(
        [Assessment(unit_id=unit, indicator_id=indicator) for unit, indicator in sorted(cells)],
        Assessment,
        default_user=by,
    )
    criteria: dict[int, list[int]] = {}
    for indicator_id, criterion_id in (
        Indicator.objects.filter(pk__in=indicator_ids)
        .filter(criteria__isnull=False)
        .values_list("pk", "criteria__pk")
        .order_by("sort_key", "criteria__order")
    ):
        criteria.setdefault(indicator_id, []).append(criterion_id)
    results = [
        CriterionResult(assessment_id=assessment.pk, criterion_id=criterion_id)
        for assessment in new
        for criterion_id in criteria.get(assessment.indicator_id, [])
    ]
    bulk_create_with_history(results, CriterionResult, default_user=by)
    report.created += len(new)
    report.results += len(results)


def _apply(*, cycle: Cycle, add: set[Cell], remove: set[Cell], by: User | None) -> AssignmentReport:
    report = AssignmentReport(cycle=cycle)
    with transaction.atomic():
        if remove:
            # Locked, so that nobody starts writing in one between the check and the delete.
            # (Filtered here: a query naming 900 pairs would be too deep for SQLite.)
            locked = Assessment.objects.select_for_update(of=("self",)).filter(
                indicator__cycle=cycle,
                unit_id__in={unit for unit, _indicator in remove},
                indicator_id__in={indicator for _unit, indicator in remove},
            )
            doomed = [a for a in locked.order_by("pk") if (a.unit_id, a.indicator_id) in remove]
            reasons = _data_reasons(doomed)
            if reasons:
                raise AssignmentRefused(
                    {(a.unit_id, a.indicator_id): reasons[a.pk] for a in doomed if a.pk in reasons}
                )
            # Deleted together; each still leaves its row in the history (post_delete).
            Assessment.objects.filter(pk__in=[a.pk for a in doomed]).delete()
            report.removed = len(doomed)
        _create(add, by=by, report=report)
    return report


def _existing(cycle: Cycle, units: Sequence[Unit], indicators: Sequence[Indicator]) -> set[Cell]:
    return set(
        Assessment.objects.filter(
            indicator__cycle=cycle, unit__in=units, indicator__in=indicators
        ).values_list("unit_id", "indicator_id")
    )


def assignments_save(
    *,
    cycle: Cycle,
    units: Sequence[Unit],
    indicators: Sequence[Indicator],
    wanted: set[Cell],
    by: User | None,
) -> AssignmentReport:
    """The matrix page: makes the cells of ``units`` × ``indicators`` exactly ``wanted``,
    creating what is newly checked and removing what was unchecked. All or nothing:
    AssignmentRefused (nothing written) if an unchecked assessment holds data."""
    _check_by(by)
    _check_cycle(cycle, indicators)
    shown = {(unit.pk, indicator.pk) for unit in units for indicator in indicators}
    if not wanted <= shown:
        raise ValidationError(_("มีช่องที่ไม่อยู่ในตาราง กรุณาโหลดหน้าใหม่"), code="unknown_cell")
    with transaction.atomic():
        existing = _existing(cycle, units, indicators)
        return _apply(cycle=cycle, add=wanted - existing, remove=existing - wanted, by=by)


def assignments_add(
    *, cycle: Cycle, units: Sequence[Unit], indicators: Sequence[Indicator], by: User | None
) -> AssignmentReport:
    """Assigns every one of ``indicators`` to every one of ``units``; removes nothing,
    and what is assigned already is left as it is (running it twice changes nothing)."""
    _check_by(by)
    _check_cycle(cycle, indicators)
    wanted = {(unit.pk, indicator.pk) for unit in units for indicator in indicators}
    with transaction.atomic():
        existing = _existing(cycle, units, indicators)
        return _apply(cycle=cycle, add=wanted - existing, remove=set(), by=by)
