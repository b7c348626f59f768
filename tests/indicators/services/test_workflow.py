"""The workflow services: every allowed and refused transition, who/when/why recorded,
and the e-mails each sends once committed."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.models import Assessment, AssessmentTransition
from indicators.notifications import qa_officers
from indicators.services.workflow import (
    assessment_approve,
    assessment_reopen,
    assessment_return,
    assessment_submit,
)
from tests.factories import QAAdminFactory, set_status

Status = Assessment.Status


def _status(assessment: Assessment) -> str:
    assessment.refresh_from_db()
    return assessment.status


def test_head_submits_a_draft_and_the_move_is_recorded(assessment, head, qa_officer) -> None:
    transition = assessment_submit(assessment=assessment, by=head)
    assert _status(assessment) == Status.SUBMITTED
    assert (transition.from_status, transition.to_status, transition.by) == (
        Status.DRAFT,
        Status.SUBMITTED,
        head,
    )
    assert transition.at is not None
    assert list(assessment.transitions.all()) == [transition]
    assert assessment.history.first().history_user == head
    assert not assessment.is_editable


def test_head_resubmits_a_returned_assessment(assessment, head) -> None:
    set_status(assessment, Status.RETURNED)
    assessment_submit(assessment=assessment, by=head)
    assert _status(assessment) == Status.SUBMITTED


@pytest.mark.parametrize("persona", ["staff", "qa_officer", "outsider"])
def test_only_the_head_submits(request, assessment, persona: str) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        assessment_submit(assessment=assessment, by=user)
    assert _status(assessment) == Status.DRAFT
    assert not AssessmentTransition.objects.exists()


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_submit_is_refused_unless_draft_or_returned(assessment, head, status: str) -> None:
    set_status(assessment, status)
    with pytest.raises(ValidationError) as error:
        assessment_submit(assessment=assessment, by=head)
    assert "สถานะ" in error.value.messages[0]
    assert _status(assessment) == status


def test_qa_officer_returns_with_a_reason(assessment, qa_officer) -> None:
    set_status(assessment, Status.SUBMITTED)
    transition = assessment_return(
        assessment=assessment, by=qa_officer, reason="  แนบหลักฐานข้อ 3 ใหม่ "
    )
    assert _status(assessment) == Status.RETURNED
    assert transition.reason == "แนบหลักฐานข้อ 3 ใหม่"
    assert transition.by == qa_officer
    assert assessment.is_editable


def test_return_needs_a_reason(assessment, qa_officer) -> None:
    set_status(assessment, Status.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        assessment_return(assessment=assessment, by=qa_officer, reason="   ")
    assert error.value.message_dict["reason"] == ["กรุณาระบุเหตุผล"]
    assert _status(assessment) == Status.SUBMITTED


@pytest.mark.parametrize("persona", ["staff", "head", "outsider"])
def test_unit_people_cannot_return_or_approve(request, assessment, persona: str) -> None:
    user = request.getfixturevalue(persona)
    set_status(assessment, Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        assessment_return(assessment=assessment, by=user, reason="x")
    with pytest.raises(PermissionDenied):
        assessment_approve(assessment=assessment, by=user, committee_score=Decimal(5))
    assert _status(assessment) == Status.SUBMITTED
    assert assessment.committee_score is None


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED, Status.APPROVED])
def test_return_and_approve_only_from_submitted(assessment, qa_officer, status: str) -> None:
    set_status(assessment, status)
    with pytest.raises(ValidationError):
        assessment_return(assessment=assessment, by=qa_officer, reason="x")
    with pytest.raises(ValidationError):
        assessment_approve(assessment=assessment, by=qa_officer, committee_score=Decimal(4))
    assert _status(assessment) == status


def test_qa_officer_approves_with_the_committee_score(assessment, qa_officer) -> None:
    set_status(assessment, Status.SUBMITTED)
    transition = assessment_approve(
        assessment=assessment, by=qa_officer, committee_score=Decimal("4.5")
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.APPROVED
    assert assessment.committee_score == Decimal("4.50")
    assert transition.to_status == Status.APPROVED


@pytest.mark.parametrize("score", [Decimal("-0.5"), Decimal("5.01"), None])
def test_committee_score_must_be_0_to_5(assessment, qa_officer, score) -> None:
    set_status(assessment, Status.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        assessment_approve(assessment=assessment, by=qa_officer, committee_score=score)
    assert "committee_score" in error.value.message_dict
    assert _status(assessment) == Status.SUBMITTED


def test_administrator_reopens_an_approved_assessment(assessment) -> None:
    admin = QAAdminFactory()
    set_status(assessment, Status.APPROVED)
    transition = assessment_reopen(assessment=assessment, by=admin, reason="พบข้อมูลคลาดเคลื่อน")
    assert _status(assessment) == Status.RETURNED
    assert (transition.from_status, transition.reason) == (Status.APPROVED, "พบข้อมูลคลาดเคลื่อน")


def test_reopen_is_for_administrators_only_with_a_reason(assessment, qa_officer, head) -> None:
    set_status(assessment, Status.APPROVED)
    for user in (qa_officer, head):
        with pytest.raises(PermissionDenied):
            assessment_reopen(assessment=assessment, by=user, reason="x")
    with pytest.raises(ValidationError):
        assessment_reopen(assessment=assessment, by=QAAdminFactory(), reason="")
    assert _status(assessment) == Status.APPROVED


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED])
def test_reopen_only_from_approved(assessment, status: str) -> None:
    set_status(assessment, status)
    with pytest.raises(ValidationError):
        assessment_reopen(assessment=assessment, by=QAAdminFactory(), reason="x")


def test_the_full_round_is_logged_in_order(assessment, head, qa_officer) -> None:
    assessment_submit(assessment=assessment, by=head)
    assessment_return(assessment=assessment, by=qa_officer, reason="แก้ไขข้อ 1")
    assessment_submit(assessment=assessment, by=head)
    assessment_approve(assessment=assessment, by=qa_officer, committee_score=Decimal(5))
    moves = list(assessment.transitions.values_list("from_status", "to_status", "by__username"))
    assert moves == [
        (Status.DRAFT, Status.SUBMITTED, "hana"),
        (Status.SUBMITTED, Status.RETURNED, "bob"),
        (Status.RETURNED, Status.SUBMITTED, "hana"),
        (Status.SUBMITTED, Status.APPROVED, "bob"),
    ]


# --- E-mails -------------------------------------------------------------------------------


def test_submit_mails_the_qa_officers(
    assessment, head, staff, qa_officer, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=assessment, by=head)
    # Every QA officer, one message each.
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        user.email for user in qa_officers()
    )
    assert qa_officer.email in [address for m in mail.outbox for address in m.to]
    assert "สำนักพิมพ์" in mail.outbox[0].subject
    assert f"/assessments/{assessment.pk}/review/" in mail.outbox[0].body


def test_return_and_approve_mail_the_unit_members(
    assessment, head, staff, qa_officer, outsider, django_capture_on_commit_callbacks
) -> None:
    set_status(assessment, Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_return(assessment=assessment, by=qa_officer, reason="ขอหลักฐานข้อ 2 เพิ่ม")
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [head.email, staff.email]
    )
    assert all("ขอหลักฐานข้อ 2 เพิ่ม" in message.body for message in mail.outbox)
    mail.outbox.clear()
    set_status(assessment, Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_approve(assessment=assessment, by=qa_officer, committee_score=Decimal(5))
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [head.email, staff.email]
    )
    assert "อนุมัติ" in mail.outbox[0].subject
    assert outsider.email not in [address for m in mail.outbox for address in m.to]


def test_a_refused_transition_sends_nothing(
    assessment, staff, qa_officer, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        assessment_submit(assessment=assessment, by=staff)
    assert mail.outbox == []


# --- Comments and item review --------------------------------------------------------------
