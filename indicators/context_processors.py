"""The navbar's unread notification count: one cheap query, made only when a page's
navbar actually shows it (the value is a callable the template calls), and kept under
the data version on pages that read it anyway (fragments.kept_count)."""

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from .fragments import kept_count
from .models import Notification


def notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    user = getattr(request, "user", None)

    @cache
    def unread() -> int:
        if user is None or not user.is_authenticated:
            return 0
        unread = Notification.objects.filter(recipient=user, read_at=None)
        return kept_count(request, "unread-notifications", unread.count)

    return {"kmt_unread_notifications": unread}
