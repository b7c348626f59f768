"""The records a narrative speaks of: meetings and their agenda, the target staff,
knowledge topics and their renames, and KM activities."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from indicators import limits
from indicators.limits import BoundedTextField
from indicators.models import Cycle, Unit
from indicators.thaidates import localized_date
from indicators.versioning import version_column

from .library import Document


class Meeting(models.Model):
    """A meeting whose minutes and resolutions the narrative cites."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="meetings"
    )
    body = models.CharField(_("ที่ประชุม / คณะกรรมการ"), max_length=300)
    number = models.CharField(
        _("ครั้งที่"),
        max_length=20,
        validators=[RegexValidator(r"^\d+/\d{4}$", _("ครั้งที่ต้องอยู่ในรูป ลำดับ/พ.ศ. เช่น 1/2563"))],
    )
    date = models.DateField(_("วันที่ประชุม"))
    minutes = models.ForeignKey(
        Document,
        verbose_name=_("รายงานการประชุม"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = version_column()

    class Meta:
        ordering = ["unit", "date", "pk"]
        verbose_name = _("การประชุม")
        verbose_name_plural = _("การประชุม")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "body", "number"], name="meeting_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(body)s ครั้งที่ %(number)s") % {"body": self.body, "number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("evidence:meeting_edit", args=[self.pk])


class AgendaItem(models.Model):
    """An agenda item (ระเบียบวาระ) of a meeting, with its resolution (มติ)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("การประชุม"), on_delete=models.CASCADE, related_name="agenda"
    )
    number = models.CharField(_("วาระที่"), max_length=20, blank=True)
    title = BoundedTextField(_("เรื่อง"), max_length=limits.AGENDA_TITLE)
    resolution = BoundedTextField(_("มติที่ประชุม"), blank=True, max_length=limits.RECORD_TEXT)
    page = models.PositiveSmallIntegerField(_("หน้าที่"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("ระเบียบวาระ")
        verbose_name_plural = _("ระเบียบวาระ")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_unique_number"),
        ]

    def __str__(self) -> str:
        return gettext("วาระที่ %(number)s %(title)s") % {
            "number": self.number,
            "title": self.title[:60],
        }


class Person(models.Model):
    """A member of a unit's staff named in its KM work."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="people"
    )
    name = models.CharField(_("ชื่อ-นามสกุล"), max_length=200)
    position = models.CharField(_("ตำแหน่ง"), max_length=200, blank=True)
    section = models.CharField(_("ฝ่าย/หน่วย"), max_length=200, blank=True)
    version = version_column()

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = _("บุคลากร")
        verbose_name_plural = _("บุคลากร")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="person_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    """The staff a knowledge topic is meant to develop (บุคลากรกลุ่มเป้าหมาย)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="target_groups"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("รอบปี"), on_delete=models.PROTECT, related_name="target_groups"
    )
    name = models.CharField(_("กลุ่มเป้าหมาย"), max_length=300)
    headcount = models.PositiveIntegerField(
        _("จำนวนคน"), help_text=_("จำนวนบุคลากรทั้งหมดในกลุ่ม แม้ไม่ได้ระบุชื่อทุกคน")
    )
    members = models.ManyToManyField(
        Person, verbose_name=_("รายชื่อ"), blank=True, related_name="target_groups"
    )
    version = version_column()

    class Meta:
        ordering = ["unit", "cycle", "name"]
        verbose_name = _("กลุ่มเป้าหมาย")
        verbose_name_plural = _("กลุ่มเป้าหมาย")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "cycle", "name"], name="target_group_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return ngettext("%(name)s (%(count)d คน)", "%(name)s (%(count)d คน)", self.headcount) % {
            "name": self.name,
            "count": self.headcount,
        }


class KnowledgeTopic(models.Model):
    """The year's knowledge topic (ประเด็นความรู้) with its strategic alignment."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="topics"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("รอบปี"), on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(_("ชื่อประเด็นความรู้ (ปัจจุบัน)"), max_length=500)
    strategic_alignment = BoundedTextField(
        _("ความสอดคล้องกับยุทธศาสตร์"), blank=True, max_length=limits.RECORD_TEXT
    )
    target_group = models.ForeignKey(
        TargetGroup,
        verbose_name=_("กลุ่มเป้าหมาย"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    good_practice = models.ForeignKey(
        Document,
        verbose_name=_("เอกสารแนวปฏิบัติที่ดี"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = version_column()

    class Meta:
        ordering = ["unit", "cycle", "title"]
        verbose_name = _("ประเด็นความรู้")
        verbose_name_plural = _("ประเด็นความรู้")
        constraints = [
            models.UniqueConstraint(fields=["unit", "cycle", "title"], name="topic_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evidence:topic_edit", args=[self.pk])


class TopicRename(models.Model):
    """An earlier name of a topic and the decision that changed it."""

    topic = models.ForeignKey(
        KnowledgeTopic,
        verbose_name=_("ประเด็นความรู้"),
        on_delete=models.CASCADE,
        related_name="renames",
    )
    previous_title = models.CharField(_("ชื่อเดิม"), max_length=500)
    renamed_on = models.DateField(_("เปลี่ยนชื่อเมื่อ"))
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("ตามมติการประชุม"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["topic", "renamed_on", "pk"]
        verbose_name = _("การเปลี่ยนชื่อประเด็นความรู้")
        verbose_name_plural = _("การเปลี่ยนชื่อประเด็นความรู้")

    def __str__(self) -> str:
        return gettext("%(title)s (ถึง %(day)s)") % {
            "title": self.previous_title,
            "day": localized_date(self.renamed_on),
        }


class Activity(models.Model):
    """A KM activity: sharing, training, brainstorming, dissemination, use."""

    class Kind(models.TextChoices):
        SHARING = "sharing", _("แลกเปลี่ยนเรียนรู้")
        TRAINING = "training", _("ฝึกอบรมเชิงปฏิบัติการ")
        BRAINSTORMING = "brainstorming", _("ระดมสมอง")
        DISSEMINATION = "dissemination", _("เผยแพร่")
        APPLICATION = "application", _("นำไปใช้จริง")

    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="activities"
    )
    topic = models.ForeignKey(
        KnowledgeTopic,
        verbose_name=_("ประเด็นความรู้"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    kind = models.CharField(_("ประเภทกิจกรรม"), max_length=20, choices=Kind)
    title = models.CharField(_("ชื่อกิจกรรม"), max_length=500)
    date = models.DateField(_("วันที่"))
    place = models.CharField(_("สถานที่"), max_length=300, blank=True)
    speakers = BoundedTextField(_("วิทยากร / ผู้ถ่ายทอดความรู้"), blank=True, max_length=limits.SPEAKERS)
    attendance = models.PositiveIntegerField(_("จำนวนผู้เข้าร่วม"), null=True, blank=True)
    attendees = models.ManyToManyField(
        Person, verbose_name=_("ผู้เข้าร่วม"), blank=True, related_name="activities"
    )
    satisfaction_percent = models.DecimalField(
        _("ความพึงพอใจ (ร้อยละ)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    notes = BoundedTextField(_("รายละเอียด"), blank=True, max_length=limits.RECORD_TEXT)
    version = version_column()

    class Meta:
        ordering = ["unit", "date", "pk"]
        verbose_name = _("กิจกรรมการจัดการความรู้")
        verbose_name_plural = _("กิจกรรมการจัดการความรู้")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction_percent__isnull=True)
                | Q(satisfaction_percent__gte=0, satisfaction_percent__lte=100),
                name="activity_satisfaction_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("evidence:activity_edit", args=[self.pk])
