"""The data version: one number that moves after every committed change to what the
pages show, so that a rendered part of a page can be kept under it (fragments.py).

Every connection gets a wrapper (``install``, on ``connection_created``) that looks at
each statement it runs. An INSERT, UPDATE, DELETE or TRUNCATE of a *watched* table (the
tables of the indicators, evidence and auth apps, their history and many-to-many tables;
not report jobs, stored SAR parts, this row, or a log-in's ``last_login``) raises the
version once the transaction commits: the row ``DataVersion`` pk 1, in a statement of
its own, so that no transaction holds it locked while it runs. As the wrapper sees SQL,
not model signals, it also sees ``QuerySet.update()``, bulk creates, raw SQL and the
admin.

Raising it after the commit is what keeps a cached part right: a page reads the version
*before* it reads the data, so a part kept under version N was rendered from data at
least as new as N. A writer's commit is followed by N + 1, so after it no page uses N.

Within a process the version also counts the writes it made itself at once (before any
commit): a request that wrote and then renders, or a test whose transaction is never
committed, never gets a part rendered before its own write.

Not seen: changes made outside Django (psql by hand, another program). Such a change
shows once anything is saved through the app, or when the cached parts expire
(``CACHES["fragments"]["TIMEOUT"]``), or after a restart.
"""

import itertools
import re
import time
from collections.abc import Callable
from functools import cache
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F

from .models import DataVersion

WATCHED_APPS = ("indicators", "evidence", "auth")
# Written by the worker while reports render; no cached part shows them.
UNWATCHED_MODELS = ("indicators.ReportJob", "indicators.SarPart", "indicators.DataVersion")

# SQLite's many-to-many adds are INSERT OR IGNORE.
_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+(.*)", re.I | re.S
)
_TABLE = re.compile(r'"?([\w$]+)"?')
# A log-in sets the user's last_login and nothing else; no kept page shows it, and with
# it watched every log-in would send everyone's kept pages to be rendered again.
_LOG_IN = re.compile(r'^\s*UPDATE\s+"?auth_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE\s', re.I)
_local_writes = itertools.count(1)
_local_version = 0


@cache
def watched_tables() -> frozenset[str]:
    """The tables whose changes raise the version."""
    tables: set[str] = set()
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label not in UNWATCHED_MODELS:
                tables.add(model._meta.db_table.lower())
    return frozenset(tables)


def writes_watched_table(sql: str) -> bool:
    """Whether the statement changes a watched table (TRUNCATE may name several)."""
    write = _WRITE.match(sql)
    if write is None or _LOG_IN.match(sql):
        return False
    rest = write.group(1)
    if sql.lstrip()[:8].upper() == "TRUNCATE":
        names = [_TABLE.match(part.strip()) for part in rest.split(",")]
        return any(name and name.group(1).lower() in watched_tables() for name in names)
    name = _TABLE.match(rest)
    return bool(name and name.group(1).lower() in watched_tables())


class _RaiseAfterCommit:
    """The on-commit callback of one connection: raises the stored version."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def __call__(self) -> None:
        rows = DataVersion.objects.using(self.alias)
        try:
            if not rows.filter(pk=1).update(value=F("value") + 1):
                # A new row (a new database, or after a flush) starts from the clock, so
                # that it never goes back to a number a running process has used.
                rows.get_or_create(pk=1, defaults={"value": time.time_ns() // 1000})
        except DatabaseError:
            # During `migrate`, before the table is made, there is nothing to raise.
            tables = connections[self.alias].introspection.table_names()
            if DataVersion._meta.db_table in tables:
                raise


def _watch(
    connection: BaseDatabaseWrapper,
) -> Callable[[Callable[..., Any], str, Any, bool, dict[str, Any]], Any]:
    raise_after_commit = _RaiseAfterCommit(connection.alias)

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        result = execute(sql, params, many, context)
        if writes_watched_table(sql):
            global _local_version
            _local_version = next(_local_writes)
            # Once per transaction; outside one (autocommit) the write is already
            # committed and the callback runs now.
            if not any(entry[1] is raise_after_commit for entry in connection.run_on_commit):
                # robust: a failure is logged, and neither loses the saved data's answer
                # nor the other callbacks (the SAR sections' renders).
                transaction.on_commit(raise_after_commit, using=connection.alias, robust=True)
        return result

    return wrapper


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Receiver of ``connection_created``: watches the connection's writes. The signal
    comes again on every reconnect of the same wrapper (CONN_MAX_AGE), whose list of
    execute wrappers stays: one watcher each."""
    if not getattr(connection, "_kmt_watched", False):
        connection.execute_wrappers.append(_watch(connection))
        setattr(connection, "_kmt_watched", True)  # noqa: B010 - not a declared field


def current() -> str:
    """The version to key cached parts with: the stored one (one query) and this
    process's own writes."""
    # Read on every view of a kept page: plain SQL, without building a query each time.
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_current_sql())
        row = cursor.fetchone()
    return f"{row[0] if row else 0}.{_local_version}"


@cache
def _current_sql() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    meta = DataVersion._meta
    value, pk = quote(meta.get_field("value").column), quote(meta.pk.column)
    return f"SELECT {value} FROM {quote(meta.db_table)} WHERE {pk} = 1"
