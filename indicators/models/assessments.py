"""Each unit's self-assessment of an indicator, its workflow steps and criterion results."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import codes, limits, scoring
from ..limits import BoundedTextField
from .cycles import Criterion, Indicator
from .units import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def plain_number(value: Decimal) -> str:
    """'85' for 85.00, '93.66' otherwise: how the SAR writes its figures."""
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def _count_of(rows: models.QuerySet[Any], key: str) -> Coalesce:
    """How many ``rows`` there are (filtered on an OuterRef), as a correlated subquery."""
    counted = rows.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def editable(self) -> "AssessmentQuerySet":
        """Those still open for changes: draft or returned (see Assessment.is_editable)."""
        return self.filter(status__in=Assessment.EDITABLE_STATUSES)

    def with_met_count(self) -> "AssessmentQuerySet":
        """Criteria met, as a subquery: a join and GROUP BY over every column of a list of
        480 assessments took PostgreSQL half a second on the QA officer's home page."""
        met = CriterionResult.objects.filter(assessment=OuterRef("pk"), met=True)
        return self.annotate(met_total=_count_of(met, "assessment"))

    def with_criteria_count(self) -> "AssessmentQuerySet":
        """The indicator's number of criteria, as a subquery (no join to multiply rows)."""
        criteria = Criterion.objects.filter(indicator=OuterRef("indicator_id"))
        return self.annotate(criteria_total=_count_of(criteria, "indicator"))

    def with_last_change(self) -> "AssessmentQuerySet":
        """What Assessment.last_change reads, for a list of them in the same query."""
        last_transition = (
            AssessmentTransition.objects.filter(assessment=OuterRef("pk"))
            .order_by("-at")
            .values("at")[:1]
        )
        return self.annotate(
            results_changed_at=Max("results__updated_at"),
            last_transition_at=Subquery(last_transition),
        )

    def with_return_reason(self) -> "AssessmentQuerySet":
        """``return_reason``: why the assessment was last sent back (by a QA officer, or
        reopened by the administrator), read from its workflow steps in the same query.
        Pages show it while the assessment is returned."""
        last_return = AssessmentTransition.objects.filter(
            assessment=OuterRef("pk"), to_status=Assessment.Status.RETURNED
        ).order_by("-at", "-pk")
        return self.annotate(return_reason=Subquery(last_return.values("reason")[:1]))

    def with_mine(self, user: "User") -> "AssessmentQuerySet":
        """``mine``: whether the user owns the assessment or one of its criteria."""
        owned = Assessment.owners.through.objects.filter(assessment=OuterRef("pk"), user=user)
        owned_result = CriterionResult.owners.through.objects.filter(
            criterionresult__assessment=OuterRef("pk"), user=user
        )
        return self.annotate(mine=Exists(owned) | Exists(owned_result))


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
    numerator = models.DecimalField(
        _("ตัวตั้ง"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("ข้อมูลที่ใช้คำนวณผลการดำเนินงาน (ตัวบ่งชี้ผลผลิต/ผลลัพธ์)"),
    )
    denominator = models.DecimalField(
        _("ตัวหาร"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    committee_score = models.DecimalField(
        _("คะแนนของกรรมการ"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    strengths = BoundedTextField(_("จุดแข็ง"), blank=True, max_length=limits.SUMMARY)
    improvements = BoundedTextField(_("จุดที่ควรพัฒนา"), blank=True, max_length=limits.SUMMARY)
    carried_over = models.BooleanField(_("ยกมาจากปีที่แล้ว"), default=False)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ดูแลตัวบ่งชี้"),
        blank=True,
        related_name="owned_assessments",
        help_text=_("บุคลากรของหน่วยงานที่รับผิดชอบเขียนตัวบ่งชี้นี้"),
    )
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
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="assessment_denominator_positive",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="assessment_numerator_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(unit)s – ตัวบ่งชี้ที่ %(number)s (%(cycle)s)") % {
            "unit": self.unit,
            "number": self.indicator.number,
            "cycle": self.indicator.cycle,
        }

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
    def last_change(self) -> datetime.datetime | None:
        """The latest of its own edit, its criteria's edits and its last move; uses the
        with_last_change() annotations, or asks the database."""
        if hasattr(self, "last_transition_at"):
            results_changed = getattr(self, "results_changed_at", None)
            last_move = getattr(self, "last_transition_at", None)
        else:
            results_changed = self.results.aggregate(at=Max("updated_at"))["at"]
            last_move = self.transitions.aggregate(at=Max("at"))["at"]
        moments = [m for m in (self.updated_at, results_changed, last_move) if m is not None]
        return max(moments) if moments else None

    @property
    def result(self) -> Decimal | None:
        """What is compared with the target: criteria met, or the measured value."""
        if self.indicator.is_counted:
            return Decimal(self.met_count)
        return self.result_value

    @property
    def measure_lines(self) -> list[str]:
        """What the SAR writes above an output/outcome indicator's narrative: the measured
        value with its unit, and the data it was computed from; empty for process
        indicators and for a value not entered yet."""
        indicator = self.indicator
        if indicator.is_counted or self.result_value is None:
            return []
        value = f"{plain_number(self.result_value)} {indicator.result_unit}".strip()
        lines = [str(_("ผลการดำเนินงาน: %(value)s")) % {"value": value}]
        if self.numerator is not None and self.denominator is not None:
            lines.append(
                str(_("%(num_label)s %(num)s จาก%(den_label)s %(den)s"))
                % {
                    "num_label": indicator.numerator_label or _("ตัวตั้ง"),
                    "num": plain_number(self.numerator),
                    "den_label": indicator.denominator_label or _("ตัวหาร"),
                    "den": plain_number(self.denominator),
                }
            )
        return lines

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
    reason = BoundedTextField(_("เหตุผล"), blank=True, max_length=limits.REASON)

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
    narrative = BoundedTextField(_("ผลการดำเนินงานตามเกณฑ์"), blank=True, max_length=limits.NARRATIVE)
    met = models.BooleanField(_("ผ่านเกณฑ์"), default=False)
    committee_met = models.BooleanField(_("กรรมการเห็นว่าผ่านเกณฑ์"), null=True, blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ดูแลเกณฑ์"),
        blank=True,
        related_name="owned_results",
        help_text=_("บุคลากรของหน่วยงานที่รับผิดชอบเขียนผลตามเกณฑ์ข้อนี้"),
    )
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
        return gettext("%(assessment)s ข้อ %(order)s") % {
            "assessment": self.assessment,
            "order": self.criterion.order,
        }

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
        return codes.code_stem(
            assessment.unit.evidence_prefix, assessment.indicator.number, self.criterion.order
        )
