"""Cycles and their indicator sets, as the QA administrator sets them up: a cycle created
or edited, its indicators, criteria and scoring rules copied from an earlier cycle or
edited one by one, and a new cycle started from the last one (narratives carried over as
drafts).

Each write is one transaction. The structure a unit has started writing against stays:
an indicator or criterion is not deleted, nor criteria reordered (evidence codes carry
the criterion's number), once an assessment of it has data.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
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


def criterion_results_complete(*, criterion: Criterion) -> int:
    """Gives a criterion added elsewhere (the admin) its empty result in every assessment
    of its indicator that lacks one; returns how many were created."""
    with transaction.atomic():
        return _add_results_for(criterion)


def _add_results_for(criterion: Criterion) -> int:
    """A new criterion's result in every existing assessment of its indicator."""
    assessments = Assessment.objects.filter(indicator_id=criterion.indicator_id).exclude(
        results__criterion=criterion
    )
    results = [CriterionResult(assessment=a, criterion=criterion) for a in assessments]
    bulk_create_with_history(results, CriterionResult)
    return len(results)


def indicator_measure_criterion_ensure(*, indicator: Indicator) -> Criterion | None:
    """An output or outcome indicator's one criterion (order 1: what is measured and how),
    with its result in every assessment, so that its narrative and evidence live in a
    CriterionResult like a process indicator's and codes come out as สพ 5-1 (1). Created
    only when the indicator has no criterion; returns it if created."""
    if indicator.is_counted or indicator.criteria.exists():
        return None
    with transaction.atomic():
        criterion = Criterion.objects.create(
            indicator=indicator, order=1, text=indicator.measure_text()
        )
        _add_results_for(criterion)
    return criterion


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
                counts["results"] += _add_results_for(criterion)
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


def _data_in_assessments() -> Q:
    """What counts as a unit's work in an assessment (a filter on Assessment): anything
    but a fresh, untouched draft."""
    return (
        ~Q(status=Assessment.Status.DRAFT)
        | Q(carried_over=True)
        | Q(target__isnull=False)
        | Q(result_value__isnull=False)
        | Q(numerator__isnull=False)
        | Q(denominator__isnull=False)
        | Q(committee_score__isnull=False)
        | ~Q(strengths="")
        | ~Q(improvements="")
        | Q(transitions__isnull=False)
        | Q(comments__isnull=False)
        | ~Q(results__narrative="")
        | Q(results__met=True)
        | Q(results__committee_met__isnull=False)
        | Q(results__evidence_items__isnull=False)
    )


def assessments_with_data(indicator: Indicator) -> QuerySet[Assessment]:
    """The indicator's assessments that a unit (or a reviewer) has written something in."""
    return (
        Assessment.objects.filter(indicator=indicator)
        .filter(_data_in_assessments())
        .select_related("unit")
        .distinct()
    )


def _refuse_if_written(indicator: Indicator, message: str) -> None:
    written = list(assessments_with_data(indicator)[:6])
    if written:
        units = ", ".join(str(assessment.unit) for assessment in written[:5])
        if len(written) > 5:
            units += " …"
        raise ValidationError(message % {"units": units}, code="has_data")


