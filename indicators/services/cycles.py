"""Cycles and their indicator sets, as the QA administrator sets them up: a cycle created
or edited, its indicators, criteria and scoring rules copied from an earlier cycle, and a
new cycle started from the last one (narratives carried over as drafts). An indicator
and its criteria edited one by one: ``indicators.services.indicators``.

Each write is one transaction; running a copy or a start again changes nothing.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from evidence.models import EvidenceItem
from indicators.access import check_can_set_up
from indicators.models import (
    Assessment,
    Criterion,
    CriterionResult,
    Cycle,
    Indicator,
)
from indicators.services.indicators import (
    criterion_results_add,
    indicator_measure_criterion_ensure,
)


@dataclass
class CycleStartReport:
    cycle: Cycle
    counts: dict[str, int]

    @property
    def changed(self) -> bool:
        return any(self.counts.values())


def _shift_year(day: Any, years: int) -> Any:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _complete_results(assessment: Assessment) -> int:
    """Creates the assessment's missing criterion results (one per criterion of its
    indicator); returns how many."""
    have = set(assessment.results.values_list("criterion_id", flat=True))
    missing = [
        CriterionResult(assessment=assessment, criterion=criterion)
        for criterion in Criterion.objects.filter(indicator_id=assessment.indicator_id)
        if criterion.pk not in have
    ]
    bulk_create_with_history(missing, CriterionResult)
    return len(missing)


def _copy_indicator_set(
    *, source: Cycle, cycle: Cycle, counts: dict[str, int]
) -> dict[Indicator, tuple[Indicator, dict[int, Criterion]]]:
    """Copies the source cycle's indicators (by number), their scoring rules and criteria
    (by order) into ``cycle``, creating only what is missing; a criterion added to an
    indicator that units already assess gets its result in each assessment. Returns each
    source indicator with its copy and the copy's criteria by order."""
    copied: dict[Indicator, tuple[Indicator, dict[int, Criterion]]] = {}
    existing = {indicator.number: indicator for indicator in cycle.indicators.all()}
    for old_indicator in source.indicators.prefetch_related("criteria"):
        indicator = existing.get(old_indicator.number)
        if indicator is None:
            indicator = Indicator.objects.create(
                cycle=cycle,
                number=old_indicator.number,
                title=old_indicator.title,
                kind=old_indicator.kind,
                score_table=old_indicator.score_table,
                full_score_value=old_indicator.full_score_value,
                result_unit=old_indicator.result_unit,
                numerator_label=old_indicator.numerator_label,
                denominator_label=old_indicator.denominator_label,
                copied_from=old_indicator,
            )
            counts["indicators"] += 1
        criteria = {criterion.order: criterion for criterion in indicator.criteria.all()}
        for old_criterion in old_indicator.criteria.all():
            if old_criterion.order not in criteria:
                criterion = Criterion.objects.create(
                    indicator=indicator, order=old_criterion.order, text=old_criterion.text
                )
                criteria[old_criterion.order] = criterion
                counts["criteria"] += 1
                counts["results"] += criterion_results_add(criterion=criterion)
        measure = indicator_measure_criterion_ensure(indicator=indicator)
        if measure is not None:
            criteria[measure.order] = measure
            counts["criteria"] += 1
        copied[old_indicator] = (indicator, criteria)
    return copied


