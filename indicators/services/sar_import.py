"""Importing a SAR indicator page: everything it holds is created or updated, or nothing."""

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from evidence.models import EvidenceItem
from indicators import scoring
from indicators.models import (
    Assessment,
    Criterion,
    CriterionResult,
    Cycle,
    Indicator,
    Unit,
)
from indicators.sar_text import ParsedSar, SarFormatError, parse_sar


def _upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, str]:
    """get-or-create by lookup, then save only fields that differ.

    Returns the object and 'created', 'updated' or 'unchanged', so that a
    second import of the same file writes nothing (and adds no history).
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    if any(field.name == "version" for field in obj._meta.concrete_fields):
        # An edit form opened before the import must not save over it unawares
        # (indicators.versioning).
        obj.version += 1  # type: ignore[attr-defined]
    obj.save()
    return obj, "updated"


def default_score_table(criteria_count: int) -> list[list[int | float]]:
    """The usual mapping for 5 and 7 criteria; proportional otherwise."""
    if criteria_count == 5:
        return scoring.FIVE_CRITERIA_TABLE
    if criteria_count == 7:
        return scoring.SEVEN_CRITERIA_TABLE
    return [[n, float(scoring.two_places(scoring.MAX_SCORE * n / criteria_count))]
            for n in range(1, criteria_count + 1)]  # fmt: skip


@dataclass
class ImportReport:
    assessment: Assessment
    counts: dict[str, int]

    @property
    def changed(self) -> bool:
        return any(self.counts.get(key) for key in ("created", "updated"))


def sar_check_matches(
    parsed: ParsedSar, *, unit_prefix: str, year_be: int, cycle_kind: str
) -> None:
    """SarFormatError (with the line) if the page is of another cycle or another unit's
    evidence codes."""
    if parsed.cycle_kind != cycle_kind or parsed.year_be != year_be:
        raise SarFormatError(
            parsed.period_line,
            _("รอบปีในไฟล์ (%(file)s %(fy)s) ไม่ตรงกับที่ระบุ (%(kind)s %(year)s)")
            % {
                "file": parsed.cycle_kind,
                "fy": parsed.year_be,
                "kind": cycle_kind,
                "year": year_be,
            },
        )
    if parsed.evidence_prefix and parsed.evidence_prefix != unit_prefix:
        first = next(item for c in parsed.criteria for item in c.evidence)
        raise SarFormatError(
            first.line,
            _("รหัสเอกสารขึ้นต้นด้วย “%(found)s” แต่หน่วยงานใช้ “%(prefix)s”")
            % {"found": parsed.evidence_prefix, "prefix": unit_prefix},
        )


def sar_import(
    *,
    text: str,
    unit_prefix: str,
    unit_name: str,
    year_be: int,
    cycle_kind: str,
) -> ImportReport:
    """Creates or updates everything one SAR indicator page holds, or nothing.

    Raises SarFormatError (with the line) for a file that does not follow the
    layout or does not match the unit and cycle given.
    """
    parsed: ParsedSar = parse_sar(text)
    sar_check_matches(parsed, unit_prefix=unit_prefix, year_be=year_be, cycle_kind=cycle_kind)

    counts = {"created": 0, "updated": 0, "unchanged": 0}

    def upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        obj, outcome = _upsert(model, lookup, values)
        counts[outcome] += 1
        return obj

    with transaction.atomic():
        unit = upsert(Unit, {"evidence_prefix": unit_prefix}, {"name": unit_name})
        cycle = upsert(
            Cycle,
            {"kind": cycle_kind, "year_be": year_be},
            {"start_date": parsed.start_date, "end_date": parsed.end_date},
        )
        indicator = Indicator.objects.filter(cycle=cycle, number=parsed.number).first()
        values: dict[str, Any] = {"title": parsed.title, "kind": parsed.kind}
        if parsed.measure is not None:
            values["result_unit"] = parsed.measure.unit
            if parsed.measure.numerator_label:
                values["numerator_label"] = parsed.measure.numerator_label
                values["denominator_label"] = parsed.measure.denominator_label
        if indicator is None or not indicator.score_table:
            values["score_table"] = default_score_table(len(parsed.criteria))
        indicator = upsert(Indicator, {"cycle": cycle, "number": parsed.number}, values)
        measure: dict[str, Any] = {}
        if parsed.measure is not None:  # an output or outcome indicator's value
            measure = {
                "result_value": parsed.measure.value,
                "numerator": parsed.measure.numerator,
                "denominator": parsed.measure.denominator,
            }
        assessment = Assessment.objects.filter(unit=unit, indicator=indicator).first()
        if assessment is None or measure:
            assessment = upsert(Assessment, {"unit": unit, "indicator": indicator}, measure)
        else:
            counts["unchanged"] += 1
        for parsed_criterion in parsed.criteria:
            criterion = upsert(
                Criterion,
                {"indicator": indicator, "order": parsed_criterion.order},
                {"text": parsed_criterion.text},
            )
            result = CriterionResult.objects.filter(
                assessment=assessment, criterion=criterion
            ).first()
            values = {"narrative": parsed_criterion.narrative}
            if result is None:
                # A criterion reported with both a narrative and evidence counts
                # as met on import; staff and reviewers can change it afterwards.
                values["met"] = bool(parsed_criterion.narrative and parsed_criterion.evidence)
            result = upsert(
                CriterionResult, {"assessment": assessment, "criterion": criterion}, values
            )
            for item in parsed_criterion.evidence:
                existing = EvidenceItem.objects.filter(result=result, position=item.number).first()
                values = {"caption": item.caption}
                if existing is None or existing.document_id is None:
                    values["url"] = item.url
                upsert(EvidenceItem, {"result": result, "position": item.number}, values)
    return ImportReport(assessment=assessment, counts=counts)
