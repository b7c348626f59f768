"""Assigning a cycle's indicators to units (service and the assign_indicators command)."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from evidence.models import EvidenceItem, ReviewComment
from indicators.models import Assessment, AssessmentTransition, CriterionResult, Cycle, Unit
from indicators.services.assignments import (
    AssignmentRefused,
    assignments_add,
    assignments_save,
)
from tests.factories import (
    CriterionFactory,
    CycleFactory,
    EvidenceItemFactory,
    IndicatorFactory,
    MembershipFactory,
    QAAdminFactory,
    QAOfficerFactory,
    ReviewCommentFactory,
    UnitFactory,
    set_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year() -> Cycle:
    """Cycle 2567 with a process indicator of 5 criteria and one of 3 criteria."""
    cycle = CycleFactory(year_be=2567)
    for number, count in (("1", 5), ("2", 3)):
        indicator = IndicatorFactory(cycle=cycle, number=number)
        for order in range(1, count + 1):
            CriterionFactory(indicator=indicator, order=order)
    return cycle


def _everything(cycle: Cycle) -> tuple:
    units = list(Unit.objects.order_by("name"))
    indicators = list(cycle.indicators.order_by("sort_key"))
    return units, indicators


def _rows() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Assessment, CriterionResult, EvidenceItem, ReviewComment)
    }


def test_assigning_creates_assessments_and_every_result(year: Cycle) -> None:
    admin = QAAdminFactory()
    UnitFactory.create_batch(3)
    units, indicators = _everything(year)
    report = assignments_add(cycle=year, units=units, indicators=indicators, by=admin)
    assert (report.created, report.results, report.removed) == (6, 3 * (5 + 3), 0)
    for unit in units:
        for indicator in indicators:
            assessment = Assessment.objects.get(unit=unit, indicator=indicator)
            assert assessment.status == Assessment.Status.DRAFT
            orders = list(assessment.results.values_list("criterion__order", flat=True))
            assert orders == list(range(1, indicator.criteria.count() + 1))
            assert assessment.history.first().history_user == admin
    # Again: nothing to do.
    again = assignments_add(cycle=year, units=units, indicators=indicators, by=admin)
    assert not again.changed and Assessment.objects.count() == 6


def test_the_matrix_assigns_and_unassigns_in_one_save(year: Cycle) -> None:
    admin = QAAdminFactory()
    first, second = UnitFactory(), UnitFactory()
    one, two = year.indicators.order_by("sort_key")
    assignments_add(cycle=year, units=[first], indicators=[one, two], by=admin)
    report = assignments_save(
        cycle=year,
        units=[first, second],
        indicators=[one, two],
        wanted={(first.pk, one.pk), (second.pk, two.pk)},
        by=admin,
    )
    assert (report.created, report.removed) == (1, 1)
    cells = set(Assessment.objects.values_list("unit_id", "indicator_id"))
    assert cells == {(first.pk, one.pk), (second.pk, two.pk)}
    # The removed assessment took its criterion results with it, and the history knows.
    assert CriterionResult.objects.count() == 5 + 3
    assert Assessment.history.filter(history_type="-").count() == 1
    assert CriterionResult.history.filter(history_type="-").count() == 3


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda a: a.results.filter(criterion__order=1).update(narrative="เขียนแล้ว"), "เขียน"),
        (lambda a: EvidenceItemFactory(result=a.results.first()), "หลักฐาน"),
        (lambda a: set_status(a, Assessment.Status.SUBMITTED), "ส่งแล้ว"),
        (lambda a: a.results.filter(criterion__order=2).update(met=True), "ผ่านเกณฑ์"),
        (lambda a: Assessment.objects.filter(pk=a.pk).update(target=3), "เป้าหมาย"),
        (lambda a: ReviewCommentFactory(assessment=a, author=QAOfficerFactory()), "ความเห็น"),
        (
            lambda a: AssessmentTransition.objects.create(
                assessment=a, from_status="submitted", to_status="draft"
            ),
            "ประวัติ",
        ),
    ],
)
def test_unassigning_an_assessment_with_data_is_refused_and_nothing_is_written(
    year: Cycle, spoil, reason: str
) -> None:
    admin = QAAdminFactory()
    first, second = UnitFactory(), UnitFactory()
    one, two = year.indicators.order_by("sort_key")
    assignments_add(cycle=year, units=[first, second], indicators=[one], by=admin)
    spoiled = Assessment.objects.get(unit=first, indicator=one)
    spoil(spoiled)
    before = _rows()
    with pytest.raises(AssignmentRefused) as refused:
        # Unassign both (one of them empty) and assign a new one: all or nothing.
        assignments_save(
            cycle=year,
            units=[first, second],
            indicators=[one, two],
            wanted={(first.pk, two.pk)},
            by=admin,
        )
    assert set(refused.value.refused) == {(first.pk, one.pk)}
    assert reason in refused.value.refused[(first.pk, one.pk)]
    assert "ยกเลิกการมอบหมายไม่ได้ 1 รายการ" in str(refused.value)
    assert _rows() == before


def test_only_a_qa_administrator_assigns(year: Cycle) -> None:
    unit = UnitFactory()
    units, indicators = _everything(year)
    head = MembershipFactory(unit=unit, role="head").user
    for user in (head, QAOfficerFactory()):
        with pytest.raises(PermissionDenied):
            assignments_add(cycle=year, units=units, indicators=indicators, by=user)
    assert not Assessment.objects.exists()


def test_cells_outside_the_page_or_the_cycle_are_refused(year: Cycle) -> None:
    admin = QAAdminFactory()
    unit, other = UnitFactory(), UnitFactory()
    one = year.indicators.order_by("sort_key").first()
    elsewhere = IndicatorFactory(cycle=CycleFactory(year_be=2566))
    with pytest.raises(ValidationError):
        assignments_save(
            cycle=year, units=[unit], indicators=[one], wanted={(other.pk, one.pk)}, by=admin
        )
    with pytest.raises(ValidationError):
        assignments_add(cycle=year, units=[unit], indicators=[elsewhere], by=admin)
    assert not Assessment.objects.exists()


# --- The command ---------------------------------------------------------------------


def test_command_assigns_every_indicator_to_all_units(year: Cycle) -> None:
    UnitFactory.create_batch(4)
    out = StringIO()
    call_command("assign_indicators", "--year", "2567", "--all-units", stdout=out)
    assert Assessment.objects.filter(indicator__cycle=year).count() == 8
    assert CriterionResult.objects.count() == 4 * 8
    assert "created 8 assessments, 32 criterion results" in out.getvalue()
    out = StringIO()
    call_command("assign_indicators", "--year", "2567", "--cycle-kind", "fiscal",
                 "--all-units", stdout=out)  # fmt: skip
    assert "created 0 assessments" in out.getvalue()
    assert Assessment.objects.count() == 8


def test_command_named_units_and_indicators(year: Cycle) -> None:
    press = UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ")
    library = UnitFactory(name="สำนักบรรณสารสนเทศ", evidence_prefix="สบ")
    UnitFactory()
    call_command("assign_indicators", "--year", "2567", "--unit", "สำนักพิมพ์", "--unit", "สบ",
                 "--indicator", "2", stdout=StringIO())  # fmt: skip
    cells = set(Assessment.objects.values_list("unit__name", "indicator__number"))
    assert cells == {(press.name, "2"), (library.name, "2")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2599", "--all-units"], "ไม่พบรอบปี 2599"),
        (["--year", "2567", "--unit", "ไม่มี"], "ไม่พบหน่วยงาน ไม่มี"),
        (["--year", "2567", "--all-units", "--indicator", "9"], "ไม่มีตัวบ่งชี้ที่ 9"),
    ],
)
def test_command_refuses_what_does_not_exist(year: Cycle, args: list, message: str) -> None:
    UnitFactory()
    with pytest.raises(CommandError, match=message):
        call_command("assign_indicators", *args, stdout=StringIO())
    assert not Assessment.objects.exists()
