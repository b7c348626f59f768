from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.scoring import (
    FIVE_CRITERIA_TABLE,
    SEVEN_CRITERIA_TABLE,
    QualityLevel,
    mean_score,
    quality_level,
    score_from_count,
    score_from_value,
    validate_score_table,
)

D = Decimal


@pytest.mark.parametrize("met, score", [(0, "0"), (1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")])
def test_five_criteria_one_point_each(met: int, score: str) -> None:
    assert score_from_count(met, FIVE_CRITERIA_TABLE) == D(score)


@pytest.mark.parametrize(
    "met, score", [(0, "0"), (1, "1"), (2, "2"), (3, "3"), (4, "3"), (5, "4"), (6, "4"), (7, "5")]
)
def test_seven_criteria_mapping(met: int, score: str) -> None:
    assert score_from_count(met, SEVEN_CRITERIA_TABLE) == D(score)


@pytest.mark.parametrize(
    "value, full, score",
    [
        ("0", "40", "0.00"),
        ("20", "40", "2.50"),
        ("39.99", "40", "5.00"),  # 4.99875 rounds half-up to two places
        ("33.33", "40", "4.17"),
        ("40", "40", "5.00"),
        ("93.66", "40", "5.00"),  # capped at 5
        ("12.5", "80", "0.78"),
    ],
)
def test_value_against_full_score_point(value: str, full: str, score: str) -> None:
    assert score_from_value(D(value), D(full)) == D(score)


def test_full_score_point_must_be_positive() -> None:
    with pytest.raises(ValueError):
        score_from_value(D(10), D(0))


@pytest.mark.parametrize(
    "score, level",
    [
        ("0.00", QualityLevel.URGENT),
        ("1.50", QualityLevel.URGENT),
        ("1.51", QualityLevel.IMPROVE),
        ("2.50", QualityLevel.IMPROVE),
        ("2.51", QualityLevel.FAIR),
        ("3.50", QualityLevel.FAIR),
        ("3.51", QualityLevel.GOOD),
        ("4.50", QualityLevel.GOOD),
        ("4.51", QualityLevel.EXCELLENT),
        ("5.00", QualityLevel.EXCELLENT),
        ("1.504", QualityLevel.URGENT),  # rounds to 1.50 first
        ("1.505", QualityLevel.IMPROVE),  # rounds to 1.51 first
    ],
)
def test_quality_level_boundaries(score: str, level: QualityLevel) -> None:
    assert quality_level(D(score)) == level


def test_quality_level_labels_are_thai() -> None:
    assert QualityLevel.URGENT.label == "ต้องปรับปรุงเร่งด่วน"
    assert QualityLevel.EXCELLENT.label == "ดีมาก"


def test_unit_mean_two_decimals_ignores_missing() -> None:
    assert mean_score([D(5), D(4), D(4)]) == D("4.33")
    assert mean_score([D(5), None, D(2)]) == D("3.50")
    assert mean_score([D("1.005"), D("1.00")]) == D("1.00")
    assert mean_score([None]) is None


@pytest.mark.parametrize(
    "table",
    [[], [[1, 1], [1, 2]], [[2, 3], [1, 1]], [[1, 6]], [[1, 3], [2, 2]], "1,2", [[1]], [[True, 1]]],
)
def test_bad_score_tables_are_rejected(table: object) -> None:
    with pytest.raises(ValidationError):
        validate_score_table(table)


def test_usual_tables_are_valid() -> None:
    validate_score_table(FIVE_CRITERIA_TABLE)
    validate_score_table(SEVEN_CRITERIA_TABLE)
