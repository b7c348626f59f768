"""The dashboard: who may open it, filters, unit means, and a query bound on 30 × 10 units."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Assessment, Criterion, CriterionResult, Membership
from indicators.scoring import mean_score
from indicators.views import dashboard as dashboard_views
from tests.factories import (
    AssessmentFactory,
    CycleFactory,
    IndicatorFactory,
    MembershipFactory,
    ReviewCommentFactory,
    UnitFactory,
    UserFactory,
)

UNITS, INDICATORS = 30, 10


@pytest.fixture
def university(db) -> dict:
    """30 units × 10 process indicators of five criteria, with varied results."""
    cycle = CycleFactory(year_be=2563)
    indicators = [IndicatorFactory(cycle=cycle, number=str(n + 1)) for n in range(INDICATORS)]
    criteria = [
        Criterion(indicator=indicator, order=order, text=f"เกณฑ์ {order}")
        for indicator in indicators
        for order in range(1, 6)
    ]
    Criterion.objects.bulk_create(criteria)
    units = [
        UnitFactory(name=f"หน่วยงาน {n:02d}", evidence_prefix=f"ห{n:02d}") for n in range(UNITS)
    ]
    assessments = Assessment.objects.bulk_create(
        Assessment(
            unit=unit,
            indicator=indicator,
            status=[s for s, _ in Assessment.Status.choices][(u + i) % 4],
            committee_score=Decimal((u + i) % 6) if (u + i) % 4 == 3 else None,
        )
        for u, unit in enumerate(units)
        for i, indicator in enumerate(indicators)
    )
    by_indicator = {}
    for criterion in criteria:
        by_indicator.setdefault(criterion.indicator_id, []).append(criterion)
    CriterionResult.objects.bulk_create(
        CriterionResult(
            assessment=assessment,
            criterion=criterion,
            narrative="ผล",
            met=criterion.order <= (assessment.unit_id + assessment.indicator_id) % 6,
        )
        for assessment in assessments
        for criterion in by_indicator[assessment.indicator_id]
    )
    for assessment in assessments[:15]:
        ReviewCommentFactory(assessment=assessment)
    return {"cycle": cycle, "units": units, "indicators": indicators}


def test_qa_officer_sees_a_line_per_unit_in_bounded_queries(
    client, university, qa_officer, django_assert_max_num_queries
) -> None:
    client.force_login(qa_officer)
    url = reverse("indicators:dashboard_cycle", args=[university["cycle"].pk])
    # 12 for the page, 1 for the data version (fragments cache).
    with django_assert_max_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    # 300 assessments: a line per unit, not a row per assessment.
    assert response.context["rows"] is None
    summaries = response.context["summaries"]
    assert len(summaries) == UNITS
    html = response.content.decode()
    assert "<svg" in html and "หน่วยงาน 29" in html and 'id="dashboard-table"' not in html
    assert len(html) < 100_000
    for summary in summaries[:5]:
        unit_rows = Assessment.objects.filter(
            unit=summary.unit, indicator__cycle=university["cycle"]
        )
        assert summary.self_mean == mean_score(a.self_score for a in unit_rows)
        assert summary.submitted == unit_rows.filter(status="submitted").count()
        assert (summary.drafts, summary.returned, summary.approved) == tuple(
            unit_rows.filter(status=status).count() for status in ("draft", "returned", "approved")
        )
        assert summary.open_comments == sum(
            a.comments.filter(resolved_at=None).count() for a in unit_rows
        )
        # Each line leads to its unit's assessments, and to what waits for review.
        assert f'href="?unit={summary.unit.pk}"' in html
        if summary.submitted:
            assert f'href="?unit={summary.unit.pk}&amp;status=submitted"' in html


def test_a_unit_line_drills_down_to_its_assessments(
    client, university, qa_officer, django_assert_max_num_queries
) -> None:
    client.force_login(qa_officer)
    unit = university["units"][4]
    url = reverse("indicators:dashboard_cycle", args=[university["cycle"].pk])
    # 13 for the page, 1 for the data version (fragments cache).
    with django_assert_max_num_queries(14):
        response = client.get(url, {"unit": unit.pk})
    rows = list(response.context["rows"])
    assert len(rows) == INDICATORS and {row.unit_id for row in rows} == {unit.pk}
    # Each row's figures match what the models say one by one.
    for row in rows:
        fresh = Assessment.objects.get(pk=row.pk)
        assert row.met_count == fresh.met_count
        assert row.self_score == fresh.self_score
        assert row.open_comment_count == fresh.comments.filter(resolved_at=None).count()
        assert row.last_change == fresh.last_change


def test_long_lists_come_a_page_at_a_time(client, university, qa_officer, monkeypatch) -> None:
    monkeypatch.setattr(dashboard_views, "ROWS_PER_PAGE", 40)
    client.force_login(qa_officer)
    url = reverse("indicators:dashboard_cycle", args=[university["cycle"].pk])
    drafts = Assessment.objects.filter(status="draft").count()
    assert drafts > 40
    first = client.get(url, {"status": "draft"})
    assert len(first.context["rows"]) == 40
    assert "status=draft&amp;page=2" in first.content.decode()
    second = client.get(url, {"status": "draft", "page": "2"})
    assert len(second.context["rows"]) == drafts - 40
    seen = {row.pk for row in first.context["rows"]} | {row.pk for row in second.context["rows"]}
    assert len(seen) == drafts


def test_filters_by_unit_status_and_indicator(client, university, qa_officer) -> None:
    client.force_login(qa_officer)
    unit, indicator = university["units"][3], university["indicators"][2]
    url = reverse("indicators:dashboard_cycle", args=[university["cycle"].pk])
    response = client.get(url, {"unit": unit.pk})
    assert {row.unit_id for row in response.context["rows"]} == {unit.pk}
    response = client.get(url, {"status": "approved", "indicator": indicator.pk})
    rows = response.context["rows"]
    expected = Assessment.objects.filter(indicator=indicator, status="approved").count()
    assert len(rows) == expected > 0
    assert all(row.status == "approved" and row.indicator_id == indicator.pk for row in rows)


def test_default_cycle_is_the_current_one(client, university, qa_officer) -> None:
    client.force_login(qa_officer)
    response = client.get(reverse("indicators:dashboard"))
    assert response.context["cycle"] == university["cycle"]


def test_personas(client, assessment, staff, head, outsider, qa_officer) -> None:
    other = AssessmentFactory(indicator=assessment.indicator)
    url = reverse("indicators:dashboard_cycle", args=[assessment.indicator.cycle.pk])
    client.force_login(qa_officer)
    assert {row.pk for row in client.get(url).context["rows"]} == {assessment.pk, other.pk}
    client.force_login(head)
    response = client.get(url)
    assert [row.pk for row in response.context["rows"]] == [assessment.pk]
    assert other.unit.name not in response.content.decode()
    # A head cannot filter their way into another unit.
    response = client.get(url, {"unit": other.unit.pk})
    assert [row.pk for row in response.context["rows"]] == [assessment.pk]
    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_a_head_of_two_units_sees_both(client, assessment) -> None:
    user = UserFactory()
    other = AssessmentFactory(indicator=assessment.indicator)
    MembershipFactory(user=user, unit=assessment.unit, role=Membership.Role.HEAD)
    MembershipFactory(user=user, unit=other.unit, role=Membership.Role.HEAD)
    client.force_login(user)
    response = client.get(reverse("indicators:dashboard"))
    assert {row.pk for row in response.context["rows"]} == {assessment.pk, other.pk}


def test_a_heads_rows_show_their_last_change(client, assessment, head, qa_officer) -> None:
    """Unfiltered, a head's few units show their rows, with the last change read for
    the page's rows only."""
    review_comment = ReviewCommentFactory(assessment=assessment, author=qa_officer)
    client.force_login(head)
    url = reverse("indicators:dashboard_cycle", args=[assessment.indicator.cycle.pk])
    rows = list(client.get(url).context["rows"])
    fresh = Assessment.objects.get(pk=assessment.pk)
    assert [row.pk for row in rows] == [assessment.pk]
    assert rows[0].last_change == fresh.last_change is not None
    assert rows[0].open_comment_count == 1 and review_comment.is_open
