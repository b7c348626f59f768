"""Rendered parts of a page kept in a cache under a fingerprint of what they show.

The indicator page's criteria (narratives, evidence, comments: about 85 % of its time
was template rendering) are the same from one view to the next until something in
them changes. So the view loads the data as before and the template renders the
part only when the cache has nothing under the part's *key*: a digest of every
object the part shows (each model instance with all its loaded fields, the related
objects and prefetched lists loaded with it, annotations, read-model dataclasses),
plus who is looking, the language, time zone, script prefix and path, and the
templates' own source. A change of any of it gives a new key, so an entry is never
stale and nothing has to be invalidated; old entries fall out of the bounded cache
(the ``fragments`` cache, settings.CACHES) on their own. That holds with a cache per
process and with one shared by several machines alike.

What the template reads must be loaded before the key is made: a query made by the
template itself would not be part of the key (tests/indicators/test_fragments.py
checks the indicator page makes none while rendering its criteria).

A cached part never holds a CSRF token: it is rendered with a mark in its place, and
the request's token is put back in on every use.
"""

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.cache import caches
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.urls import get_script_prefix
from django.utils import timezone, translation

CACHE_ALIAS = "fragments"
# Where {% csrf_token %} puts the token in a part being rendered for the cache.
CSRF_MARK = "kmt-csrf-token-mark-5f1c"
_PLAIN = (str, int, float, bool, Decimal, date, datetime, time, type(None))


def fingerprint(*objects: object) -> str:
    """A digest of the objects and of everything loaded with them (see the module)."""
    digest = hashlib.blake2b(digest_size=20)
    seen: set[int] = set()

    def feed(value: object) -> None:
        if isinstance(value, _PLAIN):
            digest.update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, Model):
            feed_model(value)
        elif isinstance(value, QuerySet):
            # A prefetched list; an unevaluated queryset shows nothing yet.
            feed_all(value._result_cache or ())
        elif isinstance(value, dict):
            digest.update(b"{")
            for key in sorted(value, key=str):
                feed(str(key))
                feed(value[key])
            digest.update(b"}")
        elif isinstance(value, list | tuple | set | frozenset):
            feed_all(sorted(value, key=repr) if isinstance(value, set | frozenset) else value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            digest.update(type(value).__qualname__.encode())
            feed({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
        elif isinstance(value, FieldFile):
            feed(value.name)
        else:
            # Choices, lazy translations, enums: what they print is what the page shows.
            digest.update(f"{type(value).__name__}:{value!s};".encode())

    def feed_all(values: Iterable[object]) -> None:
        digest.update(b"[")
        for value in values:
            feed(value)
        digest.update(b"]")

    def feed_model(instance: Model) -> None:
        label = f"{instance._meta.label}#{instance.pk};"
        if id(instance) in seen:
            digest.update(b"@" + label.encode())
            return
        seen.add(id(instance))
        digest.update(label.encode())
        # Fields, annotations and attributes set by the view, then what was loaded with
        # the instance: select_related / assigned relations and prefetched lists.
        feed({k: v for k, v in vars(instance).items() if not k.startswith("_")})
        feed(dict(instance._state.fields_cache))
        feed(getattr(instance, "_prefetched_objects_cache", {}))

    for value in objects:
        feed(value)
    return digest.hexdigest()


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


def page_key(name: str, *, user_id: int | None, path: str, data: str) -> str:
    """The cache key of a part: its name, who and where, and the data's fingerprint."""
    parts = (
        _templates_digest(),
        str(user_id),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        path,
        data,
    )
    return f"kmt:{name}:" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def cached_render(key: str, render: Callable[[], str], csrf_token: str) -> str:
    """The part under ``key``, rendering (with the CSRF mark) and keeping it if missing."""
    store = caches[CACHE_ALIAS]
    html = store.get(key)
    if html is None:
        html = render()
        store.set(key, html)
    return html.replace(CSRF_MARK, csrf_token)
