"""The reviewer's comments on an assessment, one of its criteria or one evidence item,
and the unit's answers. It sits here, above the indicators core, because a comment can
point at an evidence item."""

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from indicators import limits
from indicators.limits import BoundedTextField
from indicators.models import Assessment, CriterionResult
from indicators.versioning import version_column

from .library import EvidenceItem


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
        EvidenceItem,
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
    body = BoundedTextField(_("ความเห็น"), max_length=limits.COMMENT)
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)
    reply = BoundedTextField(_("คำตอบของหน่วยงาน"), blank=True, max_length=limits.COMMENT)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ตอบ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("ตอบเมื่อ"), null=True, blank=True)
    # A reply names the version it replaces.
    version = version_column()
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


def open_comment_count() -> Coalesce:
    """An annotation for Assessment querysets: the assessment's unresolved comments, as a
    correlated count (cheaper to plan than a GROUP BY over the joined rows)."""
    open_comments = (
        ReviewComment.objects.filter(assessment=OuterRef("pk"), resolved_at=None)
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(open_comments, output_field=IntegerField()), 0)
