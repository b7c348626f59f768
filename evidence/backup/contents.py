"""What a backup holds and how it is described: the tables and files taken, the
manifest's figures (row counts, migration state, app version), shared by writing and
restoring."""

import datetime
import hashlib
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.migrations.recorder import MigrationRecorder
from simple_history.models import HistoricalChanges

FORMAT = "kmtracker-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data/"
FILES_DIR = "files/"
CHUNK = 1024 * 1024

# Tables left out of every backup, and why. Everything else installed is backed up,
# so a new app's data is kept without anyone remembering to add it here.
NOT_BACKED_UP = {
    # `migrate` creates both in the target; the rows that point at them say which by
    # natural key, because their ids differ from one database to the next.
    "contenttypes.contenttype": "created by migrate",
    "auth.permission": "created by migrate",
    # Log-ins on the old server: a restored site starts with everyone logged out.
    "sessions.session": "log-ins",
    # The worker's queue and its tracebacks, not the site's data. Restored elsewhere,
    # a queued task would run again on the new machine; the ReportJob rows keep what
    # users see, and a report unfinished at backup time is simply asked for again.
    "django_tasks_database.dbtaskresult": "task queue",
    # A stamp for the rendered-page cache (indicators/data_version.py), not data.
    "indicators.dataversion": "cache stamp",
}

FIXTURE_NAME = re.compile(r"^data/([a-z0-9_]+\.[a-z0-9_]+)\.json$")


class BackupError(Exception):
    """A backup that cannot be written or restored; the message is for the user, in Thai."""


class LosslessJSONEncoder(DjangoJSONEncoder):
    """Keeps microseconds: DjangoJSONEncoder cuts datetimes to milliseconds (as
    ECMA-262 does), which a backup must not do to the history's timestamps."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


# --- What a backup holds ----------------------------------------------------------------


def backup_models() -> list[type[models.Model]]:
    """Every installed model with rows of its own, in an order loaddata can follow:
    groups before the users who belong to them, users before the admin log."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in NOT_BACKED_UP
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def _through_models(model: type[models.Model]) -> list[type[models.Model]]:
    """The many-to-many tables Django made for the model; their rows travel inside it."""
    throughs = (m2m.remote_field.through for m2m in model._meta.local_many_to_many)
    return [through for through in throughs if through is not None and through._meta.auto_created]


def counted_models(backed_up: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """The models and their many-to-many tables: each one a table whose rows are counted."""
    return [table for model in backed_up for table in (model, *_through_models(model))]


def uses_natural_keys(model: type[models.Model]) -> bool:
    """Natural keys only where a row points at a content type or a permission.

    Everywhere else a relation stays a plain id: it is what the target will have,
    and a history row may point at a row deleted since (simple_history keeps the id
    without a constraint), which a natural-key lookup would fail on.
    """
    targets = {ContentType, Permission}
    return any(
        relation.is_relation and relation.concrete and relation.related_model in targets
        for relation in model._meta.get_fields()
    )


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    # A history row's copy of a file name may be long gone; only live rows count.
    if issubclass(model, HistoricalChanges):
        return []
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def stored_file_names(backed_up: Iterable[type[models.Model]]) -> list[str]:
    """The storage name of every file a row points at, each once, sorted."""
    names: set[str] = set()
    for model in backed_up:
        for file_field in file_fields(model):
            values = (
                model._base_manager.exclude(**{file_field.name: ""})
                .exclude(**{f"{file_field.name}__isnull": True})
                .values_list(file_field.name, flat=True)
            )
            names.update(values)
    return sorted(names)


def row_counts(tables: Iterable[type[models.Model]]) -> dict[str, int]:
    return {table._meta.label_lower: table._base_manager.count() for table in tables}


def migration_state() -> dict[str, list[str]]:
    """The migrations applied to this database, by app: the shape of every table."""
    applied = MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations()
    state: dict[str, list[str]] = {}
    for app_label, name in applied:
        state.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(state.items())}


def app_version(migrations: dict[str, list[str]]) -> str:
    """`git describe` of the checkout, or else the project's latest migrations."""
    base_dir = Path(settings.BASE_DIR)
    if (base_dir / ".git").exists():
        try:
            described = subprocess.run(
                ["git", "describe", "--tags", "--always", "--dirty"],
                cwd=base_dir,
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            described = ""
        if described:
            return f"git {described}"
    latest = [
        f"{app} {names[-1]}" for app in ("indicators", "evidence") if (names := migrations.get(app))
    ]
    return "migrations " + ", ".join(latest)


# --- Writing a backup -------------------------------------------------------------------


# --- Restoring --------------------------------------------------------------------------


def copy_hashed(source: IO[bytes], target: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: source.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    return digest.hexdigest(), size
