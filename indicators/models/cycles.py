"""Cycles, their indicators and each indicator's criteria, with its scoring rule as data."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import limits, scoring
from ..limits import BoundedTextField
from ..thaidates import BE_OFFSET, localized_date

if TYPE_CHECKING:
    from .units import Unit


# Units read as a percentage: the value is numerator ÷ denominator × 100.
PERCENT_UNITS = frozenset({"ร้อยละ", "%", "เปอร์เซ็นต์", "percent"})

# The measured value's column holds 12 digits, 2 after the point.
MAX_VALUE = Decimal(10) ** 10


class CycleQuerySet(models.QuerySet["Cycle"]):
    def current(self) -> "Cycle | None":
        """The cycle staff work on now: the latest one that has started."""
        today = datetime.date.today()
        started = self.filter(start_date__lte=today).order_by("-start_date").first()
        return started or self.order_by("start_date").first()

    def with_work_of(self, units: "Iterable[Unit] | None") -> "CycleQuerySet":
        """``assessment_total`` and ``open_total`` (not yet approved) of the units'
        assessments in each cycle; every unit's when ``units`` is None."""
        # Assessment.Status.APPROVED: assessments.py imports this module, not the reverse.
        approved = Q(indicators__assessments__status="approved")
        of_units = Q() if units is None else Q(indicators__assessments__unit__in=units)
        return self.annotate(
            assessment_total=Count("indicators__assessments", filter=of_units),
            open_total=Count("indicators__assessments", filter=of_units & ~approved),
        )


