"""Writing a backup: the rows read in one consistent snapshot, then every stored file,
and the manifest with their SHA-256."""

import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import django
from django.core import serializers
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.backup.contents import (
    DATA_DIR,
    FILES_DIR,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    NOT_BACKED_UP,
    BackupError,
    LosslessJSONEncoder,
    app_version,
    backup_models,
    copy_hashed,
    counted_models,
    migration_state,
    row_counts,
    stored_file_names,
    uses_natural_keys,
)


@dataclass(frozen=True)
class BackupReport:
    path: Path
    rows: int
    files: int
    size: int
    missing: list[str] = field(default_factory=list)


@contextmanager
def _consistent_read() -> Iterator[None]:
    """One snapshot for every table, or a row in one table could point at a row that
    the dump of another, a moment earlier, did not see, and the backup would not load.

    PostgreSQL's default isolation takes a new snapshot per statement, so a fresh
    transaction asks for REPEATABLE READ. SQLite's transactions here start IMMEDIATE
    (settings), which holds writers off until the rows are read; the files, which
    are never rewritten in place, are read afterwards, outside it.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if fresh and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _add_member(
    archive: zipfile.ZipFile, arcname: str, source: IO[bytes], *, compress: bool
) -> dict[str, Any]:
    info = zipfile.ZipInfo(arcname, date_time=timezone.localtime().timetuple()[:6])
    # Evidence is PDF, JPEG, PNG or Office files, all compressed already.
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with archive.open(info, "w", force_zip64=True) as target:
        sha256, size = copy_hashed(source, target)
    return {"sha256": sha256, "size": size}


def _write_data(archive: zipfile.ZipFile, workdir: Path) -> dict[str, Any]:
    """The fixtures, and what the manifest says about the rows, all from one snapshot."""
    backed_up = backup_models()
    fixtures = []
    with _consistent_read():
        created_at = timezone.now()
        migrations = migration_state()
        counts = row_counts(counted_models(backed_up))
        names = stored_file_names(backed_up)
        for model in backed_up:
            label = model._meta.label_lower
            if not counts[label]:
                continue  # loaddata warns about a fixture with no objects
            path = workdir / f"{label}.json"
            with path.open("w", encoding="utf-8") as stream:
                serializers.serialize(
                    "json",
                    model._base_manager.order_by("pk").iterator(chunk_size=2000),
                    stream=stream,
                    use_natural_foreign_keys=uses_natural_keys(model),
                    cls=LosslessJSONEncoder,
                )
            arcname = f"{DATA_DIR}{label}.json"
            with path.open("rb") as source:
                fixtures.append(
                    {"name": arcname, **_add_member(archive, arcname, source, compress=True)}
                )
            path.unlink()
    return {
        "created_at": created_at.isoformat(),
        "app_version": app_version(migrations),
        "migrations": migrations,
        "models": counts,
        "fixtures": fixtures,
        "file_names": names,
    }


def _write_files(
    archive: zipfile.ZipFile, names: list[str], storage: Storage
) -> tuple[list[dict[str, Any]], list[str]]:
    files, missing = [], []
    for name in names:
        try:
            if not storage.exists(name):
                raise FileNotFoundError(name)
            source = storage.open(name, "rb")
        except FileNotFoundError:
            missing.append(name)
            continue
        with source:
            entry = _add_member(archive, FILES_DIR + name, source, compress=False)
        files.append({"name": name, **entry})
    return files, missing


def backup_write(*, output: Path, storage: Storage = default_storage) -> BackupReport:
    """Writes the archive; a file gone from the storage is listed as missing, not fatal
    (a nightly backup must not stop for one lost file: `verify_evidence` reports it)."""
    partial = output.with_name(output.name + ".part")
    try:
        partial.unlink(missing_ok=True)
        # Password hashes and every unit's evidence: readable by the owner only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(descriptor, "wb") as handle,
            zipfile.ZipFile(handle, "w", allowZip64=True) as archive,
            tempfile.TemporaryDirectory(prefix="kmt-backup-") as workdir,
        ):
            data = _write_data(archive, Path(workdir))
            files, missing = _write_files(archive, data["file_names"], storage)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": data["created_at"],
                "app_version": data["app_version"],
                "django": django.get_version(),
                "database": connections[DEFAULT_DB_ALIAS].vendor,
                "migrations": data["migrations"],
                "models": data["models"],
                "fixtures": data["fixtures"],
                "files": files,
                "missing_files": missing,
                "left_out": sorted(NOT_BACKED_UP),
            }
            archive.writestr(
                MANIFEST,
                json.dumps(manifest, ensure_ascii=False, indent=2),
                compress_type=zipfile.ZIP_DEFLATED,
            )
        partial.replace(output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(
            _("เขียนไฟล์ %(path)s ไม่ได้: %(error)s")
            % {"path": output, "error": error.strerror or error}
        ) from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupReport(
        path=output,
        rows=sum(manifest["models"].values()),
        files=len(files),
        size=output.stat().st_size,
        missing=missing,
    )
