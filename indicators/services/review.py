"""The committee's review: met / not met per criterion, each evidence item accepted or
sent back, comments and the unit's answers."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.models import EvidenceItem, ReviewComment
from indicators.access import Capability, assessment_access
from indicators.limits import check_text
from indicators.models import (
    Assessment,
    CriterionResult,
    Notification,
    set_history_user,
)
from indicators.notifications import record_notifications
from indicators.versioning import claim_version


def criterion_result_committee_mark(
    *, result: CriterionResult, by: User, committee_met: bool | None
) -> CriterionResult:
    """Records whether the committee finds the criterion met (None: not judged yet)."""
    assessment_access(by, result.assessment).check(Capability.REVIEW)
    result.committee_met = committee_met
    set_history_user(result, by)
    result.save(update_fields=["committee_met", "updated_at"])
    return result


def review_comment_add(
    *,
    assessment: Assessment,
    by: User,
    body: str,
    criterion_result: CriterionResult | None = None,
    evidence_item: EvidenceItem | None = None,
) -> ReviewComment:
    """A reviewer's comment on the assessment, one criterion or one evidence item."""
    assessment_access(by, assessment).check(Capability.REVIEW)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("กรุณาเขียนความเห็น")}, code="body_required")
    if evidence_item is not None:
        criterion_result = evidence_item.result
    if criterion_result is not None and criterion_result.assessment_id != assessment.pk:
        raise ValidationError(_("เกณฑ์หรือหลักฐานนี้ไม่ได้อยู่ในผลการประเมินนี้"))
    comment = ReviewComment(
        assessment=assessment,
        criterion_result=criterion_result,
        evidence_item=evidence_item,
        author=by,
        body=body,
    )
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        record_notifications(
            assessment=assessment, kind=Notification.Kind.COMMENTED, by=by, text=body
        )
    return comment


def review_comment_reply(
    *, comment: ReviewComment, by: User, reply: str, version: int | None
) -> ReviewComment:
    """The unit answers a comment while its SAR is open for changes (an answer is an edit).
    A reply over one saved since ``version`` is refused with StaleEditError."""
    assessment_access(by, comment.assessment).check(Capability.EDIT)
    if not comment.is_open:
        raise ValidationError(_("ความเห็นนี้ปิดแล้ว"), code="resolved")
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("กรุณาเขียนคำตอบ")}, code="reply_required")
    check_text(ReviewComment, reply=reply)
    with transaction.atomic():
        current = ReviewComment.objects.select_for_update().get(pk=comment.pk)
        if not current.is_open:  # closed meanwhile
            raise ValidationError(_("ความเห็นนี้ปิดแล้ว"), code="resolved")
        claim_version(current, version)
        current.reply, current.replied_by, current.replied_at = reply, by, timezone.now()
        current.save(update_fields=["reply", "replied_by", "replied_at", "version"])
    return current


def review_comment_resolve(*, comment: ReviewComment, by: User) -> ReviewComment:
    """The reviewer closes a comment once the unit has dealt with it, whatever the status."""
    assessment_access(by, comment.assessment).check(Capability.REVIEW, any_status=True)
    if not comment.is_open:
        raise ValidationError(_("ความเห็นนี้ปิดแล้ว"), code="resolved")
    comment.resolved_by, comment.resolved_at = by, timezone.now()
    comment.save(update_fields=["resolved_by", "resolved_at"])
    return comment


def evidence_item_review(
    *, item: EvidenceItem, by: User, status: str, comment: str = ""
) -> EvidenceItem:
    """A reviewer accepts an item or asks for it to be fixed (with a comment saying what)."""
    assessment = item.result.assessment
    assessment_access(by, assessment).check(Capability.REVIEW)
    if status not in (EvidenceItem.Review.ACCEPTED, EvidenceItem.Review.NEEDS_FIX):
        raise ValidationError({"status": _("ผลการตรวจไม่ถูกต้อง")}, code="invalid_status")
    comment = (comment or "").strip()
    if status == EvidenceItem.Review.NEEDS_FIX and not comment:
        raise ValidationError({"comment": _("กรุณาระบุว่าต้องแก้ไขอะไร")}, code="comment_required")
    if comment:
        try:
            check_text(ReviewComment, body=comment)
        except ValidationError as error:
            raise ValidationError({"comment": error.message_dict["body"]}) from None
    with transaction.atomic():
        item.review_status = status
        set_history_user(item, by)
        item.save(update_fields=["review_status", "updated_at"])
        if comment:
            review_comment_add(assessment=assessment, by=by, body=comment, evidence_item=item)
    return item
