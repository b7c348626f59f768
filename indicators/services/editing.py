"""The unit's edits of its own assessment: narratives, met / not met, target, result,
strengths and improvements, each refused if someone saved in between."""

from typing import Any

from django.db import transaction

from indicators.limits import check_text
from indicators.locking import StaleEditError, assessment_lock
from indicators.models import (
    Assessment,
    CriterionResult,
)


def criterion_result_save_narrative(
    *, result: CriterionResult, narrative: str, version: int
) -> CriterionResult:
    """Saves the narrative if nobody saved it since ``version``; raises StaleEditError if so."""
    check_text(CriterionResult, narrative=narrative)
    with transaction.atomic(), assessment_lock(result.assessment_id):
        current = CriterionResult.objects.select_for_update().get(pk=result.pk)
        if current.version != version:
            raise StaleEditError(current)
        if current.narrative != narrative:
            current.narrative = narrative
            current.version += 1
            current.save(update_fields=["narrative", "version", "updated_at"])
    return current


def criterion_result_set_met(*, result: CriterionResult, met: bool) -> CriterionResult:
    """Marks the criterion met or not; the narrative's version is left alone."""
    with transaction.atomic(), assessment_lock(result.assessment_id):
        current = CriterionResult.objects.select_for_update().get(pk=result.pk)
        if current.met != met:
            current.met = met
            current.save(update_fields=["met", "updated_at"])
    return current


def _with_measured_value(assessment: Assessment, values: dict[str, Any]) -> dict[str, Any]:
    """The values with the result computed from its data, if the indicator has them."""
    indicator = assessment.indicator
    if not indicator.has_ratio:
        return {k: v for k, v in values.items() if k not in ("numerator", "denominator")}
    if "numerator" not in values and "denominator" not in values:
        return values
    numerator, denominator = values.get("numerator"), values.get("denominator")
    indicator.check_ratio(numerator, denominator)
    if numerator is not None and denominator is not None:
        values = {**values, "result_value": indicator.value_from(numerator, denominator)}
    return values


def assessment_edit_token(assessment: Assessment) -> str:
    """What a details form remembers to notice a save by someone else."""
    return assessment.updated_at.isoformat()


ASSESSMENT_DETAIL_FIELDS = (
    "target",
    "result_value",
    "numerator",
    "denominator",
    "strengths",
    "improvements",
)


def assessment_update_details(
    *, assessment: Assessment, values: dict[str, Any], edited_from: str
) -> Assessment:
    """Saves target, result value (with its numerator and denominator), strengths and
    improvements. Given both numerator and denominator, the value is computed from them
    (Indicator.value_from); bad data raises ValidationError (Thai, by field).

    ``edited_from`` is the ``edit_token`` the user's form was loaded with; if the
    assessment was saved since then, StaleEditError is raised instead of overwriting.
    """
    texts = {name: values[name] for name in ("strengths", "improvements") if name in values}
    check_text(Assessment, **texts)
    values = _with_measured_value(assessment, values)
    with transaction.atomic(), assessment_lock(assessment.pk) as current:
        if assessment_edit_token(current) != edited_from:
            raise StaleEditError(current)
        changed = [name for name in ASSESSMENT_DETAIL_FIELDS
                   if name in values and getattr(current, name) != values[name]]  # fmt: skip
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
    return current
