"""Starting a new cycle from the last one (service, command and admin action)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from evidence.models import EvidenceItem
from indicators.models import Assessment, Criterion, CriterionResult, Cycle, Indicator
from indicators.services.cycles import cycle_start_from
from tests.factories import QAAdminFactory


def _snapshot() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Cycle, Indicator, Criterion, Assessment, CriterionResult, EvidenceItem)
    }


def test_start_cycle_on_the_demo(assessment) -> None:
    out = StringIO()
    call_command("start_cycle", "--from", "2563", "--to", "2564", "--kind", "fiscal", stdout=out)
    cycle = Cycle.objects.get(kind="fiscal", year_be=2564)
    assert cycle.period_display == "ปีงบประมาณ พ.ศ.2564 (1 ต.ค. 63 - 30 ก.ย. 64)"
    indicator = cycle.indicators.get(number="3")
    assert indicator.copied_from == assessment.indicator
    assert indicator.title == assessment.indicator.title
    assert indicator.score_table == assessment.indicator.score_table
    assert list(indicator.criteria.values_list("order", "text")) == list(
        assessment.indicator.criteria.values_list("order", "text")
    )
    new = Assessment.objects.get(unit=assessment.unit, indicator=indicator)
    assert new.status == Assessment.Status.DRAFT and new.carried_over
    assert new.target == assessment.target
    for old_result in assessment.results.select_related("criterion"):
        result = new.results.get(criterion__order=old_result.criterion.order)
        assert result.narrative == old_result.narrative
        assert result.carried_from == old_result
        assert not result.met
        old_items = list(old_result.evidence_items.values_list("position", "caption", "url"))
        items = list(result.evidence_items.all())
        assert [(item.position, item.caption) for item in items] == [
            (position, caption or url) for position, caption, url in old_items
        ]
        assert all(item.to_confirm and not item.document and not item.url for item in items)
    assert "ตัวบ่งชี้ 1" in out.getvalue()
    # Last year's work is untouched.
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT and not assessment.carried_over


def test_running_it_twice_changes_nothing(assessment) -> None:
    call_command("start_cycle", "--from", "2563", "--to", "2564", stdout=StringIO())
    before = _snapshot()
    new = Assessment.objects.get(indicator__cycle__year_be=2564)
    result = new.results.first()
    result.narrative = "ปีนี้เขียนใหม่"
    result.save()
    out = StringIO()
    call_command("start_cycle", "--from", "2563", "--to", "2564", stdout=out)
    assert _snapshot() == before
    result.refresh_from_db()
    assert result.narrative == "ปีนี้เขียนใหม่"
    assert "ไม่มีการเปลี่ยนแปลง" in out.getvalue()


def test_a_missing_source_or_a_backward_year_is_refused(assessment) -> None:
    with pytest.raises(CommandError, match="ไม่พบรอบปี"):
        call_command("start_cycle", "--from", "2550", "--to", "2551", stdout=StringIO())
    with pytest.raises(CommandError, match="ต้องอยู่หลัง"):
        call_command("start_cycle", "--from", "2563", "--to", "2562", stdout=StringIO())
    assert not Cycle.objects.filter(year_be__in=[2551, 2562]).exists()


def test_admin_action_starts_the_next_cycle(client, assessment, qa_officer) -> None:
    url = reverse("admin:indicators_cycle_changelist")
    data = {"action": "start_next_cycle", "_selected_action": [assessment.indicator.cycle.pk]}
    client.force_login(QAAdminFactory(is_staff=True, is_superuser=True))
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert Cycle.objects.filter(year_be=2564).exists()
    assert Assessment.objects.filter(indicator__cycle__year_be=2564, carried_over=True).count() == 1


def test_service_report_counts(assessment) -> None:
    report = cycle_start_from(source=assessment.indicator.cycle, year_be=2564)
    assert report.counts["assessments"] == 1
    assert report.counts["results"] == 5
    assert (
        report.counts["items"] == EvidenceItem.objects.filter(result__assessment=assessment).count()
    )
    assert not cycle_start_from(source=assessment.indicator.cycle, year_be=2564).changed


def test_last_year_partial_shows_both_texts(assessment) -> None:
    from django.template.loader import render_to_string

    cycle_start_from(source=assessment.indicator.cycle, year_be=2564)
    result = CriterionResult.objects.get(
        assessment__indicator__cycle__year_be=2564, criterion__order=2
    )
    html = render_to_string("indicators/_last_year.html", {"result": result})
    assert html.count(result.carried_from.narrative[:40]) == 2
    assert "ยกมาจากปีที่แล้ว ยังไม่ได้แก้ไข" in html
    result.narrative = "ปีนี้ทำเพิ่ม"
    html = render_to_string("indicators/_last_year.html", {"result": result})
    assert "ปีนี้ทำเพิ่ม" in html and "ยังไม่ได้แก้ไข" not in html
    assert (
        render_to_string(
            "indicators/_last_year.html", {"result": assessment.results.first()}
        ).strip()
        == ""
    )
