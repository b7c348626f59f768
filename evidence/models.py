"""Evidence behind the narratives: documents, cited items, and the records
(meetings, target staff, KM activities, knowledge topics) the narrative speaks of."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import CriterionResult, Cycle, Unit


def private_upload_to(instance: "Document", filename: str) -> str:
    """An unguessable name; the original name is kept on the row, not on disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{instance.unit_id}/{secrets.token_urlsafe(24)}{suffix}"


def thumbnail_upload_to(instance: "Document", filename: str) -> str:
    return f"thumbnails/{instance.unit_id}/{secrets.token_urlsafe(24)}.png"


class Document(models.Model):
    """A file in a unit's evidence library, citable from many evidence items."""

    class FileStatus(models.TextChoices):
        UNCHECKED = "unchecked", _("ยังไม่ได้ตรวจ")
        OK = "ok", _("ไฟล์ครบถ้วน")
        MISSING = "missing", _("ไม่พบไฟล์")
        MISMATCH = "mismatch", _("ไฟล์ถูกเปลี่ยน (SHA-256 ไม่ตรง)")

    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("ชื่อเอกสาร"), max_length=500, blank=True)
    file = models.FileField(_("ไฟล์"), upload_to=private_upload_to, max_length=300)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"))
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    thumbnail = models.FileField(
        _("ภาพย่อ"), upload_to=thumbnail_upload_to, max_length=300, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้อัปโหลด"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("อัปโหลดเมื่อ"), auto_now_add=True)
    # Written only by `manage.py check_documents`, never on page load.
    file_status = models.CharField(
        _("ผลการตรวจไฟล์"), max_length=10, choices=FileStatus, default=FileStatus.UNCHECKED
    )
    file_checked_at = models.DateTimeField(_("ตรวจไฟล์เมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "-uploaded_at", "pk"]
        verbose_name = _("เอกสาร")
        verbose_name_plural = _("เอกสาร")
        constraints = [
            # The same file is kept once per unit and cited as often as needed.
            models.UniqueConstraint(fields=["unit", "sha256"], name="document_unique_content"),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name

    def get_absolute_url(self) -> str:
        return reverse("evidence:document_download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png")


class EvidenceItemQuerySet(models.QuerySet["EvidenceItem"]):
    def with_code_parts(self) -> "EvidenceItemQuerySet":
        """Everything ``code`` reads, in the same query."""
        return self.select_related(
            "result__criterion",
            "result__assessment__unit",
            "result__assessment__indicator",
            "document",
        )


class EvidenceItem(models.Model):
    """One citation (รายการเอกสารอ้างอิง) under a criterion result.

    Its code, e.g. 'สพ 3-1 (1)', is derived from the unit prefix, the indicator
    number, the criterion order and the item's position, never typed; services
    keep positions 1..n without gaps when items move or go.
    """

    class Review(models.TextChoices):
        PENDING = "pending", _("รอตรวจ")
        ACCEPTED = "accepted", _("ยอมรับ")
        NEEDS_FIX = "needs_fix", _("ต้องแก้ไข")

    class LinkStatus(models.TextChoices):
        UNCHECKED = "unchecked", _("ยังไม่ได้ตรวจ")
        OK = "ok", _("เปิดได้")
        BROKEN = "broken", _("เปิดไม่ได้")

    result = models.ForeignKey(
        CriterionResult,
        verbose_name=_("ผลการดำเนินงานตามเกณฑ์"),
        on_delete=models.CASCADE,
        related_name="evidence_items",
    )
    position = models.PositiveSmallIntegerField(_("ลำดับ"), validators=[MinValueValidator(1)])
    caption = models.TextField(_("รายการเอกสารอ้างอิง"), blank=True)
    document = models.ForeignKey(
        Document,
        verbose_name=_("เอกสาร"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_items",
    )
    url = models.URLField(_("ลิงก์"), max_length=1000, blank=True)
    meeting = models.ForeignKey(
        "Meeting",
        verbose_name=_("การประชุมที่เกี่ยวข้อง"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_items",
    )
    activity = models.ForeignKey(
        "Activity",
        verbose_name=_("กิจกรรมที่เกี่ยวข้อง"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_items",
    )
    review_status = models.CharField(
        _("ผลการตรวจ"), max_length=10, choices=Review, default=Review.PENDING
    )
    # Carried over from last year's cycle: the unit must confirm or replace it.
    to_confirm = models.BooleanField(_("รอยืนยัน (ยกมาจากปีที่แล้ว)"), default=False)
    # Written only by `manage.py check_links`, never on page load.
    link_status = models.CharField(
        _("ผลการตรวจลิงก์"), max_length=10, choices=LinkStatus, default=LinkStatus.UNCHECKED
    )
    link_detail = models.CharField(_("รายละเอียดผลการตรวจลิงก์"), max_length=200, blank=True)
    link_checked_at = models.DateTimeField(_("ตรวจลิงก์เมื่อ"), null=True, blank=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)
    history = HistoricalRecords()

    objects = EvidenceItemQuerySet.as_manager()

    class Meta:
        ordering = ["result", "position"]
        verbose_name = _("หลักฐานอ้างอิง")
        verbose_name_plural = _("หลักฐานอ้างอิง")
        constraints = [
            models.UniqueConstraint(fields=["result", "position"], name="evidence_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="evidence_position_positive"),
            models.CheckConstraint(
                condition=Q(document__isnull=True) | Q(url=""),
                name="evidence_document_or_link",
            ),
            # A bare link may stand without a caption, as 'สพ 3-4 (9)' does in the seed.
            models.CheckConstraint(
                condition=~Q(caption="") | ~Q(url=""), name="evidence_caption_or_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.caption}"

    def clean(self) -> None:
        # The two constraints below, said in Thai and on a field: a field with an error
        # is left out of constraint checks, so the generic message does not follow.
        errors: dict[str, ValidationError] = {}
        if self.document_id is not None and self.url:
            errors["url"] = ValidationError(
                _("หลักฐานหนึ่งรายการเป็นเอกสารหรือลิงก์อย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองอย่าง")
            )
        if not self.caption and not self.url:
            errors["caption"] = ValidationError(_("กรุณาใส่ชื่อรายการเอกสารอ้างอิง"))
        if errors:
            raise ValidationError(errors)

    @property
    def code(self) -> str:
        return f"{self.result.code_stem} ({self.position})"

    @property
    def kind(self) -> str:
        if self.document_id:
            return "document"
        return "link" if self.url else "none"


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
        return f"{self.body} ครั้งที่ {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("evidence:meeting_edit", args=[self.pk])


class AgendaItem(models.Model):
    """An agenda item (ระเบียบวาระ) of a meeting, with its resolution (มติ)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("การประชุม"), on_delete=models.CASCADE, related_name="agenda"
    )
    number = models.CharField(_("วาระที่"), max_length=20, blank=True)
    title = models.TextField(_("เรื่อง"))
    resolution = models.TextField(_("มติที่ประชุม"), blank=True)
    page = models.PositiveSmallIntegerField(_("หน้าที่"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("ระเบียบวาระ")
        verbose_name_plural = _("ระเบียบวาระ")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_unique_number"),
        ]

    def __str__(self) -> str:
        return f"วาระที่ {self.number} {self.title[:60]}"


class Person(models.Model):
    """A member of a unit's staff named in its KM work."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="people"
    )
    name = models.CharField(_("ชื่อ-นามสกุล"), max_length=200)
    position = models.CharField(_("ตำแหน่ง"), max_length=200, blank=True)
    section = models.CharField(_("ฝ่าย/หน่วย"), max_length=200, blank=True)

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
        return f"{self.name} ({self.headcount} คน)"


class KnowledgeTopic(models.Model):
    """The year's knowledge topic (ประเด็นความรู้) with its strategic alignment."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="topics"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("รอบปี"), on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(_("ชื่อประเด็นความรู้ (ปัจจุบัน)"), max_length=500)
    strategic_alignment = models.TextField(_("ความสอดคล้องกับยุทธศาสตร์"), blank=True)
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
        return f"{self.previous_title} (ถึง {self.renamed_on})"


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
    speakers = models.TextField(_("วิทยากร / ผู้ถ่ายทอดความรู้"), blank=True)
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
    notes = models.TextField(_("รายละเอียด"), blank=True)

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
