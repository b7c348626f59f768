"""A cycle's indicators and their criteria, one at a time, as the QA administrator sets
them up (created, edited, deleted, criteria reordered), and every assessment kept with
one result per criterion.

Each write is one transaction. The structure a unit has started writing against stays:
an indicator or criterion is not deleted, nor criteria reordered (evidence codes carry
the criterion's number), once an assessment of it has data.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.access import check_can_set_up
from indicators.models import Assessment, Criterion, CriterionResult, Indicator


def criterion_results_complete(*, criterion: Criterion) -> int:
    """Gives a criterion added elsewhere (the admin) its empty result in every assessment
    of its indicator that lacks one; returns how many were created."""
    with transaction.atomic():
        return criterion_results_add(criterion=criterion)


def criterion_results_add(*, criterion: Criterion) -> int:
    """A new criterion's result in every existing assessment of its indicator, inside the
    caller's transaction; returns how many were created."""
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
        criterion_results_add(criterion=criterion)
    return criterion


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
        criterion_results_add(criterion=criterion)
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
