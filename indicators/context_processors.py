"""The navbar's unread notification count: one cheap query, made only when a page's
navbar actually shows it (the value is a callable the template calls)."""

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from .models import Notification


def notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    user = getattr(request, "user", None)

    @cache
    def unread() -> int:
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.filter(recipient=user, read_at=None).count()

    return {"kmt_unread_notifications": unread}
