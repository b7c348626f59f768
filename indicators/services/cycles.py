"""A new cycle from the last one: indicators copied, narratives carried over as drafts."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from evidence.models import EvidenceItem
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

        for old_indicator in source.indicators.prefetch_related("criteria"):
            indicator = Indicator.objects.filter(cycle=cycle, number=old_indicator.number).first()
            if indicator is None:
                indicator = Indicator.objects.create(
                    cycle=cycle,
                    number=old_indicator.number,
                    title=old_indicator.title,
                    kind=old_indicator.kind,
                    score_table=old_indicator.score_table,
                    full_score_value=old_indicator.full_score_value,
                    result_unit=old_indicator.result_unit,
                    copied_from=old_indicator,
                )
                counts["indicators"] += 1
            criteria = {criterion.order: criterion for criterion in indicator.criteria.all()}
            for old_criterion in old_indicator.criteria.all():
                if old_criterion.order not in criteria:
                    criteria[old_criterion.order] = Criterion.objects.create(
                        indicator=indicator, order=old_criterion.order, text=old_criterion.text
                    )
                    counts["criteria"] += 1

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
    return CycleStartReport(cycle=cycle, counts=counts)
