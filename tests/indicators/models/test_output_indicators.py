"""Output and outcome indicators' value from its data (Indicator.value_from, check_ratio)
and what the SAR writes about it (Assessment.measure_lines)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import Indicator, Unit
from tests.indicators.output_world import DENOMINATOR, NUMERATOR, output_assessment

pytestmark = pytest.mark.django_db


def test_a_percentage_is_numerator_over_denominator_times_100() -> None:
    indicator = Indicator(kind=Indicator.Kind.OUTPUT, result_unit="ร้อยละ")
    assert indicator.is_percentage
    assert indicator.value_from(Decimal(85), Decimal(100)) == Decimal("85.00")
    # Rounded half up to two places: 2 / 3 = 66.666…
    assert indicator.value_from(Decimal(2), Decimal(3)) == Decimal("66.67")
    assert indicator.value_from(Decimal(1), Decimal(8)) == Decimal("12.50")


def test_another_unit_is_the_plain_ratio() -> None:
    indicator = Indicator(kind=Indicator.Kind.OUTCOME, result_unit="คะแนน")
    assert not indicator.is_percentage
    assert indicator.value_from(Decimal(45), Decimal(10)) == Decimal("4.50")


@pytest.mark.parametrize(
    ("numerator", "denominator", "field", "message"),
    [
        (Decimal(1), None, "denominator", "กรอกทั้งตัวตั้งและตัวหาร"),
        (None, Decimal(1), "numerator", "กรอกทั้งตัวตั้งและตัวหาร"),
        (Decimal(1), Decimal(0), "denominator", "ตัวหารต้องมากกว่า 0"),
        (Decimal(-1), Decimal(5), "numerator", "ตัวตั้งต้องไม่ติดลบ"),
        (Decimal(101), Decimal(100), "numerator", "ตัวตั้งต้องไม่มากกว่าตัวหาร"),
    ],
)
def test_bad_data_is_refused_in_thai(
    numerator: Decimal | None, denominator: Decimal | None, field: str, message: str
) -> None:
    indicator = Indicator(kind=Indicator.Kind.OUTPUT, result_unit="ร้อยละ")
    with pytest.raises(ValidationError) as refused:
        indicator.check_ratio(numerator, denominator)
    assert message in " ".join(refused.value.message_dict[field])


def test_a_value_too_large_for_its_column_is_refused() -> None:
    indicator = Indicator(kind=Indicator.Kind.OUTPUT, result_unit="เท่า")
    with pytest.raises(ValidationError) as refused:
        indicator.check_ratio(Decimal(10**9), Decimal("0.01"))
    assert "ใหญ่เกินไป" in refused.value.message_dict["denominator"][0]


def test_more_than_the_denominator_is_fine_outside_percentages() -> None:
    indicator = Indicator(kind=Indicator.Kind.OUTPUT, result_unit="เท่า")
    indicator.check_ratio(Decimal(30), Decimal(10))
    indicator.check_ratio(None, None)


def test_only_value_indicators_with_both_labels_have_a_ratio() -> None:
    labels = {"numerator_label": NUMERATOR, "denominator_label": DENOMINATOR}
    assert Indicator(kind=Indicator.Kind.OUTPUT, **labels).has_ratio
    assert not Indicator(kind=Indicator.Kind.PROCESS, **labels).has_ratio
    assert not Indicator(kind=Indicator.Kind.OUTPUT, numerator_label=NUMERATOR).has_ratio


def test_measure_text_says_how_it_is_computed() -> None:
    indicator = Indicator(
        kind=Indicator.Kind.OUTPUT, title="ร้อยละของบัณฑิต", result_unit="ร้อยละ",
        numerator_label=NUMERATOR, denominator_label=DENOMINATOR,
    )  # fmt: skip
    assert indicator.measure_text() == (f"ร้อยละของบัณฑิต\nคำนวณจาก {NUMERATOR} ÷ {DENOMINATOR} × 100")
    assert Indicator(kind=Indicator.Kind.OUTPUT, title="จำนวนผลงาน").measure_text() == "จำนวนผลงาน"


def test_measure_lines_give_the_value_and_its_data(unit: Unit) -> None:
    assessment = output_assessment(unit)
    assert assessment.measure_lines == []  # nothing measured yet
    assessment.result_value = Decimal("85.50")
    assert assessment.measure_lines == ["ผลการดำเนินงาน: 85.50 ร้อยละ"]
    assessment.numerator, assessment.denominator = Decimal(171), Decimal(200)
    assert assessment.measure_lines[1] == f"{NUMERATOR} 171 จาก{DENOMINATOR} 200"


def test_the_database_refuses_a_zero_denominator(unit: Unit) -> None:
    assessment = output_assessment(unit)
    assessment.denominator = Decimal(0)
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment.save()
