"""Writes on evidence: documents stored once per unit, items whose codes stay
gap-free, and the records (meetings, knowledge topics) that touch several rows."""

import datetime
import hashlib
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.fields.files import FieldFile
from django.forms import BaseInlineFormSet, ModelForm
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from indicators.access import is_qa_officer
from indicators.models import Assessment, CriterionResult, Unit
from indicators.services import _lock_editable

from .models import Activity, Document, EvidenceItem, KnowledgeTopic, Meeting, TopicRename

logger = logging.getLogger(__name__)

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
    if document is not None and document.unit_id != result.assessment.unit_id:
        # The forms offer only the unit's own documents; this guards every other caller.
        raise ValidationError(
            {"document": _("เลือกได้เฉพาะเอกสารในคลังเอกสารของหน่วยงานนี้")}, code="other_unit"
        )
    with transaction.atomic():
        # Re-checked under lock: the assessment may have been submitted since the page loaded.
        _lock_editable(result.assessment_id)
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
        _lock_editable(item.result.assessment_id)
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
        _lock_editable(item.result.assessment_id)
        CriterionResult.objects.select_for_update().filter(pk=item.result_id).first()
        result = item.result
        item.delete()
        ordered = list(EvidenceItem.objects.filter(result=result).order_by("position"))
        _renumber(result=result, ordered=ordered)


def evidence_items_renumber(*, result: CriterionResult) -> None:
    """Closes the gaps that items deleted elsewhere (the admin's inline) left, in order."""
    with transaction.atomic():
        _lock_editable(result.assessment_id)
        CriterionResult.objects.select_for_update().filter(pk=result.pk).first()
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


def knowledge_topic_rename(
    *,
    topic: KnowledgeTopic,
    new_title: str,
    renamed_on: datetime.date,
    meeting: Meeting | None,
    by: AbstractBaseUser | None,
) -> TopicRename:
    """Gives the topic a new title and keeps the old one, with the date and the
    meeting that decided it, so the SAR can tell the topic's story."""
    new_title = new_title.strip()
    if not new_title:
        raise ValidationError({"new_title": _("กรุณาระบุชื่อใหม่ของประเด็นความรู้")})
    if meeting is not None and meeting.unit_id != topic.unit_id:
        raise ValidationError({"meeting": _("เลือกได้เฉพาะการประชุมของหน่วยงานนี้")})
    with transaction.atomic():
        # Lock the topic: two renames at once must not lose a previous title.
        locked = KnowledgeTopic.objects.select_for_update().get(pk=topic.pk)
        if new_title == locked.title:
            raise ValidationError({"new_title": _("ชื่อใหม่ต้องไม่ซ้ำกับชื่อปัจจุบัน")})
        clash = KnowledgeTopic.objects.filter(
            unit_id=locked.unit_id, cycle_id=locked.cycle_id, title=new_title
        ).exclude(pk=locked.pk)
        if clash.exists():
            raise ValidationError({"new_title": _("มีประเด็นความรู้ชื่อนี้ในรอบปีเดียวกันแล้ว")})
        rename = TopicRename(
            topic=locked, previous_title=locked.title, renamed_on=renamed_on, meeting=meeting
        )
        rename.full_clean()
        rename.save()
        locked.title = new_title
        locked.full_clean(validate_unique=False)
        locked.save(update_fields=["title"])
    topic.title = new_title
    # Topics keep no history table; the log says who renamed what.
    logger.info("Knowledge topic %s renamed by %s", topic.pk, getattr(by, "pk", None))
    return rename


def meeting_save(*, meeting_form: ModelForm, agenda_formset: BaseInlineFormSet) -> Meeting:
    """Saves a validated meeting form and its agenda together, or neither."""
    with transaction.atomic():
        meeting = meeting_form.save()
        agenda_formset.instance = meeting
        agenda_formset.save()
    return meeting


# --- Documents: uploads into a unit's library -------------------------------------

THUMBNAIL_SIZE = (320, 320)


@dataclass
class StoredDocument:
    document: Document
    created: bool


def _sha256(upload: File) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _thumbnail_png(upload: File) -> bytes:
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
    upload.seek(0)
    return out.getvalue()


@contextmanager
def _delete_files_on_failure() -> Iterator[list[FieldFile]]:
    """Files stored inside the block are deleted again if the block fails.

    Django has no on-rollback hook; callers own the transaction (views are not
    wrapped in ATOMIC_REQUESTS), so a failure here is a rollback of these writes.
    """
    stored: list[FieldFile] = []
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


def document_store(
    *, unit: Unit, upload: File, content_type: str, by: AbstractBaseUser | None
) -> StoredDocument:
    """The unit's document with this content: the one already kept, or a new one.

    The same bytes are stored once per unit (constraint document_unique_content).
    """
    sha256 = _sha256(upload)
    existing = Document.objects.filter(unit=unit, sha256=sha256).first()
    if existing is not None:
        return StoredDocument(existing, created=False)
    name = PurePath(upload.name or "file").name[:255]
    document = Document(
        unit=unit,
        title=PurePath(name).stem[:500],
        original_name=name,
        size=upload.size,
        content_type=content_type,
        sha256=sha256,
        uploaded_by=by,
    )
    with _delete_files_on_failure() as stored:
        document.file.save(name, upload, save=False)
        stored.append(document.file)
        if document.is_image:
            document.thumbnail.save("thumb.png", ContentFile(_thumbnail_png(upload)), save=False)
            stored.append(document.thumbnail)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            # Someone stored the same file a moment ago: use theirs, drop ours.
            existing = Document.objects.filter(unit=unit, sha256=sha256).first()
            if existing is None:
                raise
            for field_file in stored:
                field_file.storage.delete(field_file.name)
            return StoredDocument(existing, created=False)
    return StoredDocument(document, created=True)


def evidence_item_add_upload(
    *, result: CriterionResult, upload: File, content_type: str, caption: str, by: Any
) -> tuple[EvidenceItem, bool]:
    """Stores the file in the unit's library (once) and cites it under the result.

    Returns the item and whether the document was new. All or nothing: if citing
    fails, the new document row is rolled back and its files are deleted.
    """
    with _delete_files_on_failure() as stored, transaction.atomic():
        _lock_editable(result.assessment_id)  # before any file is stored
        outcome = document_store(
            unit=result.assessment.unit, upload=upload, content_type=content_type, by=by
        )
        if outcome.created:
            stored.extend(f for f in (outcome.document.file, outcome.document.thumbnail) if f)
        item = evidence_item_add(result=result, caption=caption, document=outcome.document)
    return item, outcome.created


def evidence_item_set_caption(*, item: EvidenceItem, caption: str) -> EvidenceItem:
    with transaction.atomic():
        _lock_editable(item.result.assessment_id)
        item.caption = caption
        item.full_clean()
        item.save(update_fields=["caption", "updated_at"])
    return item


def evidence_item_set_links(
    *, item: EvidenceItem, meeting: Meeting | None, activity: Activity | None
) -> EvidenceItem:
    """Ties the item to the meeting and activity it documents (either may be None)."""
    with transaction.atomic():
        _lock_editable(item.result.assessment_id)
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
    with _delete_files_on_failure() as stored, transaction.atomic():
        _lock_editable(item.result.assessment_id)  # before any file is stored
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
