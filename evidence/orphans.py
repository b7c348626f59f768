"""Files no row points to, and rows whose file is gone.

A file is stored before the row that names it is committed (evidence_item_add_upload),
so a worker killed in between leaves the file behind; Django's upload temp files
(FILE_UPLOAD_TEMP_DIR) are left the same way. `manage.py check_documents --orphans`
lists both and, with --delete, removes those older than a grace period: a file younger
than that may belong to an upload still in progress.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone

from evidence.backup.contents import backup_models, file_fields, stored_file_names

# The folders the app writes into: evidence/ and thumbnails/ (evidence.models.library),
# reports/ (indicators.models.reports). Anything else in the storage is not ours.
PREFIXES = ("evidence", "thumbnails", "reports")


@dataclass(frozen=True)
class Orphan:
    name: str  # the storage name, or the path of an upload temp file
    modified: datetime.datetime | None  # None when the storage cannot tell
    upload_temp: bool = False

    def older_than(self, cutoff: datetime.datetime) -> bool:
        return self.modified is not None and self.modified <= cutoff


@dataclass(frozen=True)
class MissingFile:
    row: models.Model
    name: str


def walk(storage: Storage, folder: str) -> Iterator[str]:
    """Every file under the folder, through the storage's API (so S3 works too)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for sub in sorted(folders):
        yield from walk(storage, f"{folder}/{sub}")


def _modified(storage: Storage, name: str) -> datetime.datetime | None:
    try:
        return storage.get_modified_time(name)
    except (NotImplementedError, OSError):
        return None


def orphan_files(storage: Storage | None = None) -> list[Orphan]:
    """Files under PREFIXES that no row points to. The storage is listed before the rows
    are read, so a file whose row is committed meanwhile is not taken for an orphan."""
    storage = storage or default_storage
    found = [name for prefix in PREFIXES for name in walk(storage, prefix)]
    kept = set(stored_file_names(backup_models()))
    return [Orphan(name, _modified(storage, name)) for name in found if name not in kept]


def upload_temp_files() -> list[Orphan]:
    """Django's upload temp files; a finished request deletes its own, so what stays
    behind is from a worker that died (or an upload still arriving: see the grace)."""
    folder = settings.FILE_UPLOAD_TEMP_DIR
    if not folder or not Path(folder).is_dir():
        return []
    return [
        Orphan(
            str(path),
            datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC),
            upload_temp=True,
        )
        for path in sorted(Path(folder).iterdir())
        if path.is_file()
    ]


def missing_files(backed_up: Iterable[type[models.Model]] | None = None) -> list[MissingFile]:
    """Rows that name a file the storage no longer has."""
    missing = []
    for model in backed_up if backed_up is not None else backup_models():
        for file_field in file_fields(model):  # live rows only, not history
            rows = model._base_manager.exclude(**{file_field.name: ""}).exclude(
                **{f"{file_field.name}__isnull": True}
            )
            for row in rows.order_by("pk").iterator():
                field_file = getattr(row, file_field.name)
                if not field_file.storage.exists(field_file.name):
                    missing.append(MissingFile(row, field_file.name))
    return missing


def delete_orphans(
    orphans: Iterable[Orphan], *, older_than: datetime.timedelta, storage: Storage | None = None
) -> tuple[list[Orphan], list[Orphan]]:
    """Deletes the orphans older than the grace period; returns (deleted, kept)."""
    storage = storage or default_storage
    cutoff = timezone.now() - older_than
    deleted, kept = [], []
    for orphan in orphans:
        if not orphan.older_than(cutoff):
            kept.append(orphan)
            continue
        if orphan.upload_temp:
            Path(orphan.name).unlink(missing_ok=True)
        else:
            storage.delete(orphan.name)
        deleted.append(orphan)
    return deleted, kept
