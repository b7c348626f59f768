"""Pages of the site itself: errors that Django has no handler for, and sign-out."""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader

from .security import client_ip, who

csrf_log = logging.getLogger("kmtracker.security.csrf")

RETRY_AFTER_SECONDS = 30


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page, rendered like the 500 page: without the request context,
    whose user and session would ask the database that is not answering."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form from a page left open too long, or without cookies."""
    csrf_log.warning(
        "CSRF refused %s %s to %s from %s: %s",
        request.method,
        request.path,
        who(request),
        client_ip(request),
        reason,
    )
    return render(request, "403_csrf.html", status=403)


class LogoutView(auth_views.LogoutView):
    """Django's sign-out takes only POST; a link or a typed address (GET) gets a page
    with the button instead of a blank 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return render(request, "registration/logout.html")
