"""Units, cycles, indicators, criteria and each unit's self-assessment."""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import scoring
from .thaidates import BE_OFFSET, thai_date


class Unit(models.Model):
    """A unit of the university (หน่วยงาน) that keeps its own indicators."""

    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200, unique=True)
    evidence_prefix = models.CharField(
        _("อักษรย่อรหัสเอกสาร"),
        max_length=20,
        unique=True,
        help_text=_("ขึ้นต้นรหัสเอกสารอ้างอิง เช่น สพ ใน สพ 3-1 (1)"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("สังกัด"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="units",
        verbose_name=_("สมาชิก"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        constraints = [
            models.CheckConstraint(
                condition=~Q(evidence_prefix=""), name="unit_evidence_prefix_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:unit", args=[self.pk])


class Membership(models.Model):
    """A user's place in a unit: staff fill in the SAR, the head submits it."""

    class Role(models.TextChoices):
        STAFF = "staff", _("ผู้รับผิดชอบตัวบ่งชี้")
        HEAD = "head", _("หัวหน้าหน่วยงาน")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ใช้"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("บทบาท"), max_length=10, choices=Role, default=Role.STAFF)

    class Meta:
        ordering = ["unit", "user"]
        verbose_name = _("สมาชิกหน่วยงาน")
        verbose_name_plural = _("สมาชิกหน่วยงาน")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_unique_user_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_role_display()})"


class CycleQuerySet(models.QuerySet["Cycle"]):
    def current(self) -> "Cycle | None":
        """The cycle staff work on now: the latest one that has started."""
        today = datetime.date.today()
        started = self.filter(start_date__lte=today).order_by("-start_date").first()
        return started or self.order_by("start_date").first()


class Cycle(models.Model):
    """The period whose work is counted (รอบปีที่ใช้นับผลงาน)."""

    class Kind(models.TextChoices):
        FISCAL = "fiscal", _("ปีงบประมาณ")
        ACADEMIC = "academic", _("ปีการศึกษา")

    kind = models.CharField(_("ประเภทรอบ"), max_length=10, choices=Kind, default=Kind.FISCAL)
    year_be = models.PositiveSmallIntegerField(
        _("ปี พ.ศ."), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    start_date = models.DateField(_("วันเริ่มต้น"))
    end_date = models.DateField(_("วันสิ้นสุด"))

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("รอบปีที่ใช้นับผลงาน")
        verbose_name_plural = _("รอบปีที่ใช้นับผลงาน")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year_be"], name="cycle_unique_kind_year"),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="cycle_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year_be}"

    def clean(self) -> None:
        # Said here in Thai, on the field, before the constraint's generic message.
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("วันสิ้นสุดต้องอยู่หลังวันเริ่มต้น")})

    @staticmethod
    def fiscal_dates(year_be: int) -> tuple[datetime.date, datetime.date]:
        """Thai fiscal year 2563 runs from 1 Oct 2019 to 30 Sep 2020."""
        year_ce = year_be - BE_OFFSET
        return datetime.date(year_ce - 1, 10, 1), datetime.date(year_ce, 9, 30)

    @staticmethod
    def academic_dates(year_be: int) -> tuple[datetime.date, datetime.date]:
        """The usual academic year 2563: 1 Jul 2020 – 30 Jun 2021 (editable per cycle)."""
        year_ce = year_be - BE_OFFSET
        return datetime.date(year_ce, 7, 1), datetime.date(year_ce + 1, 6, 30)

    @property
    def period_display(self) -> str:
        """As the SAR writes it: 'ปีงบประมาณ พ.ศ.2563 (1 ต.ค. 62 - 30 ก.ย. 63)'."""
        label = "ปีงบประมาณ พ.ศ." if self.kind == self.Kind.FISCAL else "ปีการศึกษา "
        start = thai_date(self.start_date, short=True)
        end = thai_date(self.end_date, short=True)
        return f"{label}{self.year_be} ({start} - {end})"

    def previous(self) -> "Cycle | None":
        return Cycle.objects.filter(kind=self.kind, year_be__lt=self.year_be).first()


class Indicator(models.Model):
    """An indicator of a cycle, with its scoring rule stored as data."""

    class Kind(models.TextChoices):
        PROCESS = "process", _("กระบวนการ")
        OUTPUT = "output", _("ผลผลิต")
        OUTCOME = "outcome", _("ผลลัพธ์")
        INPUT = "input", _("ปัจจัยนำเข้า")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("รอบปี"), on_delete=models.PROTECT, related_name="indicators"
    )
    number = models.CharField(_("ตัวบ่งชี้ที่"), max_length=20, help_text=_("เช่น 3 หรือ 1.1"))
    sort_key = models.CharField(max_length=60, editable=False, db_index=True)
    title = models.CharField(_("ชื่อตัวบ่งชี้"), max_length=500)
    kind = models.CharField(_("ชนิดของตัวบ่งชี้"), max_length=10, choices=Kind, default=Kind.PROCESS)
    score_table = models.JSONField(
        _("ตารางคะแนนตามจำนวนข้อ"),
        default=list,
        blank=True,
        help_text=_("สำหรับตัวบ่งชี้กระบวนการ: [[จำนวนข้อที่ผ่านขั้นต่ำ, คะแนน], ...]"),
    )
    full_score_value = models.DecimalField(
        _("ค่าที่ได้คะแนนเต็ม 5"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("สำหรับตัวบ่งชี้ผลผลิต/ผลลัพธ์ เช่น ร้อยละ 40 ขึ้นไป = 5 คะแนน"),
    )
    result_unit = models.CharField(
        _("หน่วยของผลการดำเนินงาน"), max_length=40, blank=True, help_text=_("เช่น ข้อ, ร้อยละ")
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("คัดลอกจาก"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )

    class Meta:
        ordering = ["cycle", "sort_key"]
        verbose_name = _("ตัวบ่งชี้")
        verbose_name_plural = _("ตัวบ่งชี้")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="indicator_unique_number"),
            models.CheckConstraint(
                condition=Q(full_score_value__isnull=True) | Q(full_score_value__gt=0),
                name="indicator_full_score_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"ตัวบ่งชี้ที่ {self.number} {self.title}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.sort_key = self.make_sort_key(self.number)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @staticmethod
    def make_sort_key(number: str) -> str:
        """'1.10' sorts after '1.9': pad each numeric part."""
        return ".".join(part.zfill(6) if part.isdigit() else part for part in number.split("."))

    @property
    def is_counted(self) -> bool:
        """Process (and input) indicators score by criteria met; the others by value."""
        return self.kind in (self.Kind.PROCESS, self.Kind.INPUT)

    def clean(self) -> None:
        # An empty JSON box arrives as None, which the NOT NULL column refuses.
        if self.score_table is None:
            self.score_table = []
        errors: dict[str, ValidationError] = {}
        if self.is_counted:
            try:
                scoring.validate_score_table(self.score_table)
            except ValidationError as error:
                errors["score_table"] = error
        elif self.full_score_value is None:
            errors["full_score_value"] = ValidationError(_("ตัวบ่งชี้ผลผลิต/ผลลัพธ์ต้องกำหนดค่าที่ได้คะแนนเต็ม"))
        if self.full_score_value is not None and self.full_score_value <= 0:
            errors["full_score_value"] = ValidationError(_("ค่าที่ได้คะแนนเต็มต้องมากกว่า 0"))
        if errors:
            raise ValidationError(errors)

    def score(self, *, met: int | None = None, value: Decimal | None = None) -> Decimal | None:
        """None when there is nothing to score, or when the rule is incomplete (rows
        saved before clean() ran): pages show "no score" rather than fail."""
        if self.is_counted:
            if met is None or not scoring.is_valid_score_table(self.score_table):
                return None
            return scoring.score_from_count(met, self.score_table)
        if value is None or self.full_score_value is None or self.full_score_value <= 0:
            return None
        return scoring.score_from_value(value, self.full_score_value)


class Criterion(models.Model):
    """One item (ข้อ) of an indicator's standard criteria (เกณฑ์มาตรฐาน)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("ตัวบ่งชี้"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("ข้อที่"), validators=[MinValueValidator(1)])
    text = models.TextField(_("เกณฑ์มาตรฐาน"))

    class Meta:
        ordering = ["indicator", "order"]
        verbose_name = _("เกณฑ์มาตรฐาน")
        verbose_name_plural = _("เกณฑ์มาตรฐาน")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "order"], name="criterion_unique_order"),
            models.CheckConstraint(condition=Q(order__gte=1), name="criterion_order_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:80]}"


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def editable(self) -> "AssessmentQuerySet":
        """Those still open for changes: draft or returned (see Assessment.is_editable)."""
        return self.filter(status__in=Assessment.EDITABLE_STATUSES)

    def with_met_count(self) -> "AssessmentQuerySet":
        return self.annotate(met_total=Count("results", filter=Q(results__met=True), distinct=True))


class Assessment(models.Model):
    """One unit's self-assessment of one indicator (ผลการประเมินตนเอง)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("ร่าง")
        SUBMITTED = "submitted", _("ส่งแล้ว")
        RETURNED = "returned", _("ส่งกลับแก้ไข")
        APPROVED = "approved", _("อนุมัติแล้ว")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    unit = models.ForeignKey(
        Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="assessments"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("ตัวบ่งชี้"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    target = models.DecimalField(
        _("เป้าหมาย"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("จำนวนข้อ (ตัวบ่งชี้กระบวนการ) หรือค่าเป้าหมาย (ผลผลิต/ผลลัพธ์)"),
    )
    result_value = models.DecimalField(
        _("ผลการดำเนินงาน (ค่าที่วัดได้)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("สำหรับตัวบ่งชี้ผลผลิต/ผลลัพธ์"),
    )
    committee_score = models.DecimalField(
        _("คะแนนของกรรมการ"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    strengths = models.TextField(_("จุดแข็ง"), blank=True)
    improvements = models.TextField(_("จุดที่ควรพัฒนา"), blank=True)
    carried_over = models.BooleanField(_("ยกมาจากปีที่แล้ว"), default=False)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "indicator__cycle", "indicator__sort_key"]
        verbose_name = _("ผลการประเมินตนเอง")
        verbose_name_plural = _("ผลการประเมินตนเอง")
        permissions = [
            ("review_assessment", _("ตรวจประเมินได้ (เจ้าหน้าที่ประกันคุณภาพ)")),
            ("administer_qa", _("ผู้ดูแลระบบประกันคุณภาพ")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator"], name="assessment_unique_unit"),
            models.CheckConstraint(
                condition=Q(committee_score__isnull=True)
                | Q(committee_score__gte=0, committee_score__lte=5),
                name="assessment_committee_score_0_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – ตัวบ่งชี้ที่ {self.indicator.number} ({self.indicator.cycle})"

    def get_absolute_url(self) -> str:
        return reverse("indicators:assessment", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def met_count(self) -> int:
        """Criteria met; uses the with_met_count() annotation or prefetched results."""
        annotated = getattr(self, "met_total", None)
        if annotated is not None:
            return annotated
        return sum(1 for result in self.results.all() if result.met)

    @property
    def result(self) -> Decimal | None:
        """What is compared with the target: criteria met, or the measured value."""
        if self.indicator.is_counted:
            return Decimal(self.met_count)
        return self.result_value

    @property
    def self_score(self) -> Decimal | None:
        return self.indicator.score(met=self.met_count, value=self.result_value)

    @property
    def achieved(self) -> bool | None:
        """Target reached (✓) or not (✗); None when no target is set."""
        result = self.result
        if self.target is None or result is None:
            return None
        return result >= self.target

    @property
    def quality_level(self) -> scoring.QualityLevel | None:
        score = self.self_score
        return None if score is None else scoring.quality_level(score)


class AssessmentTransition(models.Model):
    """One step of the workflow: who moved the assessment, when and why."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("ผลการประเมินตนเอง"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(_("จากสถานะ"), max_length=10, choices=Assessment.Status)
    to_status = models.CharField(_("เป็นสถานะ"), max_length=10, choices=Assessment.Status)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("โดย"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)
    reason = models.TextField(_("เหตุผล"), blank=True)

    class Meta:
        ordering = ["assessment", "at", "pk"]
        verbose_name = _("การเปลี่ยนสถานะ")
        verbose_name_plural = _("การเปลี่ยนสถานะ")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")),
                name="transition_changes_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.from_status} → {self.to_status}"


class CriterionResult(models.Model):
    """A unit's result for one criterion: narrative and met / not met."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("ผลการประเมินตนเอง"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("เกณฑ์"), on_delete=models.PROTECT, related_name="results"
    )
    narrative = models.TextField(_("ผลการดำเนินงานตามเกณฑ์"), blank=True)
    met = models.BooleanField(_("ผ่านเกณฑ์"), default=False)
    committee_met = models.BooleanField(_("กรรมการเห็นว่าผ่านเกณฑ์"), null=True, blank=True)
    # Optimistic locking: a save must name the version it was edited from.
    version = models.PositiveIntegerField(_("รุ่น"), default=1)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("ยกมาจาก"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "criterion__order"]
        verbose_name = _("ผลการดำเนินงานตามเกณฑ์")
        verbose_name_plural = _("ผลการดำเนินงานตามเกณฑ์")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="criterion_result_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} ข้อ {self.criterion.order}"

    def clean(self) -> None:
        # A missing criterion or assessment has its own "required" error; unset relations
        # raise RelatedObjectDoesNotExist, an AttributeError, hence getattr.
        criterion = getattr(self, "criterion", None)
        assessment = getattr(self, "assessment", None)
        if criterion is None or assessment is None or assessment.indicator_id is None:
            return
        if criterion.indicator_id != assessment.indicator_id:
            raise ValidationError(_("เกณฑ์นี้ไม่ได้อยู่ในตัวบ่งชี้ของการประเมินนี้"))

    @property
    def code_stem(self) -> str:
        """'สพ 3-1': the part of every evidence code under this criterion."""
        assessment = self.assessment
        return (
            f"{assessment.unit.evidence_prefix} "
            f"{assessment.indicator.number}-{self.criterion.order}"
        )


class ReviewComment(models.Model):
    """A reviewer's comment on a criterion or an evidence item, answered by the unit."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("ผลการประเมินตนเอง"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    criterion_result = models.ForeignKey(
        CriterionResult,
        verbose_name=_("เกณฑ์"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    evidence_item = models.ForeignKey(
        "evidence.EvidenceItem",
        verbose_name=_("หลักฐาน"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้แสดงความเห็น"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("ความเห็น"))
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)
    reply = models.TextField(_("คำตอบของหน่วยงาน"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ตอบ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("ตอบเมื่อ"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ปิดโดย"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("ปิดเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "created_at", "pk"]
        verbose_name = _("ความเห็นของผู้ตรวจ")
        verbose_name_plural = _("ความเห็นของผู้ตรวจ")
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="review_comment_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.body[:80]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


def report_upload_to(instance: "ReportJob", filename: str) -> str:
    """An unguessable name under reports/; the download name is kept on the row."""
    return f"reports/{secrets.token_urlsafe(24)}.pdf"


class ReportJob(models.Model):
    """A report of many units, made in the background worker (manage.py db_worker)."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("สรุปผลการประเมินตนเองทั้งมหาวิทยาลัย")
        ALL_UNITS = "all_units", _("รายงานการประเมินตนเองของทุกหน่วยงาน")

    class Status(models.TextChoices):
        QUEUED = "queued", _("รอคิว")
        RUNNING = "running", _("กำลังสร้างรายงาน")
        DONE = "done", _("เสร็จแล้ว")
        FAILED = "failed", _("ไม่สำเร็จ")

    kind = models.CharField(_("รายงาน"), max_length=20, choices=Kind)
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("รอบปี"), on_delete=models.CASCADE, related_name="report_jobs"
    )
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("ความคืบหน้า (ร้อยละ)"), default=0)
    # Private, like evidence: no public URL, served by a permission-checked view.
    file = models.FileField(_("ไฟล์"), upload_to=report_upload_to, max_length=300, blank=True)
    filename = models.CharField(_("ชื่อไฟล์"), max_length=255, blank=True)
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้สั่งสร้าง"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("สั่งเมื่อ"), auto_now_add=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("งานสร้างรายงาน")
        verbose_name_plural = _("งานสร้างรายงาน")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="report_job_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cycle} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("indicators:report_job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
