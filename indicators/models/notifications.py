"""What happened to a user's indicators (read in the app), and the reminders already
e-mailed (so that ``send_reminders`` run twice on one day sends each one once)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import limits
from ..limits import BoundedTextField
from .assessments import Assessment


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at=None)


class Notification(models.Model):
    """One event on an assessment, for one person: returned, commented on, approved."""

    class Kind(models.TextChoices):
        RETURNED = "returned", _("ถูกส่งกลับให้แก้ไข")
        COMMENTED = "commented", _("มีความเห็นใหม่จากผู้ตรวจ")
        APPROVED = "approved", _("ได้รับการอนุมัติ")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รับ"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("ผลการประเมินตนเอง"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("เรื่อง"), max_length=10, choices=Kind)
    text = BoundedTextField(_("รายละเอียด"), blank=True, max_length=limits.COMMENT)
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("อ่านเมื่อ"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.get_kind_display()} ({self.assessment_id})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ReminderSent(models.Model):
    """A reminder e-mailed to one person about one assessment on one day."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("ใกล้ครบกำหนดส่ง")
        REVIEW = "review", _("ใกล้ครบกำหนดตรวจ")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รับ"),
        on_delete=models.CASCADE,
        related_name="reminders_sent",
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("ผลการประเมินตนเอง"),
        on_delete=models.CASCADE,
        related_name="reminders_sent",
    )
    kind = models.CharField(_("เรื่อง"), max_length=10, choices=Kind)
    day = models.DateField(_("วันที่ส่ง"))
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("การเตือนที่ส่งแล้ว")
        verbose_name_plural = _("การเตือนที่ส่งแล้ว")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "assessment", "kind", "day"],
                name="reminder_sent_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.get_kind_display()} {self.day}"
