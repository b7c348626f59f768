"""Rendered parts of pages kept in a cache under the data version.

A page that is the same from one view to the next until something in it changes (the
indicator page, my work, the review page, the dashboard: their rendering and loading
was most of their time at university scale) wraps its content in ``{% cachedpart key
load %}``. The *key* (``part_key``) is made of the data version (data_version.py: a
number that moves after every committed change to what pages show, read before the data),
who is looking, the date, the language, time zone, script prefix, path and query, htmx or
not, and the templates' own source. ``load`` is the view's function that loads what the
part shows: it runs only when the cache has nothing under the key, so a cached view reads
one row (the version) instead of the page's data. Old entries fall out of the bounded
cache (the ``fragments`` cache, settings.CACHES) on their own; nothing is invalidated.
The cache is each process's own memory (a key holds the process's own count of writes,
and the CSRF mark below is the process's), which is all it needs with many processes.

What a part may show: the database's data in the watched tables (data_version.py), the
viewer's rights (which are data too) and today's date. Not the session, flash messages
or the time of day: those stay outside the part.

A cached part never holds a CSRF token: it is rendered with a mark in its place, and
the request's token is put back in on every use.
"""

import hashlib
import secrets
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils import timezone, translation

from indicators import data_version

_T = TypeVar("_T")

CACHE_ALIAS = "fragments"
# Where {% csrf_token %} puts the token in a part being rendered for the cache: new in
# each process, so that no text a user typed can carry it (the cache is the process's).
CSRF_MARK = f"kmt-csrf-{secrets.token_hex(16)}"


@cache
def _templates_digest() -> str:
    """The project's templates as they are on disk: a deploy with new templates makes
    new keys even where a cache is shared with machines still running the old ones."""
    digest = hashlib.blake2b(digest_size=12)
    folders = cast(list[str | Path], settings.TEMPLATES[0]["DIRS"])
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.html")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


_USER_FIELDS = ("is_active", "is_staff", "is_superuser", "username", "first_name", "last_name")


def _version(request: HttpRequest) -> str:
    """The data version, read once per request (the first key asked for reads it)."""
    version: str | None = getattr(request, "_kmt_data_version", None)
    if version is None:
        version = data_version.current()
        setattr(request, "_kmt_data_version", version)  # noqa: B010 - not a declared field
    return version


def part_key(request: HttpRequest, name: str) -> str:
    """The cache key of a page's part (see the module); reads the data version."""
    user = request.user
    parts = (
        _templates_digest(),
        # The user row was read before the version (by the login check): what of it the
        # pages depend on is in the key itself.
        str(user.pk),
        repr([getattr(user, name, "") for name in _USER_FIELDS]),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        get_script_prefix(),
        request.get_full_path(),
        "htmx" if request.headers.get("HX-Request") else "",
        _version(request),
    )
    return f"kmt:{name}:" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def kept_count(request: HttpRequest, name: str, count: Callable[[], int]) -> int:
    """A number shown on every page (the unread notifications), kept per person under
    the data version when the page has read it already, else counted."""
    if getattr(request, "_kmt_data_version", None) is None:
        return count()
    key = f"kmt:{name}:{request.user.pk}:{_version(request)}"
    store = caches[CACHE_ALIAS]
    value = store.get(key)
    if value is None:
        value = count()
        store.set(key, value)
    return int(value)


# How long a view's access check is kept (kept_check): the bound on how long a right
# taken away where the data version cannot see it (psql by hand, a failed raise of the
# version) still lets a page be read.
CHECK_SECONDS = 60


def kept_check(key: str, check: Callable[[], _T]) -> _T:
    """What a kept page's view checked before its part (the object asked for, with what
    the user may do with it), kept for CHECK_SECONDS under the part's key plus
    ":checked", so that a view from the cache does not ask the database again. The answer
    depends only on what the key holds (the user, the path, the data version: memberships,
    groups and permissions are watched data); a refusal raises and is not kept. Pickled:
    each view gets a copy, whose user is the one from when it was kept (``seen_by`` of
    indicators.access puts the request's own user back)."""
    store = caches[CACHE_ALIAS]
    name = f"{key}:checked"
    kept: tuple[_T] | None = store.get(name)
    if kept is None:
        kept = (check(),)  # in a tuple: None is an answer too (no current cycle)
        store.set(name, kept, CHECK_SECONDS)
    return kept[0]


def cached_render(key: str, render: Callable[[], str], csrf_token: str) -> str:
    """The part under ``key``, rendering (with the CSRF mark) and keeping it if missing."""
    store = caches[CACHE_ALIAS]
    html = store.get(key)
    if html is None:
        html = render()
        store.set(key, html)
    return html.replace(CSRF_MARK, csrf_token)
