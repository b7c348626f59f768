"""Records that touch several rows: a record with its many-to-many or a meeting with its
agenda, a knowledge topic's rename."""

import datetime
import logging
from contextlib import ExitStack

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.forms import BaseInlineFormSet, ModelForm
from django.utils.translation import gettext as _

from evidence.models import Activity, KnowledgeTopic, Meeting, TopicRename
from indicators.locking import assessment_lock
from indicators.models import Assessment, set_change_reason, set_history_user
from indicators.versioning import claim_version

logger = logging.getLogger(__name__)


def knowledge_topic_rename(
    *,
    topic: KnowledgeTopic,
    new_title: str,
    renamed_on: datetime.date,
    meeting: Meeting | None,
    by: User | None,
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
        # A new version: a topic form opened before the rename is told of it on saving.
        locked.version += 1
        locked.full_clean(validate_unique=False)
        locked.save(update_fields=["title", "version"])
    topic.title, topic.version = new_title, locked.version
    # Topics keep no history table; the log says who renamed what.
    logger.info("Knowledge topic %s renamed by %s", topic.pk, getattr(by, "pk", None))
    return rename


def unit_record_save(
    *, form: ModelForm, agenda: BaseInlineFormSet | None = None, version: int | None = None
) -> Model:
    """Saves a validated record form with its many-to-many (members, attendees) and, for
    a meeting, its agenda: all together, or nothing. An edit (``version``: the one the
    form was loaded with) is refused with StaleEditError if someone saved it since."""
    with transaction.atomic():
        record = form.instance
        if record.pk is not None:
            current = type(record)._default_manager.select_for_update().get(pk=record.pk)
            claim_version(current, version)
            record.version = current.version
        record = form.save()
        if agenda is not None:
            agenda.instance = record
            agenda.save()
    return record


def unit_record_delete_refusal(record: Meeting | Activity) -> str | None:
    """Why the record may not be deleted (Thai), or None: evidence of a submitted or
    approved assessment points to it, and that assessment must stay as it was sent."""
    items = record.evidence_items.with_code_parts().exclude(
        result__assessment__status__in=Assessment.EDITABLE_STATUSES
    )
    codes = sorted(item.code for item in items)
    if not codes:
        return None
    return _(
        "ลบ “%(record)s” ไม่ได้ เพราะหลักฐาน %(codes)s ของผลการประเมินที่ส่งแล้วหรืออนุมัติแล้วอ้างถึงรายการนี้"
    ) % {"record": record, "codes": ", ".join(codes)}


def unit_record_delete(*, record: Meeting | Activity, by: User | None) -> None:
    """Deletes a meeting or an activity, unless evidence of a submitted or approved
    assessment points to it (ValidationError naming the codes). Items of assessments
    still being edited lose the link through a save, so their history says who and when."""
    field = "meeting" if isinstance(record, Meeting) else "activity"
    with transaction.atomic(), ExitStack() as locks:
        ids = sorted(set(record.evidence_items.values_list("result__assessment_id", flat=True)))
        for pk in ids:  # in order of id, so that two deletions cannot deadlock
            locks.enter_context(assessment_lock(pk, editable=False))
        refused = unit_record_delete_refusal(record)
        if refused:
            raise ValidationError(refused, code="cited_by_sent")
        # history_change_reason holds 100 characters.
        reason = (_("ลบรายการที่เชื่อมอยู่: %(record)s") % {"record": record})[:100]
        for item in record.evidence_items.all():
            setattr(item, field, None)
            set_history_user(item, by)
            set_change_reason(item, reason)
            item.save(update_fields=[field, "updated_at"])
        record.delete()
