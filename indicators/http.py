"""Small request helpers shared by both apps."""

import unicodedata

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


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
