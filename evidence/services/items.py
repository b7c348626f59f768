"""Evidence items under a criterion result: added, captioned, linked, moved, removed and
their files replaced, with positions kept 1..n so that codes stay gap-free.

Every write takes the assessment's lock once (``indicators.locking``): it serialises the
writers of one assessment and refuses a SAR that was submitted meanwhile.
"""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from evidence.models import Activity, Document, EvidenceItem, Meeting
from evidence.services.documents import delete_files_on_failure, document_store
from indicators.locking import assessment_lock
from indicators.models import CriterionResult

# Positions are moved out of the way before the final numbering, because the
# unique (result, position) constraint is checked row by row (SQLite has no
# deferrable constraints).
_PARKING_OFFSET = 10_000


def _renumber(ordered: list[EvidenceItem]) -> None:
    for index, item in enumerate(ordered, start=1):
        EvidenceItem.objects.filter(pk=item.pk).update(position=_PARKING_OFFSET + index)
    for index, item in enumerate(ordered, start=1):
        EvidenceItem.objects.filter(pk=item.pk).update(position=index)
        item.position = index


def _append(
    result: CriterionResult, *, caption: str, document: Document | None = None, url: str = ""
) -> EvidenceItem:
    """The next code under the result; the caller holds the assessment's lock."""
    if document is not None and document.unit_id != result.assessment.unit_id:
        # The forms offer only the unit's own documents; this guards every other caller.
        raise ValidationError(
            {"document": _("เลือกได้เฉพาะเอกสารในคลังเอกสารของหน่วยงานนี้")}, code="other_unit"
        )
    last = result.evidence_items.aggregate(last=Max("position"))["last"] or 0
    item = EvidenceItem(
        result=result, position=last + 1, caption=caption, document=document, url=url
    )
    item.full_clean()
    item.save()
    return item


def evidence_item_add(
    *, result: CriterionResult, caption: str, document: Document | None = None, url: str = ""
) -> EvidenceItem:
    """Appends an item (a library document or a link) under the result."""
    with transaction.atomic(), assessment_lock(result.assessment_id):
        return _append(result, caption=caption, document=document, url=url)


def evidence_item_add_upload(
    *, result: CriterionResult, upload: File, content_type: str, caption: str, by: Any
) -> tuple[EvidenceItem, bool]:
    """Stores the file in the unit's library (once) and cites it under the result.

    Returns the item and whether the document was new. All or nothing: if citing
    fails, the new document row is rolled back and its files are deleted.
    """
    with (
        delete_files_on_failure() as stored,
        transaction.atomic(),
        assessment_lock(result.assessment_id),  # before any file is stored
    ):
        outcome = document_store(
            unit=result.assessment.unit, upload=upload, content_type=content_type, by=by
        )
        if outcome.created:
            stored.extend(f for f in (outcome.document.file, outcome.document.thumbnail) if f)
        item = _append(result, caption=caption, document=outcome.document)
    return item, outcome.created


def evidence_item_move(*, item: EvidenceItem, to_position: int) -> list[EvidenceItem]:
    """Moves the item to a 1-based position; the others shift, codes follow."""
    with transaction.atomic(), assessment_lock(item.result.assessment_id):
        ordered = list(EvidenceItem.objects.filter(result_id=item.result_id).order_by("position"))
        ordered = [other for other in ordered if other.pk != item.pk]
        to_position = max(1, min(to_position, len(ordered) + 1))
        ordered.insert(to_position - 1, item)
        _renumber(ordered)
    return ordered


def evidence_item_remove(*, item: EvidenceItem) -> None:
    """Deletes the item and closes the gap it leaves."""
    with transaction.atomic(), assessment_lock(item.result.assessment_id):
        result = item.result
        item.delete()
        _renumber(list(EvidenceItem.objects.filter(result=result).order_by("position")))


def evidence_items_renumber(*, result: CriterionResult) -> None:
    """Closes the gaps that items deleted elsewhere (the admin's inline) left, in order."""
    with transaction.atomic(), assessment_lock(result.assessment_id):
        _renumber(list(EvidenceItem.objects.filter(result=result).order_by("position")))


def evidence_item_set_caption(*, item: EvidenceItem, caption: str) -> EvidenceItem:
    with transaction.atomic(), assessment_lock(item.result.assessment_id):
        item.caption = caption
        item.full_clean()
        item.save(update_fields=["caption", "updated_at"])
    return item


def evidence_item_set_links(
    *, item: EvidenceItem, meeting: Meeting | None, activity: Activity | None
) -> EvidenceItem:
    """Ties the item to the meeting and activity it documents (either may be None)."""
    with transaction.atomic(), assessment_lock(item.result.assessment_id):
        item.meeting, item.activity = meeting, activity
        item.full_clean()
        item.save(update_fields=["meeting", "activity", "updated_at"])
    return item


def evidence_item_replace_document(
    *, item: EvidenceItem, upload: File, content_type: str, by: AbstractBaseUser
) -> EvidenceItem:
    """Cites a new file under the same code (the old one stays in the unit's library,
    where other items may cite it). A fix asked for by the reviewer goes back to
    'pending' so the reviewer looks again; a carried-over placeholder is confirmed."""
    with (
        delete_files_on_failure() as stored,
        transaction.atomic(),
        assessment_lock(item.result.assessment_id),  # before any file is stored
    ):
        outcome = document_store(
            unit=item.result.assessment.unit, upload=upload, content_type=content_type, by=by
        )
        if outcome.created:
            stored.extend(f for f in (outcome.document.file, outcome.document.thumbnail) if f)
        item.document, item.url, item.to_confirm = outcome.document, "", False
        if item.review_status == EvidenceItem.Review.NEEDS_FIX:
            item.review_status = EvidenceItem.Review.PENDING
        item._history_user = by  # type: ignore[attr-defined]
        item.full_clean()
        item.save(update_fields=["document", "url", "to_confirm", "review_status", "updated_at"])
    return item
