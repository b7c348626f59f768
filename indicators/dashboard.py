"""The QA office's overview of one cycle: a line per unit (counts by status, what waits
for review, means), and every unit × indicator behind it, in a bounded number of
queries whatever the number of units."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from . import scoring
from .models import Assessment, Cycle, Unit


@dataclass
class UnitSummary:
    unit: Unit
    rows: list[Assessment] = field(default_factory=list)

    @cached_property
    def self_mean(self) -> Decimal | None:
        return scoring.mean_score(row.self_score for row in self.rows)

    @cached_property
    def committee_mean(self) -> Decimal | None:
        return scoring.mean_score(row.committee_score for row in self.rows)

    @property
    def quality_level(self) -> scoring.QualityLevel | None:
        mean = self.self_mean
        return None if mean is None else scoring.quality_level(mean)

    @cached_property
    def status_counts(self) -> Counter[str]:
        return Counter(row.status for row in self.rows)

    @property
    def drafts(self) -> int:
        return self.status_counts[Assessment.Status.DRAFT]

    @property
    def submitted(self) -> int:
        """What waits for the QA office's review."""
        return self.status_counts[Assessment.Status.SUBMITTED]

    @property
    def returned(self) -> int:
        return self.status_counts[Assessment.Status.RETURNED]

    @property
    def approved(self) -> int:
        return self.status_counts[Assessment.Status.APPROVED]

    @cached_property
    def open_comments(self) -> int:
        # An annotation of cycle_assessments(), which the model's type does not know.
        return sum(getattr(row, "open_comment_count", 0) for row in self.rows)


def cycle_assessments(
    *, cycle: Cycle, units: QuerySet[Unit], last_change: bool = True
) -> list[Assessment]:
    """One query: each assessment with criteria met, open comments and (unless told
    not to) its last change; without the long texts no line of the dashboard shows."""
    open_comments = (
        Assessment.objects.filter(pk=OuterRef("pk"))
        .annotate(n=Count("comments", filter=Q(comments__resolved_at=None)))
        .values("n")
    )
    rows = (
        Assessment.objects.filter(indicator__cycle=cycle, unit__in=units)
        # Shared instances: 40 units and 12 indicators, not one copy per row.
        .prefetch_related("unit", "indicator")
        .defer("strengths", "improvements")
        .with_met_count()
        .annotate(
            open_comment_count=Coalesce(Subquery(open_comments, output_field=IntegerField()), 0)
        )
        .order_by("unit__name", "indicator__sort_key")
    )
    if last_change:
        rows = rows.with_last_change()
    return list(rows)


def summarise(rows: list[Assessment]) -> list[UnitSummary]:
    summaries: dict[int, UnitSummary] = {}
    for row in rows:
        summaries.setdefault(row.unit_id, UnitSummary(unit=row.unit)).rows.append(row)
    return list(summaries.values())
