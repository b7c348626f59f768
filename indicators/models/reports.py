"""Reports made in the background worker, kept as private files."""

import secrets
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .assessments import Assessment
from .cycles import Cycle
from .units import Unit


def report_upload_to(instance: "ReportJob", filename: str) -> str:
    """An unguessable name under reports/ (the suffix kept); the download name is on the row."""
    suffix = PurePath(filename).suffix.lower() or ".pdf"
    return f"reports/{secrets.token_urlsafe(24)}{suffix}"


WORD_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReportJob(models.Model):
    """A report or an evidence bundle, made in the background worker (manage.py run_worker),
    never inside a web request: the page that asks for one answers at once."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("สรุปผลการประเมินตนเองทั้งมหาวิทยาลัย")
        ALL_UNITS = "all_units", _("รายงานการประเมินตนเองของทุกหน่วยงาน")
        INDICATOR = "indicator", _("รายงานตัวบ่งชี้ (PDF)")
        UNIT_SAR = "unit_sar", _("รายงานการประเมินตนเองประจำปีของหน่วยงาน (PDF)")
        BUNDLE = "bundle", _("หลักฐานทั้งหมดของหน่วยงาน (ZIP)")
        UNIVERSITY_XLSX = "university_xlsx", _("คะแนนการประเมินตนเองทุกหน่วยงาน (Excel)")
        INDICATOR_DOCX = "indicator_docx", _("รายงานตัวบ่งชี้ (Word)")
        UNIT_SAR_DOCX = "unit_sar_docx", _("รายงานการประเมินตนเองประจำปีของหน่วยงาน (Word)")
        COMMITTEE = "committee", _("รายงานผลการตรวจประเมินของคณะกรรมการ (PDF)")
        COMMITTEE_DOCX = "committee_docx", _("รายงานผลการตรวจประเมินของคณะกรรมการ (Word)")

    # Reports across units: only for those who may read every unit.
    CYCLE_KINDS = (Kind.UNIVERSITY, Kind.ALL_UNITS, Kind.UNIVERSITY_XLSX)
    # Kinds made of one assessment.
    INDICATOR_KINDS = (Kind.INDICATOR, Kind.INDICATOR_DOCX)
    # The file each kind makes (a PDF unless named here).
    FILE_TYPES = {
        Kind.BUNDLE: (".zip", "application/zip"),
        Kind.INDICATOR_DOCX: (".docx", WORD_MIMETYPE),
        Kind.UNIT_SAR_DOCX: (".docx", WORD_MIMETYPE),
        Kind.COMMITTEE_DOCX: (".docx", WORD_MIMETYPE),
        Kind.UNIVERSITY_XLSX: (
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    }

    class Status(models.TextChoices):
        QUEUED = "queued", _("รอคิว")
        RUNNING = "running", _("กำลังสร้างรายงาน")
        DONE = "done", _("เสร็จแล้ว")
        FAILED = "failed", _("ไม่สำเร็จ")

    class Failure(models.TextChoices):
        """Why a job failed, in words the QA officer can act on (details go to the log)."""

        ERROR = "error", _("เกิดข้อผิดพลาดระหว่างสร้างรายงาน")
        WORKER_LOST = "worker_lost", _("ตัวประมวลผลเบื้องหลังหยุดทำงานระหว่างสร้างรายงานหลายครั้งติดต่อกัน")
        TIME_LIMIT = "time_limit", _("สร้างรายงานนานเกินเวลาที่กำหนด")

    kind = models.CharField(_("รายงาน"), max_length=20, choices=Kind)
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("รอบปี"), on_delete=models.CASCADE, related_name="report_jobs"
    )
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status, default=Status.QUEUED)
    # What a single-unit report is of (empty for reports across units).
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("หน่วยงาน"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_jobs",
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("ตัวบ่งชี้ของหน่วยงาน"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_jobs",
    )
    justify = models.BooleanField(_("จัดข้อความแบบกระจายเต็มบรรทัด"), default=False)
    progress = models.PositiveSmallIntegerField(_("ความคืบหน้า (ร้อยละ)"), default=0)
    # Private, like evidence: no public URL, served by a permission-checked view.
    file = models.FileField(_("ไฟล์"), upload_to=report_upload_to, max_length=300, blank=True)
    filename = models.CharField(_("ชื่อไฟล์"), max_length=255, blank=True)
    failure = models.CharField(_("สาเหตุที่ไม่สำเร็จ"), max_length=20, choices=Failure, blank=True)
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    # Recovery (indicators/reports/recovery.py): the worker beats while it renders;
    # a running job whose beat stops is run again, up to KMT_REPORT_JOB_RETRIES times.
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่เริ่มสร้าง"), default=0)
    started_at = models.DateTimeField(_("เริ่มสร้างเมื่อ"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("ตัวประมวลผลแจ้งล่าสุดเมื่อ"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้สั่งสร้าง"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("สั่งเมื่อ"), auto_now_add=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)
    # What the report showed when it began to be made (reports/freshness.py): a digest of
    # its sections' HTML, for the reports made of SAR sections; empty for the others.
    data_digest = models.CharField(_("ลายนิ้วมือของข้อมูลที่ใช้สร้าง"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("งานสร้างรายงาน")
        verbose_name_plural = _("งานสร้างรายงาน")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="report_job_progress_0_100"
            ),
            # A single-unit report names its unit, an indicator report its assessment.
            models.CheckConstraint(
                condition=Q(kind__in=["university", "all_units", "university_xlsx"])
                | Q(unit__isnull=False),
                name="report_job_unit_for_unit_kinds",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["indicator", "indicator_docx"])
                | Q(assessment__isnull=False),
                name="report_job_assessment_for_indicator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cycle} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("indicators:report_job", args=[self.pk])

    @property
    def of_unit(self) -> bool:
        return self.kind not in self.CYCLE_KINDS

    @property
    def suffix(self) -> str:
        return self.FILE_TYPES.get(self.Kind(self.kind), (".pdf", ""))[0]

    @property
    def mimetype(self) -> str:
        return self.FILE_TYPES.get(self.Kind(self.kind), ("", "application/pdf"))[1]

    @property
    def is_pdf(self) -> bool:
        return self.suffix == ".pdf"

    def source_url(self) -> str:
        """The page the report was asked for from (the job page links back to it)."""
        if self.assessment_id:
            return reverse("indicators:assessment", args=[self.assessment_id])
        if self.unit_id:
            url = reverse("indicators:unit", args=[self.unit_id])
            return f"{url}?cycle={self.cycle_id}"
        return reverse("indicators:university_pdf", args=[self.cycle_id])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Running, but the worker has not been heard from for KMT_REPORT_JOB_STALE_SECONDS:
        the page says so; the next sweep (recovery.py) runs it again or fails it."""
        if self.status != self.Status.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        stale = timedelta(seconds=settings.KMT_REPORT_JOB_STALE_SECONDS)
        return last < timezone.now() - stale


