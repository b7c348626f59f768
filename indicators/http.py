"""Small request helpers shared by both apps, and the request types views annotate."""

import unicodedata
from collections.abc import Callable
from typing import TypeVar, cast

from csp.decorators import csp_exempt
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.http.response import HttpResponseBase
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
    """The ``next`` the form or link carried if it is a path on this site; else ''.

    Only a local path ("/…", as ``request.get_full_path`` writes it) is followed.
    A bare word would reach ``redirect()`` as a URL name and raise NoReverseMatch,
    a 500 after the write was already committed; a full URL, even to this host,
    is never what our own forms send.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return ""
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in target):
        return ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return ""
    return target


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def without_page_csp(view: View) -> View:
    """For a view that answers with a PDF opened in the browser's own viewer: the site's
    Content-Security-Policy (object-src 'none') is for pages, and some viewers refuse
    to show a PDF under it. (django-csp's decorator types views as request-only.)"""
    return cast(View, csp_exempt()(view))
