"""Every way an output or outcome indicator comes into being gives it its one measure
criterion (order 1) and a result for it in each assessment; the details service computes
the value from its data."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from indicators.locking import StaleEditError
from indicators.models import Assessment, Criterion, CriterionResult, Cycle, Indicator, Unit
from indicators.services.assignments import assignments_add
from indicators.services.cycles import indicator_set_copy
from indicators.services.editing import assessment_edit_token, assessment_update_details
from indicators.services.indicator_sets.imports import indicator_set_import
from indicators.services.indicators import indicator_measure_criterion_ensure, indicator_save
from indicators.sheets import SheetError
from tests.factories import AssessmentFactory, CycleFactory, IndicatorFactory, QAAdminFactory
from tests.indicators.output_world import DENOMINATOR, NUMERATOR, TITLE, output_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db: None) -> User:
    return QAAdminFactory()


def _new_output(cycle: Cycle) -> Indicator:
    return Indicator(
        cycle=cycle, number="5", title=TITLE, kind=Indicator.Kind.OUTPUT,
        full_score_value=Decimal(80), result_unit="ร้อยละ",
        numerator_label=NUMERATOR, denominator_label=DENOMINATOR,
    )  # fmt: skip


def test_saving_an_output_indicator_gives_it_its_criterion(admin_user: User) -> None:
    indicator = indicator_save(indicator=_new_output(CycleFactory()), by=admin_user)
    (criterion,) = indicator.criteria.all()
    assert criterion.order == 1
    assert criterion.text.startswith(TITLE) and NUMERATOR in criterion.text
    # Saving again adds nothing.
    indicator_save(indicator=indicator, by=admin_user)
    assert indicator.criteria.count() == 1


def test_a_process_indicator_gets_no_criterion(admin_user: User) -> None:
    indicator = IndicatorFactory()
    assert indicator_measure_criterion_ensure(indicator=indicator) is None
    assert not indicator.criteria.exists()


def test_the_criterion_reaches_assessments_made_before_it(unit: Unit) -> None:
    indicator = IndicatorFactory(
        kind=Indicator.Kind.OUTCOME, score_table=[], full_score_value=Decimal(4)
    )
    assessment = AssessmentFactory(unit=unit, indicator=indicator)
    criterion = indicator_measure_criterion_ensure(indicator=indicator)
    assert criterion is not None
    assert assessment.results.get().criterion == criterion


def test_assigning_an_output_indicator_without_criteria_creates_both(unit: Unit) -> None:
    indicator = IndicatorFactory(
        number="5", kind=Indicator.Kind.OUTPUT, score_table=[], full_score_value=Decimal(80)
    )
    report = assignments_add(cycle=indicator.cycle, units=[unit], indicators=[indicator], by=None)
    assert report.created == 1 and report.results == 1
    result = CriterionResult.objects.get(assessment__unit=unit, assessment__indicator=indicator)
    assert result.code_stem == "สพ 5-1"


def test_copying_the_set_copies_the_criterion_and_labels(admin_user: User, unit: Unit) -> None:
    old = output_assessment(unit).indicator
    cycle = CycleFactory(year_be=2564)
    indicator_set_copy(source=old.cycle, cycle=cycle, by=admin_user)
    copy = cycle.indicators.get(number="5")
    assert (copy.numerator_label, copy.denominator_label) == (NUMERATOR, DENOMINATOR)
    assert list(copy.criteria.values_list("order", flat=True)) == [1]


def test_copying_an_old_output_indicator_without_criteria_gives_it_one(admin_user: User) -> None:
    old = IndicatorFactory(kind=Indicator.Kind.OUTPUT, score_table=[], full_score_value=Decimal(3))
    cycle = CycleFactory(year_be=2565)
    report = indicator_set_copy(source=old.cycle, cycle=cycle, by=admin_user)
    assert report.counts["criteria"] == 1
    assert Criterion.objects.filter(indicator__cycle=cycle, order=1).exists()


def test_importing_an_output_indicator_without_criterion_rows(admin_user: User) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["ตัวบ่งชี้ที่", "ชื่อตัวบ่งชี้", "ชนิดของตัวบ่งชี้", "ค่าที่ได้คะแนนเต็ม", "หน่วย"] + ["เกณฑ์ข้อที่", "เกณฑ์มาตรฐาน"]
    )
    sheet.append(["5", TITLE, "ผลผลิต", "80", "ร้อยละ", None, None])
    out = io.BytesIO()
    book.save(out)
    cycle = CycleFactory(year_be=2567)
    indicator_set_import(cycle=cycle, data=out.getvalue())
    indicator = cycle.indicators.get(number="5")
    assert [(c.order, c.text) for c in indicator.criteria.all()] == [(1, TITLE)]


# --- The value from its data -----------------------------------------------------------


def _save(assessment: Assessment, **values: object) -> Assessment:
    return assessment_update_details(
        assessment=assessment, values=values, edited_from=assessment_edit_token(assessment)
    )


def test_the_value_is_computed_from_numerator_and_denominator(unit: Unit) -> None:
    assessment = output_assessment(unit)
    saved = _save(assessment, numerator=Decimal(171), denominator=Decimal(200),
                  result_value=Decimal(1))  # fmt: skip
    assert saved.result_value == Decimal("85.50")
    assert saved.self_score == Decimal("5.00")
    assessment.refresh_from_db()
    assert (assessment.numerator, assessment.denominator) == (Decimal(171), Decimal(200))


def test_without_data_the_typed_value_stays(unit: Unit) -> None:
    assessment = output_assessment(unit)
    saved = _save(assessment, numerator=None, denominator=None, result_value=Decimal(40))
    assert saved.result_value == Decimal(40) and saved.self_score == Decimal("2.50")


def test_bad_data_writes_nothing(unit: Unit) -> None:
    assessment = output_assessment(unit)
    with pytest.raises(ValidationError) as refused:
        _save(assessment, numerator=Decimal(120), denominator=Decimal(100), target=Decimal(9))
    assert "numerator" in refused.value.message_dict
    assessment.refresh_from_db()
    assert assessment.numerator is None and assessment.target is None


def test_a_stale_save_is_refused(unit: Unit) -> None:
    assessment = output_assessment(unit)
    token = assessment_edit_token(assessment)
    _save(assessment, numerator=Decimal(1), denominator=Decimal(2))
    with pytest.raises(StaleEditError):
        assessment_update_details(
            assessment=assessment,
            values={"numerator": Decimal(2), "denominator": Decimal(2)},
            edited_from=token,
        )


def _label_sheet(numerator: str | None, denominator: str | None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["ตัวบ่งชี้ที่", "ชื่อตัวบ่งชี้", "ชนิดของตัวบ่งชี้", "ค่าที่ได้คะแนนเต็ม", "หน่วย"]
        + ["ชื่อตัวตั้ง", "ชื่อตัวหาร", "เกณฑ์ข้อที่", "เกณฑ์มาตรฐาน"]
    )
    sheet.append(["5", TITLE, "ผลผลิต", "80", "ร้อยละ", numerator, denominator, None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_importing_the_numerator_and_denominator_names() -> None:
    cycle = CycleFactory(year_be=2567)
    indicator_set_import(cycle=cycle, data=_label_sheet(NUMERATOR, DENOMINATOR))
    indicator = cycle.indicators.get(number="5")
    assert (indicator.numerator_label, indicator.denominator_label) == (NUMERATOR, DENOMINATOR)
    assert indicator.has_ratio and NUMERATOR in indicator.criteria.get().text


def test_one_name_without_the_other_is_refused_naming_the_column() -> None:
    cycle = CycleFactory(year_be=2567)
    with pytest.raises(SheetError) as refused:
        indicator_set_import(cycle=cycle, data=_label_sheet(NUMERATOR, None))
    (error,) = refused.value.errors
    assert (error.row, error.column) == (2, "ชื่อตัวหาร")
    assert "ระบุทั้งชื่อตัวตั้งและชื่อตัวหาร" in error.message
    assert not cycle.indicators.exists()
