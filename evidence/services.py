"""Writes on evidence items that keep their codes gap-free."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from indicators.access import is_qa_officer
from indicators.models import Assessment, CriterionResult

from .models import Document, EvidenceItem

# Positions are moved out of the way before the final numbering, because the
# unique (result, position) constraint is checked row by row (SQLite has no
# deferrable constraints).
_PARKING_OFFSET = 10_000


def _renumber(*, result: CriterionResult, ordered: list[EvidenceItem]) -> None:
    for index, item in enumerate(ordered, start=1):
        EvidenceItem.objects.filter(pk=item.pk).update(position=_PARKING_OFFSET + index)
    for index, item in enumerate(ordered, start=1):
        EvidenceItem.objects.filter(pk=item.pk).update(position=index)
        item.position = index


def evidence_item_add(
    *,
    result: CriterionResult,
    caption: str,
    document: Document | None = None,
    url: str = "",
) -> EvidenceItem:
    """Appends an item under the result; it takes the next code."""
    with transaction.atomic():
        # Lock the result row so two uploads at once cannot take the same number.
        CriterionResult.objects.select_for_update().filter(pk=result.pk).first()
        last = result.evidence_items.aggregate(last=Max("position"))["last"] or 0
        item = EvidenceItem(
            result=result, position=last + 1, caption=caption, document=document, url=url
        )
        item.full_clean()
        item.save()
    return item


def evidence_item_move(*, item: EvidenceItem, to_position: int) -> list[EvidenceItem]:
    """Moves the item to a 1-based position; the others shift, codes follow."""
    with transaction.atomic():
        CriterionResult.objects.select_for_update().filter(pk=item.result_id).first()
        ordered = list(EvidenceItem.objects.filter(result_id=item.result_id).order_by("position"))
        ordered = [other for other in ordered if other.pk != item.pk]
        to_position = max(1, min(to_position, len(ordered) + 1))
        ordered.insert(to_position - 1, item)
        _renumber(result=item.result, ordered=ordered)
    return ordered


def evidence_item_remove(*, item: EvidenceItem) -> None:
    """Deletes the item and closes the gap it leaves."""
    with transaction.atomic():
        CriterionResult.objects.select_for_update().filter(pk=item.result_id).first()
        result = item.result
        item.delete()
        ordered = list(EvidenceItem.objects.filter(result=result).order_by("position"))
        _renumber(result=result, ordered=ordered)


def evidence_item_review(
    *, item: EvidenceItem, by: AbstractBaseUser, status: str, comment: str = ""
) -> EvidenceItem:
    """A reviewer accepts an item or asks for it to be fixed (with a comment saying what)."""
    from indicators.services import review_comment_add

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
        item._history_user = by  # type: ignore[attr-defined]
        item.save(update_fields=["review_status", "updated_at"])
        if comment:
            review_comment_add(assessment=assessment, by=by, body=comment, evidence_item=item)
    return item
