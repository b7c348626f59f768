"""The QA office's overview of one cycle: a line per unit (counts by status, what waits
for review, means), and every unit × indicator behind it, in a bounded number of
queries whatever the number of units."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet

from evidence.models import open_comment_count

from . import scoring
from .models import Assessment, Cycle, Indicator, Unit


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
    """Three queries: each assessment with criteria met, open comments and (unless told
    not to) its last change, without the long texts no line of the dashboard shows;
    then its unit and indicator, one shared instance each (40 units and 12 indicators,
    not one copy per row)."""
    rows = (
        Assessment.objects.filter(indicator__cycle=cycle, unit__in=units)
        .defer("strengths", "improvements")
        .with_met_count()
        .annotate(open_comment_count=open_comment_count())
        .order_by("unit__name", "indicator__sort_key")
    )
    if last_change:
        rows = rows.with_last_change()
    found = list(rows)
    # Not prefetch_related(): its lookup of 480 (id,) tuples costs more than the query.
    by_unit = Unit.objects.in_bulk({row.unit_id for row in found})
    by_indicator = Indicator.objects.in_bulk({row.indicator_id for row in found})
    for row in found:
        row.unit = by_unit[row.unit_id]
        row.indicator = by_indicator[row.indicator_id]
    return found


def add_last_change(rows: Sequence[Assessment]) -> None:
    """What Assessment.last_change reads, for the rows of one page (one query): cheaper
    than annotating every assessment of the cycle when a page shows a hundred."""
    if not rows:
        return
    changed = Assessment.objects.filter(pk__in=[row.pk for row in rows]).only("pk").order_by()
    found = {each.pk: each for each in changed.with_last_change()}
    for row in rows:
        # Annotations of with_last_change(), which the model's type does not know.
        other = found.get(row.pk)
        for name in ("results_changed_at", "last_transition_at"):
            setattr(row, name, getattr(other, name, None))


def summarise(rows: list[Assessment]) -> list[UnitSummary]:
    summaries: dict[int, UnitSummary] = {}
    for row in rows:
        summaries.setdefault(row.unit_id, UnitSummary(unit=row.unit)).rows.append(row)
    return list(summaries.values())
