"""Login throttling's Thai page, and who tried what: failed logins and lockouts in
the "kmtracker.security" logs.

Refusals of unit data are logged by ``kmtracker.middleware.RefusalLogMiddleware``,
CSRF failures by ``kmtracker.views.csrf_failure``; all under "kmtracker.security".
"""

import logging
import math
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from indicators.forms.accounts import ThaiAuthenticationForm
from indicators.http import safe_next_url

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


@receiver(user_locked_out)
def log_lockout(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    logins.warning("login locked out for %r from %s", username, ip_address)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page again, saying in Thai why and for how long."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "form": ThaiAuthenticationForm(request, initial={"username": username}),
        "lockout_message": _(
            "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป ระบบจึงระงับการเข้าสู่ระบบด้วยชื่อผู้ใช้นี้"
            "จากเครื่องนี้ไว้ชั่วคราว กรุณาลองใหม่ในอีก %(minutes)s นาที "
            "หรือติดต่อผู้ดูแลระบบเพื่อปลดล็อก"
        )
        % {"minutes": minutes},
        "next": safe_next_url(request),
        "university": settings.KMT_UNIVERSITY_NAME,
    }
    return render(request, "registration/login.html", context, status=429)
