"""Writes on evidence items that keep their codes gap-free, and on the records
(meetings, knowledge topics) that touch several rows at once."""

import datetime
import logging

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.forms import BaseInlineFormSet, ModelForm
from django.utils.translation import gettext as _

from indicators.models import CriterionResult

from .models import Document, EvidenceItem, KnowledgeTopic, Meeting, TopicRename

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