def sar_part_upload_to(instance: "SarPart | None", filename: str) -> str:
    return f"reports/sar-parts/{secrets.token_urlsafe(24)}.pdf"


class SarPart(models.Model):
    """One part of a unit's annual SAR laid out on its own, kept to be joined again
    (indicators/reports/assembly.py): an indicator's section, or the unit's evidence
    index. Its fingerprint is that of what it shows, so a stored part whose data
    changed is never used: it is laid out again first."""

    class Kind(models.TextChoices):
        INDICATOR = "indicator", _("ตัวบ่งชี้")
        EVIDENCE_INDEX = "evidence_index", _("ดัชนีเอกสารอ้างอิง")

    kind = models.CharField(_("ส่วนของรายงาน"), max_length=20, choices=Kind)
    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.CASCADE, related_name="+"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("รอบปี"), on_delete=models.CASCADE, related_name="+"
    )
    # The indicator a section is of (empty for the evidence index).
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("ตัวบ่งชี้ของหน่วยงาน"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sar_parts",
    )
    justify = models.BooleanField(_("จัดข้อความแบบกระจายเต็มบรรทัด"), default=False)
    fingerprint = models.CharField(_("ลายนิ้วมือของข้อมูล"), max_length=64, blank=True)
    file = models.FileField(_("ไฟล์"), upload_to=sar_part_upload_to, max_length=300, blank=True)
    pages = models.PositiveIntegerField(_("จำนวนหน้า"), default=0)
    rendered_at = models.DateTimeField(_("จัดหน้าเมื่อ"), null=True, blank=True)
    # When a render of this section was queued, until it starts (the debounce: changes
    # made meanwhile are picked up by that render, which reads the data as it runs).
    queued_at = models.DateTimeField(_("เข้าคิวจัดหน้าเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "cycle", "kind", "assessment"]
        verbose_name = _("ส่วนของรายงานการประเมินตนเองที่จัดหน้าไว้")
        verbose_name_plural = _("ส่วนของรายงานการประเมินตนเองที่จัดหน้าไว้")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "justify"],
                condition=Q(kind="indicator"),
                name="sar_part_one_per_section",
            ),
            models.UniqueConstraint(
                fields=["unit", "cycle", "justify"],
                condition=Q(kind="evidence_index"),
                name="sar_part_one_evidence_index",
            ),
            models.CheckConstraint(
                condition=Q(kind="evidence_index", assessment__isnull=True)
                | Q(kind="indicator", assessment__isnull=False),
                name="sar_part_assessment_for_sections",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} {self.cycle}"
