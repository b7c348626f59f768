"""Small request helpers shared by both apps, and the request types views annotate."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware hands it on, with ``request.htmx``.

    For type checking only (django-htmx's documented way): a view annotates its
    ``request`` with it; at run time the request is Django's own.
    """

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request to a view behind ``login_required``: its user is a real user, never
    anonymous, so it can be handed to the services as ``by``."""

    user: User


def safe_next_url(request: HttpRequest) -> str:
    """The ``next`` the form or link carried, if it stays on this site; else ''."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""
