"""Starting a new cycle from the last one (service, command and admin action)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from evidence.models import EvidenceItem
from indicators.models import Assessment, Criterion, CriterionResult, Cycle, Indicator
from indicators.services.cycles import cycle_save, cycle_start_from, indicator_set_copy
from indicators.services.indicators import (
    assessments_with_data,
    criterion_add,
    criterion_delete,
    criterion_move,
    criterion_update,
    indicator_delete,
    indicator_save,
)
from tests.factories import (
    AssessmentFactory,
    CriterionFactory,
    CriterionResultFactory,
    CycleFactory,
    EvidenceItemFactory,
    IndicatorFactory,
    QAAdminFactory,
)


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


# --- Setting a cycle up by hand (the QA administrator's services) ---------------------


@pytest.fixture
def qa_admin(db):
    return QAAdminFactory(username="ada")


def test_setup_services_refuse_anyone_but_a_qa_administrator(assessment, staff, qa_officer):
    from django.core.exceptions import PermissionDenied

    indicator = assessment.indicator
    criterion = indicator.criteria.first()
    other = CycleFactory(year_be=2570)
    before = _snapshot()
    for user in (staff, qa_officer):
        calls = [
            (cycle_save, {"cycle": Cycle(kind="academic", year_be=2571)}),
            (indicator_set_copy, {"source": indicator.cycle, "cycle": other}),
            (indicator_save, {"indicator": indicator}),
            (indicator_delete, {"indicator": indicator}),
            (criterion_add, {"indicator": indicator, "text": "ใหม่"}),
            (criterion_update, {"criterion": criterion, "text": "ใหม่"}),
            (criterion_delete, {"criterion": criterion}),
            (criterion_move, {"criterion": criterion, "up": False}),
        ]
        for service, kwargs in calls:
            with pytest.raises(PermissionDenied, match="เฉพาะผู้ดูแลระบบประกันคุณภาพ"):
                service(**kwargs, by=user)
    assert _snapshot() == before


def test_cycle_start_and_the_indicator_set_copy_share_one_copy(assessment, qa_admin):
    """Copying the set into a cycle, then starting that cycle from the same source,
    creates no second indicator or criterion: both use the same copy."""
    source = assessment.indicator.cycle
    target = CycleFactory(year_be=2564)
    report = indicator_set_copy(source=source, cycle=target, by=qa_admin)
    assert report.counts == {"indicators": 1, "criteria": 5, "results": 0}
    started = cycle_start_from(source=source, year_be=2564)
    assert started.cycle == target
    assert (started.counts["indicators"], started.counts["criteria"]) == (0, 0)
    assert started.counts["assessments"] == 1 and started.counts["results"] == 5
    assert target.indicators.count() == 1
    assert Criterion.objects.filter(indicator__cycle=target).count() == 5


def test_copy_completes_an_indicator_units_already_assess(assessment, qa_admin):
    """A criterion the copy adds to an indicator that a unit already assesses gets its
    result in that assessment (no assessment without a row for one of its criteria)."""
    source = assessment.indicator.cycle
    target = CycleFactory(year_be=2564)
    indicator = IndicatorFactory(cycle=target, number="3", title="มีแล้ว")
    CriterionFactory(indicator=indicator, order=1, text="ข้อแรกของปีนี้")
    started = AssessmentFactory(indicator=indicator, unit=assessment.unit)
    CriterionResultFactory(assessment=started, criterion=indicator.criteria.get())
    report = indicator_set_copy(source=source, cycle=target, by=qa_admin)
    assert report.counts == {"indicators": 0, "criteria": 4, "results": 4}
    indicator.refresh_from_db()
    assert indicator.title == "มีแล้ว"  # kept, never overwritten
    assert indicator.criteria.get(order=1).text == "ข้อแรกของปีนี้"
    assert started.results.count() == 5


def test_criterion_add_gives_every_assessment_its_result_at_once(assessment, qa_admin):
    indicator = assessment.indicator
    others = [AssessmentFactory(indicator=indicator) for _ in range(3)]
    criterion = criterion_add(indicator=indicator, text="ข้อใหม่", by=qa_admin)
    assert criterion.order == 6
    for each in [assessment, *others]:
        assert each.results.filter(criterion=criterion).count() == 1
    # History rows are written for the new results, as for any other write.
    assert CriterionResult.history.filter(criterion_id=criterion.pk).count() == 4


def test_criterion_add_is_all_or_nothing(assessment, qa_admin, monkeypatch):
    from indicators.services import indicators

    def broken(criterion):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(indicators, "criterion_results_add", broken)
    before = _snapshot()
    with pytest.raises(RuntimeError):
        criterion_add(indicator=assessment.indicator, text="ข้อใหม่", by=qa_admin)
    assert _snapshot() == before


def test_an_untouched_assessment_has_no_data_and_any_write_counts(qa_admin):
    indicator = IndicatorFactory()
    criterion = CriterionFactory(indicator=indicator, order=1)
    assessment = AssessmentFactory(indicator=indicator, target=None)
    result = CriterionResultFactory(assessment=assessment, criterion=criterion, narrative="")
    assert not assessments_with_data(indicator).exists()
    for change in ({"met": True}, {"narrative": "เขียนแล้ว"}, {"committee_met": False}):
        CriterionResult.objects.filter(pk=result.pk).update(**change)
        assert list(assessments_with_data(indicator)) == [assessment], change
        CriterionResult.objects.filter(pk=result.pk).update(met=False, narrative="",
                                                            committee_met=None)  # fmt: skip
    for change in ({"target": 3}, {"strengths": "ดี"}, {"status": "submitted"},
                   {"carried_over": True}):  # fmt: skip
        Assessment.objects.filter(pk=assessment.pk).update(**change)
        assert list(assessments_with_data(indicator)) == [assessment], change
        Assessment.objects.filter(pk=assessment.pk).update(
            target=None, strengths="", status="draft", carried_over=False
        )
    EvidenceItemFactory(result=result, position=1)
    assert list(assessments_with_data(indicator)) == [assessment]


def test_indicator_save_checks_the_rule_of_its_kind(qa_admin):
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    cycle = CycleFactory()
    output = Indicator(cycle=cycle, number="9", title="ผลผลิต", kind="output",
                       score_table=[[1, 1]], full_score_value=Decimal(40))  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        indicator_save(indicator=output, by=qa_admin)
    assert "result_unit" in caught.value.message_dict
    output.result_unit = "ร้อยละ"
    indicator_save(indicator=output, by=qa_admin)
    output.refresh_from_db()
    assert output.score_table == []  # a value-scored indicator keeps no table
    process = Indicator(cycle=cycle, number="10", title="กระบวนการ", kind="process")
    with pytest.raises(ValidationError) as caught:
        indicator_save(indicator=process, by=qa_admin)
    assert "score_table" in caught.value.message_dict
    duplicate = Indicator(cycle=cycle, number="9", title="ซ้ำ", kind="output",
                          full_score_value=Decimal(1), result_unit="คน")  # fmt: skip
    with pytest.raises(ValidationError, match="มีตัวบ่งชี้ที่ 9 อยู่แล้ว"):
        indicator_save(indicator=duplicate, by=qa_admin)


def test_cycle_save_refuses_a_duplicate_in_thai(qa_admin):
    import datetime

    from django.core.exceptions import ValidationError

    CycleFactory(kind="fiscal", year_be=2566)
    again = Cycle(kind="fiscal", year_be=2566, start_date=datetime.date(2022, 10, 1),
                  end_date=datetime.date(2023, 9, 30))  # fmt: skip
    with pytest.raises(ValidationError, match="มีปีงบประมาณ 2566 อยู่แล้ว"):
        cycle_save(cycle=again, by=qa_admin)
