"""Evidence items under a criterion result: added, captioned, linked, moved, removed and
their files replaced, with positions kept 1..n so that codes stay gap-free.

When items are renumbered, the codes the assessment's own texts cite (every narrative,
the strengths and the improvements) are rewritten in the same transaction so that they
keep naming the same documents; a citation of a removed item is marked as such
(``indicators.codes.make_dangling_code``) rather than left to name its successor.

Every write takes the assessment's lock once (``indicators.locking``): it serialises the
writers of one assessment and refuses a SAR that was submitted meanwhile.
"""

from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from evidence.models import Activity, Document, EvidenceItem, Meeting
from evidence.services.documents import delete_files_on_failure, document_store
from indicators.codes import (
    CODES_FOLLOWED_REASON,
    make_code,
    make_dangling_code,
    rewrite_codes,
)
from indicators.locking import assessment_lock
from indicators.models import (
    Assessment,
    CriterionResult,
    set_change_reason,
    set_history_user,
)
from indicators.versioning import claim_version

# Positions are moved out of the way before the final numbering, because the
# unique (result, position) constraint is checked row by row (SQLite has no
# deferrable constraints).
_PARKING_OFFSET = 10_000


def _renumber(
    assessment: Assessment,
    result: CriterionResult,
    ordered: list[EvidenceItem],
    *,
    removed: Collection[int] = (),
    by: User | None,
) -> int:
    """Numbers ``ordered`` (all the result's items) 1..n and rewrites the assessment's
    citations to follow; ``removed`` are the positions of items just deleted. The caller
    holds the assessment's lock (``assessment`` is the locked row). Returns the number of
    texts rewritten."""
    before = dict(EvidenceItem.objects.filter(result=result).values_list("pk", "position"))
    for index, item in enumerate(ordered, start=1):
        EvidenceItem.objects.filter(pk=item.pk).update(position=_PARKING_OFFSET + index)
    for index, item in enumerate(ordered, start=1):
        EvidenceItem.objects.filter(pk=item.pk).update(position=index)
        item.position = index
    moved = {before[item.pk]: item.position for item in ordered if before[item.pk] != item.position}
    return _follow_codes(assessment, result, moved=moved, removed=removed, by=by)


def _follow_codes(
    assessment: Assessment,
    result: CriterionResult,
    *,
    moved: dict[int, int],
    removed: Collection[int],
    by: User | None,
) -> int:
    """Rewrites the result's codes in the assessment's texts: old position -> new for the
    items in ``moved``, and the removed items' codes to their dangling form. Each rewritten
    narrative gets a new version (an editor open on the old text gets the stale-edit
    conflict on saving) and, like every save, a history record. Codes of other indicators
    (and other assessments' texts) are left alone."""
    prefix, number = assessment.unit.evidence_prefix, assessment.indicator.number
    order = result.criterion.order
    mapping = {
        make_code(prefix, number, order, old): make_code(prefix, number, order, new)
        for old, new in moved.items()
    }
    for position in removed:
        mapping[make_code(prefix, number, order, position)] = make_dangling_code(
            prefix, number, order, position
        )
    if not mapping:
        return 0
    rewritten = 0
    for other in CriterionResult.objects.filter(
        assessment_id=assessment.pk, narrative__contains=prefix
    ):
        narrative = rewrite_codes(other.narrative, prefix, mapping)
        if narrative != other.narrative:
            other.narrative, other.version = narrative, other.version + 1
            _save_with_reason(other, ["narrative", "version", "updated_at"], by=by)
            rewritten += 1
    changed = []
    for name in ("strengths", "improvements"):
        text = getattr(assessment, name)
        if text != (new_text := rewrite_codes(text, prefix, mapping)):
            setattr(assessment, name, new_text)
            changed.append(name)
    if changed:
        # A new updated_at is also the details form's edit token: an open form goes stale.
        _save_with_reason(assessment, [*changed, "updated_at"], by=by)
    return rewritten + len(changed)


def _save_with_reason(
    obj: CriterionResult | Assessment, fields: list[str], *, by: User | None
) -> None:
    if by is not None:
        set_history_user(obj, by)
    set_change_reason(obj, CODES_FOLLOWED_REASON)
    obj.save(update_fields=fields)


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


class NewUpload(NamedTuple):
    """A checked file to cite: the upload, its content type and the item's caption."""

    file: File
    content_type: str
    caption: str


def evidence_item_add_upload(
    *, result: CriterionResult, upload: File, content_type: str, caption: str, by: Any
) -> tuple[EvidenceItem, bool]:
    """Stores the file in the unit's library (once) and cites it under the result.

    Returns the item and whether the document was new. All or nothing: if citing
    fails, the new document row is rolled back and its files are deleted.
    """
    added = evidence_items_add_uploads(
        result=result, uploads=[NewUpload(upload, content_type, caption)], by=by
    )
    return added[0]


