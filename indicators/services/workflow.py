"""The workflow of an assessment: draft → submitted → (returned → submitted)* → approved,
each move locked, logged (who, when, why) and e-mailed once committed."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators import scoring
from indicators.access import is_qa_admin, is_qa_officer, unit_role
from indicators.locking import assessment_lock
from indicators.models import (
    Assessment,
    AssessmentTransition,
    Membership,
    set_history_user,
)
from indicators.notifications import notify_approved, notify_returned, notify_submitted


def _refuse_transition(assessment: Assessment, action: str) -> ValidationError:
    return ValidationError(
        _("ไม่สามารถ%(action)sได้ เพราะผลการประเมินนี้อยู่ในสถานะ “%(status)s”")
        % {"action": action, "status": assessment.get_status_display()},
        code="invalid_transition",
    )


def _move(
    *, assessment: Assessment, to: str, by: User, reason: str = "", **fields: Any
) -> AssessmentTransition:
    transition = AssessmentTransition.objects.create(
        assessment=assessment, from_status=assessment.status, to_status=to, by=by, reason=reason
    )
    assessment.status = to
    for name, value in fields.items():
        setattr(assessment, name, value)
    # The history row records who made the change even outside a request.
    set_history_user(assessment, by)
    assessment.save(update_fields=["status", "updated_at", *fields])
    return transition


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("กรุณาระบุเหตุผล")}, code="reason_required")
    return reason


def assessment_submit(*, assessment: Assessment, by: User) -> AssessmentTransition:
    """The unit head sends the SAR to the QA office; it is locked from then on."""
    if unit_role(by, assessment.unit) != Membership.Role.HEAD:
        raise PermissionDenied(_("เฉพาะหัวหน้าหน่วยงานเท่านั้นที่ส่งผลการประเมินได้"))
    with transaction.atomic(), assessment_lock(assessment.pk, editable=False) as current:
        # Two reviewers at once: the second sees the status the first one left.
        assessment.status = current.status
        if assessment.status not in (Assessment.Status.DRAFT, Assessment.Status.RETURNED):
            raise _refuse_transition(assessment, _("ส่งผลการประเมิน"))
        transition = _move(assessment=assessment, to=Assessment.Status.SUBMITTED, by=by)
        transaction.on_commit(lambda: notify_submitted(transition=transition))
    return transition


def assessment_return(*, assessment: Assessment, by: User, reason: str) -> AssessmentTransition:
    """A QA officer sends the SAR back to the unit for changes, saying why."""
    if not is_qa_officer(by):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ส่งกลับแก้ไขได้"))
    reason = _required_reason(reason)
    with transaction.atomic(), assessment_lock(assessment.pk, editable=False) as current:
        # Two reviewers at once: the second sees the status the first one left.
        assessment.status = current.status
        if assessment.status != Assessment.Status.SUBMITTED:
            raise _refuse_transition(assessment, _("ส่งกลับแก้ไข"))
        transition = _move(
            assessment=assessment, to=Assessment.Status.RETURNED, by=by, reason=reason
        )
        transaction.on_commit(lambda: notify_returned(transition=transition))
    return transition


def assessment_approve(
    *, assessment: Assessment, by: User, committee_score: Decimal
) -> AssessmentTransition:
    """A QA officer approves the SAR with the committee's score (0–5)."""
    if not is_qa_officer(by):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่อนุมัติได้"))
    if committee_score is None:
        raise ValidationError({"committee_score": _("กรุณาระบุคะแนนของกรรมการ")})
    committee_score = scoring.two_places(Decimal(committee_score))
    if not (0 <= committee_score <= scoring.MAX_SCORE):
        raise ValidationError({"committee_score": _("คะแนนของกรรมการต้องอยู่ระหว่าง 0 ถึง 5")})
    with transaction.atomic(), assessment_lock(assessment.pk, editable=False) as current:
        # Two reviewers at once: the second sees the status the first one left.
        assessment.status = current.status
        if assessment.status != Assessment.Status.SUBMITTED:
            raise _refuse_transition(assessment, _("อนุมัติ"))
        transition = _move(
            assessment=assessment,
            to=Assessment.Status.APPROVED,
            by=by,
            committee_score=committee_score,
        )
        transaction.on_commit(lambda: notify_approved(transition=transition))
    return transition


def assessment_reopen(*, assessment: Assessment, by: User, reason: str) -> AssessmentTransition:
    """The QA administrator reopens an approved SAR (approved → returned)."""
    if not is_qa_admin(by):
        raise PermissionDenied(_("เฉพาะผู้ดูแลระบบประกันคุณภาพเท่านั้นที่เปิดแก้ไขใหม่ได้"))
    reason = _required_reason(reason)
    with transaction.atomic(), assessment_lock(assessment.pk, editable=False) as current:
        # Two reviewers at once: the second sees the status the first one left.
        assessment.status = current.status
        if assessment.status != Assessment.Status.APPROVED:
            raise _refuse_transition(assessment, _("เปิดแก้ไขใหม่"))
        transition = _move(
            assessment=assessment, to=Assessment.Status.RETURNED, by=by, reason=reason
        )
        transaction.on_commit(lambda: notify_returned(transition=transition))
    return transition
