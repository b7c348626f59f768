"""In-app notifications, written where the events happen: a return (with its reason), a
reviewer's comment, an approval; to the assessment's owners, else its unit's members."""

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.models import Assessment, Notification
from indicators.services.notifications import notifications_mark_all_read
from indicators.services.review import review_comment_add
from indicators.services.workflow import (
    assessment_approve,
    assessment_reopen,
    assessment_return,
    assessment_submit,
)
from tests.factories import QAAdminFactory, set_status

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def _notices(user: User) -> list[tuple[str, str]]:
    return [(n.kind, n.text) for n in Notification.objects.filter(recipient=user)]


def test_a_return_tells_every_member_with_the_reason_once_no_owner_is_named(
    assessment: Assessment,
    staff: User,
    head: User,
    qa_officer: User,
    outsider: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    set_status(assessment, Assessment.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_return(assessment=assessment, by=qa_officer, reason="แนบหลักฐานข้อ 3 ใหม่")
    assert _notices(staff) == [(Kind.RETURNED, "แนบหลักฐานข้อ 3 ใหม่")]
    assert _notices(head) == [(Kind.RETURNED, "แนบหลักฐานข้อ 3 ใหม่")]
    assert _notices(outsider) == [] and _notices(qa_officer) == []
    # The e-mail is sent as before, once: notifications build on it, not beside it.
    assert len(mail.outbox) == 2


def test_owners_alone_are_told_when_the_assessment_has_owners(
    assessment: Assessment, staff: User, head: User, qa_officer: User
) -> None:
    assessment.owners.set([staff])
    set_status(assessment, Assessment.Status.SUBMITTED)
    review_comment_add(assessment=assessment, by=qa_officer, body="ระบุวันที่ประชุมให้ชัด")
    assessment_approve(assessment=assessment, by=qa_officer, committee_score=Decimal("4"))
    assert _notices(staff) == [(Kind.APPROVED, ""), (Kind.COMMENTED, "ระบุวันที่ประชุมให้ชัด")]
    assert _notices(head) == []


def test_a_reopen_tells_the_unit_and_the_actor_is_never_told(
    assessment: Assessment, staff: User, head: User
) -> None:
    admin = QAAdminFactory()
    assessment.owners.set([staff])
    set_status(assessment, Assessment.Status.APPROVED)
    assessment_reopen(assessment=assessment, by=admin, reason="คะแนนไม่ตรง")
    assert _notices(staff) == [(Kind.RETURNED, "คะแนนไม่ตรง")]
    assert _notices(admin) == []


def test_a_submission_tells_nobody_in_the_app(
    assessment: Assessment, staff: User, head: User
) -> None:
    assessment_submit(assessment=assessment, by=head)
    assert Notification.objects.count() == 0


def test_a_refused_return_writes_no_notification(
    assessment: Assessment, staff: User, qa_officer: User
) -> None:
    set_status(assessment, Assessment.Status.SUBMITTED)
    with pytest.raises(ValidationError):
        assessment_return(assessment=assessment, by=qa_officer, reason="   ")
    with pytest.raises(PermissionDenied):
        assessment_return(assessment=assessment, by=staff, reason="x")
    assert Notification.objects.count() == 0


def test_mark_all_read_marks_only_mine(
    assessment: Assessment, staff: User, head: User, qa_officer: User
) -> None:
    set_status(assessment, Assessment.Status.SUBMITTED)
    review_comment_add(assessment=assessment, by=qa_officer, body="หนึ่ง")
    review_comment_add(assessment=assessment, by=qa_officer, body="สอง")
    assert notifications_mark_all_read(user=staff) == 2
    assert not Notification.objects.filter(recipient=staff).unread().exists()
    assert Notification.objects.filter(recipient=head).unread().count() == 2
    assert notifications_mark_all_read(user=staff) == 0
