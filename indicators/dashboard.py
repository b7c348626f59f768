"""The QA office's overview of one cycle: every unit × indicator, in a bounded
number of queries whatever the number of units."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from . import scoring
from .models import Assessment, AssessmentTransition, Cycle, Unit


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
    last_transition = (
        AssessmentTransition.objects.filter(assessment=OuterRef("pk"))
        .order_by("-at")
        .values("at")[:1]
    )
    return list(
        Assessment.objects.filter(indicator__cycle=cycle, unit__in=units)
        .select_related("unit", "indicator")
        .with_met_count()
        .annotate(
            open_comment_count=Coalesce(Subquery(open_comments, output_field=IntegerField()), 0),
            results_changed_at=Max("results__updated_at"),
            last_transition_at=Subquery(last_transition),
        )
        .order_by("unit__name", "indicator__sort_key")
    )


def last_change(assessment: Assessment):  # type: ignore[no-untyped-def]
    """The latest of the assessment's own edit, its criteria's edits and its last move."""
    moments = [
        moment
        for moment in (
            assessment.updated_at,
            getattr(assessment, "results_changed_at", None),
            getattr(assessment, "last_transition_at", None),
        )
        if moment is not None
    ]
    return max(moments) if moments else None


def summarise(rows: list[Assessment]) -> list[UnitSummary]:
    summaries: dict[int, UnitSummary] = {}
    for row in rows:
        row.last_change = last_change(row)  # type: ignore[attr-defined]
        summaries.setdefault(row.unit_id, UnitSummary(unit=row.unit)).rows.append(row)
    return list(summaries.values())