def _check_indicator(indicator: Indicator) -> None:
    """The model's rules, and for an output or outcome indicator the unit its value is
    measured in (the SAR prints it beside the value)."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        # The cycle comes from the page; the sort key is made on saving.
        indicator.full_clean(exclude=["cycle", "sort_key", "copied_from"])
    except ValidationError as error:
        errors.update(error.error_dict)
    if not indicator.is_counted and not indicator.result_unit.strip():
        errors.setdefault("result_unit", []).append(
            ValidationError(_("ตัวบ่งชี้ผลผลิต/ผลลัพธ์ต้องระบุหน่วยของผลการดำเนินงาน เช่น ร้อยละ"))
        )
    if errors:
        raise ValidationError(errors)


def indicator_save(*, indicator: Indicator, by: User) -> Indicator:
    """Creates or updates an indicator of a cycle (a form filled its fields). A process
    indicator needs a valid score table; an output or outcome indicator its full-score
    value and unit. The number is unique in the cycle."""
    check_can_set_up(by)
    if not indicator.is_counted:
        # A value-scored indicator has no score table; an old one would only confuse.
        indicator.score_table = []
    _check_indicator(indicator)
    duplicate = Indicator.objects.filter(cycle_id=indicator.cycle_id, number=indicator.number)
    if duplicate.exclude(pk=indicator.pk).exists():
        raise ValidationError(
            {"number": _("รอบปีนี้มีตัวบ่งชี้ที่ %(number)s อยู่แล้ว") % {"number": indicator.number}}
        )
    with transaction.atomic():
        if indicator.pk is not None:
            before = Indicator.objects.select_for_update().get(pk=indicator.pk)
            if before.number != indicator.number:
                # Evidence codes (สพ 3-1 (1)) carry the indicator's number.
                _refuse_if_written(
                    indicator,
                    _(
                        "เปลี่ยนเลขตัวบ่งชี้ไม่ได้ เพราะหน่วยงานบันทึกผลไว้แล้ว "
                        "(รหัสเอกสารอ้างอิงใช้เลขตัวบ่งชี้): %(units)s"
                    ),  # fmt: skip
                )
        indicator.save()
        indicator_measure_criterion_ensure(indicator=indicator)
    return indicator


def indicator_delete(*, indicator: Indicator, by: User) -> None:
    """Deletes an indicator with its criteria and its untouched assessments; refused (in
    Thai, naming the units) once a unit has written anything in one of them."""
    check_can_set_up(by)
    with transaction.atomic():
        Indicator.objects.select_for_update().get(pk=indicator.pk)
        _refuse_if_written(
            indicator,
            _("ลบตัวบ่งชี้นี้ไม่ได้ เพราะหน่วยงานบันทึกผลการดำเนินงานไว้แล้ว: %(units)s"),
        )
        for assessment in Assessment.objects.filter(indicator=indicator):
            assessment.delete()  # its empty results with it (and their history rows)
        Criterion.objects.filter(indicator=indicator).delete()
        indicator.delete()


def criterion_add(*, indicator: Indicator, text: str, by: User) -> Criterion:
    """Adds a criterion after the indicator's last one, and its (empty) result to every
    assessment of the indicator, in one transaction."""
    check_can_set_up(by)
    with transaction.atomic():
        # One administrator at a time numbers the indicator's criteria.
        Indicator.objects.select_for_update().get(pk=indicator.pk)
        last = indicator.criteria.aggregate(last=Max("order"))["last"] or 0
        criterion = Criterion(indicator=indicator, order=last + 1, text=text)
        criterion.full_clean()
        criterion.save()
        _add_results_for(criterion)
    return criterion


def criterion_update(*, criterion: Criterion, text: str, by: User) -> Criterion:
    """A criterion's text; its number and the units' results stay."""
    check_can_set_up(by)
    criterion.text = text
    with transaction.atomic():
        criterion.full_clean()
        criterion.save(update_fields=["text"])
    return criterion


def criterion_delete(*, criterion: Criterion, by: User) -> None:
    """Deletes a criterion and its empty results, and numbers the rest 1, 2, 3…; refused
    once a unit has written anything in an assessment of the indicator (its evidence
    codes carry the criteria's numbers)."""
    check_can_set_up(by)
    indicator = criterion.indicator
    with transaction.atomic():
        Indicator.objects.select_for_update().get(pk=indicator.pk)
        _refuse_if_written(
            indicator,
            _("ลบเกณฑ์นี้ไม่ได้ เพราะหน่วยงานบันทึกผลของตัวบ่งชี้นี้ไว้แล้ว: %(units)s"),
        )
        CriterionResult.objects.filter(criterion=criterion).delete()
        criterion.delete()
        _renumber(indicator, list(indicator.criteria.order_by("order")))


def criterion_move(*, criterion: Criterion, up: bool, by: User) -> None:
    """Swaps a criterion with the one before (``up``) or after it; refused once a unit
    has written anything in an assessment of the indicator."""
    check_can_set_up(by)
    indicator = criterion.indicator
    with transaction.atomic():
        Indicator.objects.select_for_update().get(pk=indicator.pk)
        _refuse_if_written(
            indicator,
            _(
                "เรียงลำดับเกณฑ์ใหม่ไม่ได้ เพราะหน่วยงานบันทึกผลของตัวบ่งชี้นี้ไว้แล้ว "
                "(รหัสเอกสารอ้างอิงใช้เลขข้อของเกณฑ์): %(units)s"
            ),  # fmt: skip
        )
        criteria = list(indicator.criteria.order_by("order"))
        index = next(i for i, c in enumerate(criteria) if c.pk == criterion.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(criteria):
            return  # already first (or last): nothing to move
        criteria[index], criteria[other] = criteria[other], criteria[index]
        _renumber(indicator, criteria)


def _renumber(indicator: Indicator, criteria: list[Criterion]) -> None:
    """Numbers the criteria 1, 2, 3… in the list's order; out of the way first, so that
    no two share a number at any moment (the unique constraint is checked per row)."""
    changed = [c for position, c in enumerate(criteria, start=1) if c.order != position]
    if not changed:
        return
    top = max(c.order for c in criteria)
    for offset, criterion in enumerate(changed, start=1):
        criterion.order = top + offset
        criterion.save(update_fields=["order"])
    for position, criterion in enumerate(criteria, start=1):
        if criterion.order != position:
            criterion.order = position
            criterion.save(update_fields=["order"])
