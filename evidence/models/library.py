"""A unit's evidence library: the documents it keeps and the items that cite them."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators import codes, limits
from indicators.limits import BoundedTextField
from indicators.models import CriterionResult, Unit
from indicators.versioning import version_column


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
    caption = BoundedTextField(_("รายการเอกสารอ้างอิง"), blank=True, max_length=limits.CAPTION)
    document = models.ForeignKey(
        Document,
        verbose_name=_("เอกสาร"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_items",
    )
    url = models.URLField(_("ลิงก์"), max_length=limits.URL, blank=True)
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
    # Optimistic locking (indicators.versioning): moved on by the unit's edits of the
    # caption and links, not by the link checker or the reviewer.
    version = version_column()
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
        result = self.result
        assessment = result.assessment
        return codes.make_code(
            assessment.unit.evidence_prefix,
            assessment.indicator.number,
            result.criterion.order,
            self.position,
        )

    @property
    def kind(self) -> str:
        if self.document_id:
            return "document"
        return "link" if self.url else "none"