def check_deadlines(submission: datetime.date | None, review: datetime.date | None) -> None:
    """A review cannot be due before the work it reviews."""
    if submission and review and review < submission:
        raise ValidationError({"review_deadline": _("กำหนดตรวจเสร็จต้องไม่ก่อนกำหนดส่ง")})


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
    submission_deadline = models.DateField(
        _("กำหนดส่งผลการประเมิน"),
        null=True,
        blank=True,
        help_text=_("วันสุดท้ายที่หน่วยงานส่งผลการประเมินตนเองให้ตรวจ"),
    )
    review_deadline = models.DateField(
        _("กำหนดตรวจเสร็จ"),
        null=True,
        blank=True,
        help_text=_("วันสุดท้ายที่เจ้าหน้าที่ประกันคุณภาพตรวจผลที่ส่งมาเสร็จ"),
    )

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
        # The enum's label rather than get_kind_display(), which builds a dict of the
        # choices at each call: the QA officer's home page names a cycle on ~100 lines.
        kind = self.Kind(self.kind).label if self.kind in self.Kind.values else self.kind
        return f"{kind} {self.year_be}"

    def clean(self) -> None:
        # Said here in Thai, on the field, before the constraint's generic message.
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("วันสิ้นสุดต้องอยู่หลังวันเริ่มต้น")})
        check_deadlines(self.submission_deadline, self.review_deadline)

    @staticmethod
    def fiscal_dates(year_be: int) -> tuple[datetime.date, datetime.date]:
        """Thai fiscal year 2563 runs from 1 Oct 2019 to 30 Sep 2020."""
        year_ce = year_be - BE_OFFSET
        return datetime.date(year_ce - 1, 10, 1), datetime.date(year_ce, 9, 30)

    @property
    def period_display(self) -> str:
        """As the SAR writes it: 'ปีงบประมาณ พ.ศ.2563 (1 ต.ค. 62 - 30 ก.ย. 63)'; on English
        pages 'Fiscal year 2563 (1 Oct 2562 – 30 Sep 2563)' (reports are always Thai)."""
        if self.kind == self.Kind.FISCAL:
            text = gettext("ปีงบประมาณ พ.ศ.%(year)s (%(start)s - %(end)s)")
        else:
            text = gettext("ปีการศึกษา %(year)s (%(start)s - %(end)s)")
        return text % {
            "year": self.year_be,
            "start": localized_date(self.start_date, short=True),
            "end": localized_date(self.end_date, short=True),
        }

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
    numerator_label = models.CharField(
        _("ชื่อตัวตั้ง"),
        max_length=200,
        blank=True,
        help_text=_("ตัวบ่งชี้ผลผลิต/ผลลัพธ์ที่คำนวณจากข้อมูล เช่น จำนวนบัณฑิตที่ได้งานทำ"),
    )
    denominator_label = models.CharField(
        _("ชื่อตัวหาร"),
        max_length=200,
        blank=True,
        help_text=_("เช่น จำนวนบัณฑิตทั้งหมด"),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("คัดลอกจาก"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    submission_deadline = models.DateField(
        _("กำหนดส่งของตัวบ่งชี้นี้"),
        null=True,
        blank=True,
        help_text=_("เว้นว่างไว้เพื่อใช้กำหนดส่งของรอบปี"),
    )
    review_deadline = models.DateField(
        _("กำหนดตรวจเสร็จของตัวบ่งชี้นี้"),
        null=True,
        blank=True,
        help_text=_("เว้นว่างไว้เพื่อใช้กำหนดตรวจของรอบปี"),
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
        return gettext("ตัวบ่งชี้ที่ %(number)s %(title)s") % {"number": self.number, "title": self.title}

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = self.make_sort_key(self.number)
        super().save(*args, **kwargs)

    @staticmethod
    def make_sort_key(number: str) -> str:
        """'1.10' sorts after '1.9': pad each numeric part."""
        return ".".join(part.zfill(6) if part.isdigit() else part for part in number.split("."))

    @property
    def is_counted(self) -> bool:
        """Process (and input) indicators score by criteria met; the others by value."""
        return self.kind in (self.Kind.PROCESS, self.Kind.INPUT)

    @property
    def has_ratio(self) -> bool:
        """Whether the value is computed from a numerator and a denominator."""
        return not self.is_counted and bool(self.numerator_label and self.denominator_label)

    @property
    def is_percentage(self) -> bool:
        return self.result_unit.strip().casefold() in PERCENT_UNITS

    def measure_text(self) -> str:
        """The text of an output/outcome indicator's one criterion: what is measured and,
        when it has them, how it is computed. Stored data (like the seed's criteria),
        so written in Thai, not translated."""
        if not self.has_ratio:
            return self.title
        times = " × 100" if self.is_percentage else ""
        return f"{self.title}\nคำนวณจาก {self.numerator_label} ÷ {self.denominator_label}{times}"

    def value_from(self, numerator: Decimal, denominator: Decimal) -> Decimal:
        """The measured value from its data: numerator ÷ denominator, × 100 when the unit
        is a percentage (ร้อยละ), rounded half up to two places."""
        value = numerator / denominator
        if self.is_percentage:
            value *= 100
        return scoring.two_places(value)

    def check_ratio(self, numerator: Decimal | None, denominator: Decimal | None) -> None:
        """Raises a ValidationError (Thai, by field) for data the value cannot come from."""
        errors: dict[str, Any] = {}
        if (numerator is None) != (denominator is None):
            missing = "numerator" if numerator is None else "denominator"
            errors[missing] = _("กรอกทั้งตัวตั้งและตัวหาร หรือเว้นว่างทั้งสองช่อง")
        if numerator is not None and numerator < 0:
            errors["numerator"] = _("ตัวตั้งต้องไม่ติดลบ")
        if denominator is not None and denominator <= 0:
            errors["denominator"] = _("ตัวหารต้องมากกว่า 0")
        if errors:
            raise ValidationError(errors)
        if numerator is None or denominator is None:
            return
        if self.is_percentage and numerator > denominator:
            raise ValidationError({"numerator": _("ค่าร้อยละ: ตัวตั้งต้องไม่มากกว่าตัวหาร")})
        if self.value_from(numerator, denominator) >= MAX_VALUE:
            raise ValidationError({"denominator": _("ค่าที่คำนวณได้ใหญ่เกินไป ตรวจสอบตัวตั้งและตัวหาร")})

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
        check_deadlines(self.submission_deadline, self.review_deadline)

    @property
    def effective_submission_deadline(self) -> datetime.date | None:
        """The indicator's own deadline, else its cycle's."""
        return self.submission_deadline or self.cycle.submission_deadline

    @property
    def effective_review_deadline(self) -> datetime.date | None:
        return self.review_deadline or self.cycle.review_deadline

    def _score_table_is_valid(self) -> bool:
        """Checked once per table object: a list of 480 assessments shares a dozen
        indicators, and a form that sets a new table gets it checked again."""
        table = self.score_table
        checked = self.__dict__.get("_checked_score_table")
        if checked is None or checked[0] is not table:
            checked = (table, scoring.is_valid_score_table(table))
            self.__dict__["_checked_score_table"] = checked
        return checked[1]

    def score(self, *, met: int | None = None, value: Decimal | None = None) -> Decimal | None:
        """None when there is nothing to score, or when the rule is incomplete (rows
        saved before clean() ran): pages show "no score" rather than fail."""
        if self.is_counted:
            if met is None or not self._score_table_is_valid():
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
    text = BoundedTextField(_("เกณฑ์มาตรฐาน"), max_length=limits.CRITERION)

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
