"""Thai higher-education QA scoring rules, as pure functions.

The rules themselves are data on each Indicator (``score_table`` and
``full_score_value``); these functions only apply them, so that a new mapping
is an edit in the admin, not a code change.
"""

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_SCORE = Decimal(5)
_CENTS = Decimal("0.01")

# The usual mappings: criteria met → score. Each row is [at least n met, score].
FIVE_CRITERIA_TABLE: list[list[int | float]] = [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]
SEVEN_CRITERIA_TABLE: list[list[int | float]] = [[1, 1], [2, 2], [3, 3], [5, 4], [7, 5]]


def two_places(value: Decimal) -> Decimal:
    return value.quantize(_CENTS, rounding=ROUND_HALF_UP)


def validate_score_table(table: object) -> None:
    """A table is a list of [minimum criteria met, score] rows, both rising."""
    message = _("ตารางคะแนนต้องเป็นรายการ [จำนวนข้อที่ผ่านขั้นต่ำ, คะแนน] เรียงจากน้อยไปมาก")
    if not isinstance(table, list) or not table:
        raise ValidationError(message, code="score_table")
    previous_met, previous_score = -1, Decimal(-1)
    for row in table:
        if not (isinstance(row, list | tuple) and len(row) == 2):
            raise ValidationError(message, code="score_table")
        met, score = row
        if not isinstance(met, int) or isinstance(met, bool) or met <= previous_met:
            raise ValidationError(message, code="score_table")
        try:
            score_value = Decimal(str(score))
        except ArithmeticError:
            raise ValidationError(message, code="score_table") from None
        # NaN (which JSON parsing lets through) cannot even be compared: refuse it first.
        if not score_value.is_finite():
            raise ValidationError(message, code="score_table")
        if not (previous_score <= score_value <= MAX_SCORE) or score_value < 0:
            raise ValidationError(message, code="score_table")
        previous_met, previous_score = met, score_value


def is_valid_score_table(table: object) -> bool:
    try:
        validate_score_table(table)
    except ValidationError:
        return False
    return True


def score_from_count(met: int, table: Sequence[Sequence[int | float | str]]) -> Decimal:
    """Score of the highest row whose minimum is reached; 0 when none is."""
    score = Decimal(0)
    for minimum, row_score in table:
        if met >= int(minimum):
            score = Decimal(str(row_score))
    return two_places(score)


def score_from_value(value: Decimal, full_score_value: Decimal) -> Decimal:
    """Output/outcome indicators: value against the full-score point, capped at 5."""
    if full_score_value <= 0:
        raise ValueError("The full-score point must be positive.")
    if value <= 0:
        return two_places(Decimal(0))
    return two_places(min(MAX_SCORE, value / full_score_value * MAX_SCORE))


def mean_score(scores: Iterable[Decimal | None]) -> Decimal | None:
    """Mean of the scores that exist, two decimals; None when there are none."""
    present = [score for score in scores if score is not None]
    if not present:
        return None
    return two_places(sum(present, Decimal(0)) / len(present))


class QualityLevel(models.TextChoices):
    URGENT = "urgent", _("ต้องปรับปรุงเร่งด่วน")
    IMPROVE = "improve", _("ต้องปรับปรุง")
    FAIR = "fair", _("พอใช้")
    GOOD = "good", _("ดี")
    EXCELLENT = "excellent", _("ดีมาก")


# Upper bounds (inclusive) of each level, on scores rounded to two decimals.
_LEVEL_BOUNDS = [
    (Decimal("1.50"), QualityLevel.URGENT),
    (Decimal("2.50"), QualityLevel.IMPROVE),
    (Decimal("3.50"), QualityLevel.FAIR),
    (Decimal("4.50"), QualityLevel.GOOD),
]


def quality_level(score: Decimal) -> QualityLevel:
    rounded = two_places(score)
    for upper, level in _LEVEL_BOUNDS:
        if rounded <= upper:
            return level
    return QualityLevel.EXCELLENT
