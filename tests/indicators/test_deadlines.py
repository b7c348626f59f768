"""What is due and what is overdue (indicators/deadlines.py) and the deadlines' checks."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indicators.deadlines import deadline_of
from indicators.models import Assessment

from ..factories import set_status

pytestmark = pytest.mark.django_db

DUE = datetime.date(2024, 12, 15)  # 15 ธ.ค. 2567


def _with_deadlines(
    assessment: Assessment, submission: datetime.date | None, review: datetime.date | None
) -> Assessment:
    cycle = assessment.indicator.cycle
    cycle.submission_deadline, cycle.review_deadline = submission, review
    cycle.save()
    assessment.refresh_from_db()
    return assessment


def test_a_draft_is_due_on_its_cycles_submission_deadline(assessment: Assessment) -> None:
    _with_deadlines(assessment, DUE, DUE + datetime.timedelta(days=14))
    deadline = deadline_of(assessment, on=datetime.date(2024, 12, 1))
    assert deadline is not None
    assert (deadline.day, deadline.review, deadline.days_left) == (DUE, False, 14)
    assert not deadline.overdue and not deadline.soon
    assert deadline.label == "ครบกำหนดส่ง 15 ธ.ค. 2567"
    with translation.override("en"):
        assert deadline.label == "Submission due 15 Dec 2567"  # one calendar: BE


def test_a_draft_after_its_deadline_is_overdue_by_days(assessment: Assessment) -> None:
    _with_deadlines(assessment, DUE, None)
    deadline = deadline_of(assessment, on=datetime.date(2024, 12, 18))
    assert deadline is not None and deadline.overdue and deadline.days_left == -3
    assert deadline.label == "เลยกำหนด 3 วัน"
    on_the_day = deadline_of(assessment, on=DUE)
    assert on_the_day is not None and on_the_day.soon and not on_the_day.overdue


def test_the_indicator_overrides_the_cycle(assessment: Assessment) -> None:
    _with_deadlines(assessment, DUE, None)
    indicator = assessment.indicator
    indicator.submission_deadline = datetime.date(2024, 11, 30)
    indicator.save()
    deadline = deadline_of(assessment, on=datetime.date(2024, 12, 1))
    assert deadline is not None and deadline.day == datetime.date(2024, 11, 30)
    assert deadline.label == "เลยกำหนด 1 วัน"


def test_a_submitted_assessment_waits_on_the_review_deadline(assessment: Assessment) -> None:
    _with_deadlines(assessment, DUE, DUE + datetime.timedelta(days=10))
    set_status(assessment, Assessment.Status.SUBMITTED)
    deadline = deadline_of(assessment, on=DUE)
    assert deadline is not None and deadline.review and deadline.days_left == 10
    assert deadline.label == "ครบกำหนดตรวจ 25 ธ.ค. 2567"
    late = deadline_of(assessment, on=DUE + datetime.timedelta(days=12))
    assert late is not None and late.label == "เลยกำหนดตรวจ 2 วัน"


@pytest.mark.parametrize("status", [Assessment.Status.APPROVED])
def test_nothing_is_due_once_approved_or_without_dates(assessment: Assessment, status) -> None:
    assert deadline_of(assessment, on=DUE) is None  # no dates set
    _with_deadlines(assessment, DUE, DUE)
    set_status(assessment, status)
    assert deadline_of(assessment, on=DUE) is None


def test_a_review_deadline_before_the_submission_one_is_refused(assessment: Assessment) -> None:
    cycle = assessment.indicator.cycle
    cycle.submission_deadline, cycle.review_deadline = DUE, DUE - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        cycle.full_clean()
    assert error.value.message_dict["review_deadline"] == ["กำหนดตรวจเสร็จต้องไม่ก่อนกำหนดส่ง"]