def cycle_start_from(*, source: Cycle, year_be: int) -> CycleStartReport:
    """Starts cycle ``year_be`` (same kind) from ``source``, or completes it.

    Copies indicators, criteria and scoring rules (``copied_from``), and for each
    unit's assessment creates a draft carrying last year's narratives (marked
    ``carried_over`` / ``carried_from``) with its evidence items as captions to be
    confirmed (no file, no link). Only what is missing is created, so running it
    twice changes nothing and never overwrites what the units have written since.
    """
    if year_be <= source.year_be:
        raise ValidationError(
            _("รอบปีใหม่ (%(new)s) ต้องอยู่หลังรอบปีต้นทาง (%(old)s)")
            % {"new": year_be, "old": source.year_be}
        )
    counts = dict.fromkeys(
        ("cycle", "indicators", "criteria", "assessments", "results", "items"), 0
    )
    with transaction.atomic():
        cycle = Cycle.objects.filter(kind=source.kind, year_be=year_be).first()
        if cycle is None:
            years = year_be - source.year_be
            if source.kind == Cycle.Kind.FISCAL:
                start, end = Cycle.fiscal_dates(year_be)
            else:
                start, end = (
                    _shift_year(source.start_date, years),
                    _shift_year(source.end_date, years),
                )
            cycle = Cycle.objects.create(
                kind=source.kind, year_be=year_be, start_date=start, end_date=end
            )
            counts["cycle"] += 1

        copied = _copy_indicator_set(source=source, cycle=cycle, counts=counts)
        for old_indicator, (indicator, criteria) in copied.items():
            old_assessments = old_indicator.assessments.prefetch_related(
                "results__criterion", "results__evidence_items"
            )
            for old in old_assessments:
                assessment, created = Assessment.objects.get_or_create(
                    unit_id=old.unit_id,
                    indicator=indicator,
                    defaults={"target": old.target, "carried_over": True},
                )
                counts["assessments"] += int(created)
                if not created:
                    # The unit may have started writing: carry nothing over a live draft.
                    continue
                for old_result in old.results.all():
                    result = CriterionResult.objects.create(
                        assessment=assessment,
                        criterion=criteria[old_result.criterion.order],
                        narrative=old_result.narrative,
                        carried_from=old_result,
                    )
                    counts["results"] += 1
                    bulk_create_with_history(
                        [
                            EvidenceItem(
                                result=result,
                                position=item.position,
                                # A bare link had no caption: keep its address as the caption.
                                caption=item.caption or item.url,
                                to_confirm=True,
                            )
                            for item in old_result.evidence_items.all()
                        ],
                        EvidenceItem,
                    )
                    counts["items"] += len(old_result.evidence_items.all())
                # Criteria this year has and last year had not start empty.
                counts["results"] += _complete_results(assessment)
    return CycleStartReport(cycle=cycle, counts=counts)


# --- Setting a cycle up by hand (the QA administrator's pages) -------------------------


def cycle_save(*, cycle: Cycle, by: User) -> Cycle:
    """Creates or updates a cycle (a form filled its fields): validated as the model says,
    in Thai, a duplicate kind and year included."""
    check_can_set_up(by)
    duplicate = Cycle.objects.filter(kind=cycle.kind, year_be=cycle.year_be).exclude(pk=cycle.pk)
    if duplicate.exists():
        raise ValidationError(
            {
                "year_be": _("มี%(kind)s %(year)s อยู่แล้ว")
                % {"kind": cycle.get_kind_display(), "year": cycle.year_be}
            }  # fmt: skip
        )
    with transaction.atomic():
        cycle.full_clean(validate_unique=False)
        cycle.save()
    return cycle


@dataclass
class IndicatorSetCopyReport:
    counts: dict[str, int]

    @property
    def changed(self) -> bool:
        return any(self.counts.values())


def indicator_set_copy(*, source: Cycle, cycle: Cycle, by: User) -> IndicatorSetCopyReport:
    """Copies the indicator set of ``source`` (indicators, scoring rules, criteria) into
    ``cycle``. What the cycle already has (an indicator of the same number, a criterion
    of the same order) is kept as it is, so copying twice changes nothing."""
    check_can_set_up(by)
    if source.pk == cycle.pk:
        raise ValidationError({"source": _("เลือกรอบปีอื่นเป็นต้นทาง คัดลอกชุดตัวบ่งชี้จากรอบปีเดียวกันไม่ได้")})
    if not source.indicators.exists():
        raise ValidationError({"source": _("%(cycle)s ยังไม่มีตัวบ่งชี้ให้คัดลอก") % {"cycle": source}})
    counts = dict.fromkeys(("indicators", "criteria", "results"), 0)
    with transaction.atomic():
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        _copy_indicator_set(source=source, cycle=cycle, counts=counts)
    return IndicatorSetCopyReport(counts=counts)
