"""The committee's review: met / not met per criterion, each evidence item accepted or
sent back, comments and the unit's answers."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.models import EvidenceItem, ReviewComment
from indicators.access import is_qa_officer, unit_role
from indicators.models import (
    Assessment,
    CriterionResult,
    set_history_user,
)


def _require_reviewer(by: User, assessment: Assessment) -> None:
    if not is_qa_officer(by):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ตรวจประเมินได้"))
    if assessment.status == Assessment.Status.APPROVED:
        raise ValidationError(_("ผลการประเมินนี้อนุมัติแล้ว ต้องให้ผู้ดูแลระบบเปิดแก้ไขใหม่ก่อน"), code="approved")


def criterion_result_committee_mark(
    *, result: CriterionResult, by: User, committee_met: bool | None
) -> CriterionResult:
    """Records whether the committee finds the criterion met (None: not judged yet)."""
    _require_reviewer(by, result.assessment)
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
    _require_reviewer(by, assessment)
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
    comment.save()
    return comment


def review_comment_reply(*, comment: ReviewComment, by: User, reply: str) -> ReviewComment:
    """The unit answers a comment while its SAR is open for changes."""
    assessment = comment.assessment
    if unit_role(by, assessment.unit) is None:
        raise PermissionDenied(_("เฉพาะบุคลากรของหน่วยงานนี้เท่านั้นที่ตอบความเห็นได้"))
    if not assessment.is_editable:
        raise ValidationError(
            _("ตอบความเห็นได้เฉพาะเมื่อผลการประเมินเป็นร่างหรือถูกส่งกลับแก้ไข"), code="locked"
        )
    if not comment.is_open:
        raise ValidationError(_("ความเห็นนี้ปิดแล้ว"), code="resolved")
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("กรุณาเขียนคำตอบ")}, code="reply_required")
    comment.reply, comment.replied_by, comment.replied_at = reply, by, timezone.now()
    comment.save(update_fields=["reply", "replied_by", "replied_at"])
    return comment


def review_comment_resolve(*, comment: ReviewComment, by: User) -> ReviewComment:
    """The reviewer closes a comment once the unit has dealt with it."""
    if not is_qa_officer(by):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ปิดความเห็นได้"))
    if not comment.is_open:
        raise ValidationError(_("ความเห็นนี้ปิดแล้ว"), code="resolved")
    comment.resolved_by, comment.resolved_at = by, timezone.now()
    comment.save(update_fields=["resolved_by", "resolved_at"])
    return comment


def evidence_item_review(
    *, item: EvidenceItem, by: User, status: str, comment: str = ""
) -> EvidenceItem:
    """A reviewer accepts an item or asks for it to be fixed (with a comment saying what)."""
    if not is_qa_officer(by):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ตรวจหลักฐานได้"))
    assessment = item.result.assessment
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(
            _("ตรวจหลักฐานได้เฉพาะเมื่อหน่วยงานส่งผลการประเมินแล้ว (สถานะปัจจุบัน: %(status)s)")
            % {"status": assessment.get_status_display()},
            code="not_submitted",
        )
    if status not in (EvidenceItem.Review.ACCEPTED, EvidenceItem.Review.NEEDS_FIX):
        raise ValidationError({"status": _("ผลการตรวจไม่ถูกต้อง")}, code="invalid_status")
    comment = (comment or "").strip()
    if status == EvidenceItem.Review.NEEDS_FIX and not comment:
        raise ValidationError({"comment": _("กรุณาระบุว่าต้องแก้ไขอะไร")}, code="comment_required")
    with transaction.atomic():
        item.review_status = status
        set_history_user(item, by)
        item.save(update_fields=["review_status", "updated_at"])
        if comment:
            review_comment_add(assessment=assessment, by=by, body=comment, evidence_item=item)
    return item
