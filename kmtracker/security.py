"""Who tried what: failed logins and lockouts, in the "kmtracker.security" logs.

Refusals of unit data are logged by ``kmtracker.middleware.RefusalLogMiddleware``,
CSRF failures by ``kmtracker.views.csrf_failure``; all under "kmtracker.security".
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

logins = logging.getLogger("kmtracker.security.login")


def client_ip(request: HttpRequest) -> str:
    """The address a request came from, as the outermost of our own proxies saw it.

    Behind ``KMT_TRUSTED_PROXY_COUNT`` reverse proxies that each append to
    X-Forwarded-For, the client is that many entries from the right; anything
    further left was written by the client and proves nothing.
    """
    hops = settings.KMT_TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"{user.get_username()} (id {user.pk})"
    return "anonymous"


@receiver(user_login_failed)
def log_login_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in ``credentials``.
    username = credentials.get("username", "")
    if request is None:
        logins.warning("login failed for %r (no request)", username)
        return
    logins.warning("login failed for %r from %s at %s", username, client_ip(request), request.path)
