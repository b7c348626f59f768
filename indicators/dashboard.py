"""The QA office's overview of one cycle: every unit × indicator, in a bounded
number of queries whatever the number of units."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from . import scoring
from .models import Assessment, Cycle, Unit


@dataclass
class UnitSummary:
    unit: Unit
    rows: list[Assessment] = field(default_factory=list)

    @property
    def self_mean(self) -> Decimal | None:
        return scoring.mean_score(row.self_score for row in self.rows)

    @property
    def committee_mean(self) -> Decimal | None:
        return scoring.mean_score(row.committee_score for row in self.rows)

    @property
    def quality_level(self) -> scoring.QualityLevel | None:
        mean = self.self_mean
        return None if mean is None else scoring.quality_level(mean)


def cycle_assessments(*, cycle: Cycle, units: QuerySet[Unit]) -> list[Assessment]:
    """One query: each assessment with criteria met, open comments and last change."""
    open_comments = (
        Assessment.objects.filter(pk=OuterRef("pk"))
        .annotate(n=Count("comments", filter=Q(comments__resolved_at=None)))
        .values("n")
    )
    return list(
        Assessment.objects.filter(indicator__cycle=cycle, unit__in=units)
        .select_related("unit", "indicator")
        .with_met_count()
        .with_last_change()
        .annotate(
            open_comment_count=Coalesce(Subquery(open_comments, output_field=IntegerField()), 0)
        )
        .order_by("unit__name", "indicator__sort_key")
    )


def summarise(rows: list[Assessment]) -> list[UnitSummary]:
    summaries: dict[int, UnitSummary] = {}
    for row in rows:
        summaries.setdefault(row.unit_id, UnitSummary(unit=row.unit)).rows.append(row)
    return list(summaries.values())
