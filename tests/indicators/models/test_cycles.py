"""Cycles and their indicators: dates, the Thai period, numbering and uniqueness."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from indicators.models import Cycle, Indicator
from tests.factories import (
    CycleFactory,
    IndicatorFactory,
)

pytestmark = pytest.mark.django_db


def test_fiscal_cycle_2563_runs_oct_2019_to_sep_2020() -> None:
    assert Cycle.fiscal_dates(2563) == (datetime.date(2019, 10, 1), datetime.date(2020, 9, 30))


def test_period_is_written_the_thai_way() -> None:
    cycle = CycleFactory(year_be=2563)
    assert cycle.period_display == "ปีงบประมาณ พ.ศ.2563 (1 ต.ค. 62 - 30 ก.ย. 63)"
    academic = CycleFactory(
        kind=Cycle.Kind.ACADEMIC,
        year_be=2564,
        start_date=datetime.date(2021, 6, 1),
        end_date=datetime.date(2022, 5, 31),
    )
    assert academic.period_display == "ปีการศึกษา 2564 (1 มิ.ย. 64 - 31 พ.ค. 65)"


def test_cycle_must_end_after_it_starts() -> None:
    with pytest.raises(IntegrityError):
        CycleFactory(
            year_be=2570,
            start_date=datetime.date(2027, 10, 1),
            end_date=datetime.date(2027, 9, 30),
        )


def test_indicators_sort_numerically() -> None:
    cycle = CycleFactory()
    for number in ["1.10", "2", "1.9", "10", "1.1"]:
        IndicatorFactory(cycle=cycle, number=number)
    numbers = list(Indicator.objects.filter(cycle=cycle).values_list("number", flat=True))
    assert numbers == ["1.1", "1.9", "1.10", "2", "10"]


def test_indicator_number_unique_per_cycle() -> None:
    indicator = IndicatorFactory(number="3")
    with pytest.raises(IntegrityError):
        IndicatorFactory(cycle=indicator.cycle, number="3")


@pytest.mark.parametrize(
    "table", [[], None, "x", {}, [[1]], [["1", 5]], [[2, 1], [1, 2]], [[1, 9]]]
)
def test_incomplete_score_table_gives_no_score(table: object) -> None:
    """Rows saved past clean() (an import, an old admin) must not break every page."""
    indicator = IndicatorFactory.build(score_table=table)
    assert indicator.score(met=3) is None


@pytest.mark.parametrize("full_score", [None, Decimal(0), Decimal(-5)])
def test_missing_full_score_gives_no_score(full_score: Decimal | None) -> None:
    indicator = IndicatorFactory.build(kind=Indicator.Kind.OUTPUT, full_score_value=full_score)
    assert indicator.score(value=Decimal(30)) is None


def test_indicator_rules_are_field_errors_in_thai() -> None:
    indicator = IndicatorFactory.build(
        kind=Indicator.Kind.OUTPUT, score_table=None, full_score_value=Decimal(0)
    )
    with pytest.raises(ValidationError) as caught:
        indicator.clean()
    assert caught.value.message_dict == {"full_score_value": ["ค่าที่ได้คะแนนเต็มต้องมากกว่า 0"]}
    assert indicator.score_table == []  # an empty JSON box, ready for the NOT NULL column

    process = IndicatorFactory.build(score_table=[[1, float("nan")]])
    with pytest.raises(ValidationError) as caught:
        process.clean()
    assert list(caught.value.message_dict) == ["score_table"]


def test_cycle_end_before_start_is_a_field_error() -> None:
    cycle = Cycle(
        kind=Cycle.Kind.ACADEMIC,
        year_be=2565,
        start_date=datetime.date(2022, 7, 1),
        end_date=datetime.date(2022, 7, 1),
    )
    with pytest.raises(ValidationError) as caught:
        cycle.full_clean()
    assert caught.value.message_dict == {"end_date": ["วันสิ้นสุดต้องอยู่หลังวันเริ่มต้น"]}
