"""The user's own in-app notifications: marking them read."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from indicators.models import Notification


def notifications_mark_all_read(*, user: User) -> int:
    """Marks every unread notification of the user read; returns how many."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=user, read_at=None).update(
            read_at=timezone.now()
        )
