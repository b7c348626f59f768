"""Units of the university and who works in them."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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
    members: "models.ManyToManyField[User, Membership]" = models.ManyToManyField(
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
