"""Records that touch several rows: a record with its many-to-many or a meeting with its
agenda, a knowledge topic's rename."""

import datetime
import logging

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.forms import BaseInlineFormSet, ModelForm
from django.utils.translation import gettext as _

from evidence.models import KnowledgeTopic, Meeting, TopicRename

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
        locked.full_clean(validate_unique=False)
        locked.save(update_fields=["title"])
    topic.title = new_title
    # Topics keep no history table; the log says who renamed what.
    logger.info("Knowledge topic %s renamed by %s", topic.pk, getattr(by, "pk", None))
    return rename


def unit_record_save(*, form: ModelForm, agenda: BaseInlineFormSet | None = None) -> Model:
    """Saves a validated record form with its many-to-many (members, attendees) and, for
    a meeting, its agenda: all together, or nothing."""
    with transaction.atomic():
        record = form.save()
        if agenda is not None:
            agenda.instance = record
            agenda.save()
    return record
