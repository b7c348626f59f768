"""The university summary's data: every unit's scores of a cycle side by side, the
unit's own and the committee's, with the means by unit and by indicator (the PDF of
reports/pdf.py prints it)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.safestring import SafeString

from indicators.charts import score_bar_chart
from indicators.models import Assessment, Cycle, Indicator, Unit
from indicators.scoring import mean_score


@dataclass
class UniversityRow:
    unit: Unit
    scores: list[Decimal | None]
    mean: Decimal | None
    committee: list[Decimal | None]
    committee_mean: Decimal | None


@dataclass
class UniversitySummary:
    indicators: list[Indicator]
    rows: list[UniversityRow]
    indicator_means: list[Decimal | None]
    committee_indicator_means: list[Decimal | None]
    mean: Decimal | None
    committee_mean: Decimal | None
    chart: SafeString | None


def university_summary_data(*, cycle: Cycle) -> UniversitySummary:
    """Every unit's self scores side by side, the committee's beside them; criteria met
    are counted in SQL."""
    indicators = list(Indicator.objects.filter(cycle=cycle).order_by("sort_key"))
    assessments = (
        Assessment.objects.filter(indicator__cycle=cycle)
        .select_related("unit", "indicator")
        .with_met_count()
    )
    by_unit: dict[int, dict[int, Decimal | None]] = {}
    by_committee: dict[int, dict[int, Decimal | None]] = {}
    units: dict[int, Unit] = {}
    for assessment in assessments:
        units[assessment.unit_id] = assessment.unit
        by_unit.setdefault(assessment.unit_id, {})[assessment.indicator_id] = assessment.self_score
        committee = by_committee.setdefault(assessment.unit_id, {})
        committee[assessment.indicator_id] = assessment.committee_score
    rows = []
    for unit in sorted(units.values(), key=lambda unit: unit.name):
        scores = [by_unit[unit.pk].get(indicator.pk) for indicator in indicators]
        committee_scores = [by_committee[unit.pk].get(indicator.pk) for indicator in indicators]
        rows.append(
            UniversityRow(
                unit=unit,
                scores=scores,
                mean=mean_score(scores),
                committee=committee_scores,
                committee_mean=mean_score(committee_scores),
            )
        )
    indicator_means = [
        mean_score(row.scores[index] for row in rows) for index in range(len(indicators))
    ]
    committee_indicator_means = [
        mean_score(row.committee[index] for row in rows) for index in range(len(indicators))
    ]
    chart = None
    if rows:
        chart = score_bar_chart(
            [(row.unit.name, row.mean) for row in rows],
            title=translation.gettext("คะแนนเฉลี่ยรายหน่วยงาน"),
        )
    return UniversitySummary(
        indicators=indicators,
        rows=rows,
        indicator_means=indicator_means,
        committee_indicator_means=committee_indicator_means,
        mean=mean_score(row.mean for row in rows),
        committee_mean=mean_score(row.committee_mean for row in rows),
        chart=chart,
    )
