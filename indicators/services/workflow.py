"""The workflow of an assessment: draft → submitted → (returned → submitted)* → approved,
each move locked, logged (who, when, why) and e-mailed once committed."""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators import scoring
from indicators.access import AssessmentAccess, Capability, assessment_access
from indicators.limits import check_text
from indicators.locking import assessment_lock
from indicators.models import Assessment, AssessmentTransition, Notification, set_history_user
from indicators.notifications import (
    notify_approved,
    notify_returned,
    notify_submitted,
    record_notifications,
)


@contextmanager
def _lock_and_check(access: AssessmentAccess, capability: Capability) -> Iterator[None]:
    """Locks the assessment and checks, with its status as it is now, that the user may
    move it: two reviewers at once, the second sees the status the first one left."""
    assessment = access.assessment
    with transaction.atomic(), assessment_lock(assessment.pk, editable=False) as current:
        assessment.status = current.status
        access.check(capability)
        yield


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
    check_text(AssessmentTransition, reason=reason)
    return reason


def assessment_submit(*, assessment: Assessment, by: User) -> AssessmentTransition:
    """The unit head sends the SAR to the QA office; it is locked from then on."""
    access = assessment_access(by, assessment)
    access.check(Capability.SUBMIT, any_status=True)
    with _lock_and_check(access, Capability.SUBMIT):
        transition = _move(assessment=assessment, to=Assessment.Status.SUBMITTED, by=by)
        transaction.on_commit(lambda: notify_submitted(transition=transition))
    return transition


def assessment_return(*, assessment: Assessment, by: User, reason: str) -> AssessmentTransition:
    """A QA officer sends the SAR back to the unit for changes, saying why."""
    access = assessment_access(by, assessment)
    access.check(Capability.REVIEW, any_status=True)
    reason = _required_reason(reason)
    with _lock_and_check(access, Capability.REVIEW):
        transition = _move(
            assessment=assessment, to=Assessment.Status.RETURNED, by=by, reason=reason
        )
        record_notifications(
            assessment=assessment, kind=Notification.Kind.RETURNED, by=by, text=reason
        )
        transaction.on_commit(lambda: notify_returned(transition=transition))
    return transition


def assessment_approve(
    *, assessment: Assessment, by: User, committee_score: Decimal
) -> AssessmentTransition:
    """A QA officer approves the SAR with the committee's score (0–5)."""
    access = assessment_access(by, assessment)
    access.check(Capability.REVIEW, any_status=True)
    if committee_score is None:
        raise ValidationError({"committee_score": _("กรุณาระบุคะแนนของกรรมการ")})
    committee_score = scoring.two_places(Decimal(committee_score))
    if not (0 <= committee_score <= scoring.MAX_SCORE):
        raise ValidationError({"committee_score": _("คะแนนของกรรมการต้องอยู่ระหว่าง 0 ถึง 5")})
    with _lock_and_check(access, Capability.REVIEW):
        transition = _move(
            assessment=assessment,
            to=Assessment.Status.APPROVED,
            by=by,
            committee_score=committee_score,
        )
        record_notifications(assessment=assessment, kind=Notification.Kind.APPROVED, by=by)
        transaction.on_commit(lambda: notify_approved(transition=transition))
    return transition


def assessment_reopen(*, assessment: Assessment, by: User, reason: str) -> AssessmentTransition:
    """The QA administrator reopens an approved SAR (approved → returned)."""
    access = assessment_access(by, assessment)
    access.check(Capability.REOPEN, any_status=True)
    reason = _required_reason(reason)
    with _lock_and_check(access, Capability.REOPEN):
        transition = _move(
            assessment=assessment, to=Assessment.Status.RETURNED, by=by, reason=reason
        )
        record_notifications(
            assessment=assessment, kind=Notification.Kind.RETURNED, by=by, text=reason
        )
        transaction.on_commit(lambda: notify_returned(transition=transition))
    return transition
