"""An assessment scores itself from its criteria or its value, within the database's rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from indicators.models import CriterionResult, Indicator
from tests.factories import (
    AssessmentFactory,
    CriterionResultFactory,
    IndicatorFactory,
)

pytestmark = pytest.mark.django_db


def test_process_assessment_scores_by_criteria_met() -> None:
    assessment = AssessmentFactory(target=Decimal(5))
    for order in range(1, 6):
        CriterionResultFactory(assessment=assessment, criterion__order=order, met=order <= 4)
    assert assessment.met_count == 4
    assert assessment.self_score == Decimal("4.00")
    assert assessment.achieved is False
    assert assessment.quality_level.label == "ดี"


def test_output_assessment_scores_by_value() -> None:
    indicator = IndicatorFactory(
        kind=Indicator.Kind.OUTPUT, score_table=[], full_score_value=Decimal(40)
    )
    assessment = AssessmentFactory(
        indicator=indicator, target=Decimal(30), result_value=Decimal("33.33")
    )
    assert assessment.self_score == Decimal("4.17")
    assert assessment.achieved is True


def test_committee_score_between_0_and_5() -> None:
    with pytest.raises(IntegrityError):
        AssessmentFactory(committee_score=Decimal("5.5"))


def test_criterion_result_without_its_parts_leaves_them_to_required() -> None:
    with pytest.raises(ValidationError) as caught:
        CriterionResult(narrative="x").full_clean()
    assert set(caught.value.message_dict) == {"assessment", "criterion"}