def evidence_items_add_uploads(
    *, result: CriterionResult, uploads: Sequence[NewUpload], by: Any
) -> list[tuple[EvidenceItem, bool]]:
    """Stores several files in the unit's library and cites each under the result, in
    the order given, each getting the next code.

    Returns ``(item, document was new)`` per file. All or nothing: if one file cannot
    be stored or cited, no item is added and the files already stored are deleted.
    """
    added: list[tuple[EvidenceItem, bool]] = []
    with (
        delete_files_on_failure() as stored,
        transaction.atomic(),
        assessment_lock(result.assessment_id),  # before any file is stored
    ):
        for upload in uploads:
            outcome = document_store(
                unit=result.assessment.unit,
                upload=upload.file,
                content_type=upload.content_type,
                by=by,
            )
            if outcome.created:
                stored.extend(f for f in (outcome.document.file, outcome.document.thumbnail) if f)
            item = _append(result, caption=upload.caption, document=outcome.document)
            added.append((item, outcome.created))
    return added


def evidence_item_move(*, item: EvidenceItem, to_position: int, by: User | None = None) -> int:
    """Moves the item to a 1-based position; the others shift, codes and the citations of
    them follow. ``by`` is who the history records for rewritten texts (in a request the
    history middleware knows it anyway). Returns the number of texts rewritten."""
    with transaction.atomic(), assessment_lock(item.result.assessment_id) as assessment:
        ordered = list(EvidenceItem.objects.filter(result_id=item.result_id).order_by("position"))
        if item.pk not in {other.pk for other in ordered}:
            return 0  # removed meanwhile: nothing left to move
        ordered = [other for other in ordered if other.pk != item.pk]
        to_position = max(1, min(to_position, len(ordered) + 1))
        ordered.insert(to_position - 1, item)
        return _renumber(assessment, item.result, ordered, by=by)


def evidence_item_remove(*, item: EvidenceItem, by: User | None = None) -> int:
    """Deletes the item and closes the gap it leaves; citations of the later items follow
    and citations of this one are marked dangling. Returns the number of texts rewritten."""
    with transaction.atomic(), assessment_lock(item.result.assessment_id) as assessment:
        result = item.result
        # As it is under the lock, not as the caller loaded it.
        removed = EvidenceItem.objects.filter(pk=item.pk).values_list("position", flat=True).first()
        if removed is None:
            return 0  # removed meanwhile
        item.delete()
        ordered = list(EvidenceItem.objects.filter(result=result).order_by("position"))
        return _renumber(assessment, result, ordered, removed=[removed], by=by)


def evidence_items_renumber(
    *, result: CriterionResult, removed: Collection[int], by: User | None = None
) -> int:
    """Closes the gaps that items deleted elsewhere (the admin's inline) left at the
    ``removed`` positions; citations follow as after evidence_item_remove."""
    with transaction.atomic(), assessment_lock(result.assessment_id) as assessment:
        ordered = list(EvidenceItem.objects.filter(result=result).order_by("position"))
        return _renumber(assessment, result, ordered, removed=removed, by=by)


def evidence_item_set_caption(
    *, item: EvidenceItem, caption: str, version: int | None
) -> EvidenceItem:
    """Saves the caption if nobody saved the item since ``version``; raises
    StaleEditError (with the item as it is now) if someone did."""
    with transaction.atomic(), assessment_lock(item.result.assessment_id):
        current = EvidenceItem.objects.select_for_update().get(pk=item.pk)
        claim_version(current, version)
        current.caption = caption
        current.full_clean()
        current.save(update_fields=["caption", "version", "updated_at"])
    item.caption, item.version = current.caption, current.version
    return item


def evidence_item_set_links(
    *,
    item: EvidenceItem,
    meeting: Meeting | None,
    activity: Activity | None,
    version: int | None,
) -> EvidenceItem:
    """Ties the item to the meeting and activity it documents (either may be None),
    unless someone saved the item since ``version`` (StaleEditError)."""
    with transaction.atomic(), assessment_lock(item.result.assessment_id):
        current = EvidenceItem.objects.select_for_update().get(pk=item.pk)
        claim_version(current, version)
        current.meeting, current.activity = meeting, activity
        current.full_clean()
        current.save(update_fields=["meeting", "activity", "version", "updated_at"])
    item.meeting, item.activity, item.version = meeting, activity, current.version
    return item


def evidence_item_replace_document(
    *, item: EvidenceItem, upload: File, content_type: str, by: User
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
        # A bare link had no caption: its address becomes the caption, so the item still
        # says what it was (and keeps the caption-or-link rule).
        item.caption = item.caption or item.url or outcome.document.title
        item.document, item.url, item.to_confirm = outcome.document, "", False
        if item.review_status == EvidenceItem.Review.NEEDS_FIX:
            item.review_status = EvidenceItem.Review.PENDING
        set_history_user(item, by)
        item.full_clean()
        fields = ["caption", "document", "url", "to_confirm", "review_status", "updated_at"]
        item.save(update_fields=fields)
    return item
