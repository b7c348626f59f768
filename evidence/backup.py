"""Backups that restore: the whole site's rows and files in one ZIP, and back again.

The archive holds

- ``manifest.json``: the date, the app version, the migration state, the row count of
  every table, and the SHA-256 and size of every other member;
- ``data/<app>.<model>.json``: one fixture per model, in ``loaddata``'s own format;
- ``files/<name>``: every file a row points at (evidence, thumbnails, finished
  reports), read through the default storage, so S3 works as well as a folder.

It moves between databases (a unit's SQLite instance restores into PostgreSQL):
primary keys are kept, so every relation comes back as it was, and only content
types and permissions, whose ids are those each database's ``migrate`` gave them,
are referred to by natural key. It lives in the evidence layer, the lowest one that
sees every table, though it names none of the project's models: it backs up whatever
is installed, bar the few tables of NOT_BACKED_UP.
"""

import datetime
import hashlib
import json
import os
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
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
}

_FIXTURE_NAME = re.compile(r"^data/([a-z0-9_]+\.[a-z0-9_]+)\.json$")


class BackupError(Exception):
    """A backup that cannot be written or restored; the message is for the user, in Thai."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    rows: int
    files: int
    size: int
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RestoreReport:
    rows: int
    files: int
    created_at: datetime.datetime
    app_version: str
    missing: list[str] = field(default_factory=list)


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


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    # A history row's copy of a file name may be long gone; only live rows count.
    if issubclass(model, HistoricalChanges):
        return []
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def stored_file_names(backed_up: Iterable[type[models.Model]]) -> list[str]:
    """The storage name of every file a row points at, each once, sorted."""
    names: set[str] = set()
    for model in backed_up:
        for file_field in _file_fields(model):
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


def _copy_hashed(source: IO[bytes], target: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: source.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    return digest.hexdigest(), size


def _add_member(
    archive: zipfile.ZipFile, arcname: str, source: IO[bytes], *, compress: bool
) -> dict[str, Any]:
    info = zipfile.ZipInfo(arcname, date_time=timezone.localtime().timetuple()[:6])
    # Evidence is PDF, JPEG, PNG or Office files, all compressed already.
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with archive.open(info, "w", force_zip64=True) as target:
        sha256, size = _copy_hashed(source, target)
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


# --- Restoring --------------------------------------------------------------------------


def _not_a_backup(path: Path, reason: str) -> BackupError:
    return BackupError(
        _("%(path)s ไม่ใช่ไฟล์สำรองข้อมูลของ KM Tracker: %(reason)s") % {"path": path, "reason": reason}
    )


def read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise _not_a_backup(path, _("ไม่มี manifest.json")) from None
    except (ValueError, zipfile.BadZipFile) as error:
        raise _not_a_backup(path, str(error)) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_a_backup(path, _("manifest.json ไม่ใช่ของ KM Tracker"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _not_a_backup(
            path,
            _("รูปแบบรุ่น %(version)s ซึ่งโปรแกรมรุ่นนี้อ่านไม่ได้")
            % {"version": manifest.get("format_version")},
        )
    expected = {
        "created_at": str,
        "app_version": str,
        "migrations": dict,
        "models": dict,
        "fixtures": list,
        "files": list,
        "missing_files": list,
    }
    for key, kind in expected.items():
        if not isinstance(manifest.get(key), kind):
            raise _not_a_backup(path, _("manifest.json ไม่มี %(key)s") % {"key": key})
    try:
        datetime.datetime.fromisoformat(manifest["created_at"])
    except ValueError:
        raise _not_a_backup(path, _("manifest.json ไม่มี %(key)s") % {"key": "created_at"}) from None
    entries = [*manifest["fixtures"], *manifest["files"]]
    names = [entry.get("name") if isinstance(entry, dict) else None for entry in entries]
    for name in [*names, *manifest["missing_files"]]:
        if not _is_storage_name(name):
            raise _not_a_backup(path, _("ชื่อไฟล์ใน manifest ไม่ถูกต้อง: %(name)s") % {"name": name})
    return manifest


def _is_storage_name(name: object) -> bool:
    """A relative name inside the storage, as FileFields keep them: never ../ or /."""
    if not isinstance(name, str) or not name or "\\" in name:
        return False
    parts = PurePosixPath(name).parts
    return not name.startswith("/") and all(part not in ("", ".", "..") for part in parts)


def _check_schema(manifest: dict[str, Any]) -> None:
    """The fixtures fit only the tables they came from: same migrations, app by app."""
    here = migration_state()
    app_labels = sorted({label.split(".", 1)[0] for label in manifest["models"]})
    if not all(here.get(app_label) for app_label in app_labels):
        raise BackupError(_("ฐานข้อมูลปลายทางยังไม่ได้ migrate: สั่ง manage.py migrate ก่อน"))
    differ = [
        app_label
        for app_label in app_labels
        if set(here[app_label]) != set(manifest["migrations"].get(app_label, []))
    ]
    if differ:
        raise BackupError(
            _(
                "โครงสร้างฐานข้อมูลไม่ตรงกับข้อมูลสำรอง (%(apps)s): กู้คืนด้วยโปรแกรมรุ่นเดียวกับ"
                "ที่สำรองไว้ (%(version)s) แล้วจึงปรับรุ่นและ migrate"
            )
            % {"apps": ", ".join(differ), "version": manifest["app_version"]}
        )


def _check_empty(
    backed_up: list[type[models.Model]], file_names: list[str], storage: Storage
) -> None:
    """Only into a fresh instance: restoring over data would mix two sites' rows."""
    full = [
        table._meta.label_lower
        for table in counted_models(backed_up)
        if table._base_manager.exists()
    ]
    if full:
        raise BackupError(
            _(
                "ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว (%(tables)s): กู้คืนได้เฉพาะในระบบที่ติดตั้งใหม่ "
                "(migrate แล้วแต่ยังไม่มีข้อมูล)"
            )
            % {"tables": ", ".join(full[:5]) + (" …" if len(full) > 5 else "")}
        )
    taken = [name for name in file_names if storage.exists(name)]
    if taken:
        raise BackupError(
            _("ที่เก็บไฟล์มีไฟล์ชื่อเดียวกับในข้อมูลสำรองอยู่แล้ว (%(names)s): ใช้ที่เก็บไฟล์ที่ว่าง")
            % {"names": ", ".join(taken[:5]) + (" …" if len(taken) > 5 else "")}
        )


def _corrupt(name: str) -> BackupError:
    return BackupError(
        _("ไฟล์ %(name)s ในข้อมูลสำรองเสียหาย: SHA-256 หรือขนาดไม่ตรงกับ manifest") % {"name": name}
    )


def _extract_fixtures(
    archive: zipfile.ZipFile, manifest: dict[str, Any], known: set[str], workdir: Path
) -> list[Path]:
    """The fixtures, in the manifest's (loadable) order, each checked before any is loaded."""
    paths = []
    for entry in manifest["fixtures"]:
        match = _FIXTURE_NAME.match(str(entry.get("name", "")))
        if match is None or match[1] not in known:
            raise BackupError(_("ข้อมูลสำรองมีตารางที่ไม่รู้จัก: %(name)s") % {"name": entry.get("name")})
        path = workdir / f"{match[1]}.json"
        try:
            with archive.open(entry["name"]) as source, path.open("wb") as target:
                sha256, size = _copy_hashed(source, target)
        except (KeyError, zipfile.BadZipFile) as error:
            raise _corrupt(entry["name"]) from error
        if (sha256, size) != (entry.get("sha256"), entry.get("size")):
            raise _corrupt(entry["name"])
        paths.append(path)
    return paths


def _reset_sequences(backed_up: list[type[models.Model]]) -> None:
    """What `manage.py sqlsequencereset` prints, run: new rows get ids after the restored
    ones on PostgreSQL (SQLite needs nothing, and the list is empty there)."""
    connection = connections[DEFAULT_DB_ALIAS]
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _check_rows(manifest: dict[str, Any], backed_up: list[type[models.Model]]) -> None:
    counts = row_counts(counted_models(backed_up))
    for label, expected in manifest["models"].items():
        found = counts.get(label)
        if found != expected:
            raise BackupError(
                _("จำนวนแถวของ %(model)s ไม่ตรงกับ manifest: ได้ %(found)s จาก %(expected)s")
                % {"model": label, "found": found, "expected": expected}
            )
    listed = {entry["name"] for entry in manifest["files"]} | set(manifest["missing_files"])
    if set(stored_file_names(backed_up)) != listed:
        raise BackupError(_("รายชื่อไฟล์ใน manifest ไม่ตรงกับไฟล์ที่ข้อมูลอ้างถึง"))


def _storage_sha256(storage: Storage, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _restore_file(
    archive: zipfile.ZipFile, entry: dict[str, Any], storage: Storage, written: list[str]
) -> None:
    """Writes one file back under its own name, then reads it back through the storage:
    the bytes the site will serve are the ones that were backed up."""
    name = str(entry["name"])
    # Listed before saving: a save that fails half-way may leave part of the file, and
    # nothing else had this name (restore_archive checked).
    written.append(name)
    try:
        info = archive.getinfo(FILES_DIR + name)
        with archive.open(info) as source:
            content = File(source, name=PurePosixPath(name).name)
            content.size = info.file_size
            saved = storage.save(name, content)
    except (KeyError, zipfile.BadZipFile, SuspiciousFileOperation) as error:
        raise _corrupt(name) from error
    except OSError as error:
        raise BackupError(
            _("เขียนไฟล์ %(path)s ไม่ได้: %(error)s") % {"path": name, "error": error.strerror or error}
        ) from error
    if saved != name:
        written.append(saved)
        raise BackupError(
            _("ที่เก็บไฟล์บันทึก %(name)s เป็นชื่ออื่น (%(saved)s)") % {"name": name, "saved": saved}
        )
    if _storage_sha256(storage, name) != (entry.get("sha256"), entry.get("size")):
        raise _corrupt(name)


def restore_archive(*, path: Path, storage: Storage = default_storage) -> RestoreReport:
    """Loads a backup into an empty, migrated instance: every row in one transaction,
    then every file, each checked; if anything fails the rows are rolled back and the
    files already written are deleted again."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise _not_a_backup(path, str(error)) from error
    with archive, tempfile.TemporaryDirectory(prefix="kmt-restore-") as workdir:
        manifest = read_manifest(archive, path)
        _check_schema(manifest)
        backed_up = backup_models()
        files = manifest["files"]
        _check_empty(backed_up, [str(entry.get("name")) for entry in files], storage)
        known = {model._meta.label_lower for model in backed_up}
        fixtures = _extract_fixtures(archive, manifest, known, Path(workdir))
        written: list[str] = []
        try:
            with transaction.atomic():
                if fixtures:
                    try:
                        call_command("loaddata", *map(str, fixtures), verbosity=0)
                    except Exception as error:
                        raise BackupError(
                            _("โหลดข้อมูลจากข้อมูลสำรองไม่สำเร็จ: %(error)s") % {"error": error}
                        ) from error
                _reset_sequences(backed_up)
                _check_rows(manifest, backed_up)
                for entry in files:
                    _restore_file(archive, entry, storage, written)
        except BaseException:
            for name in written:
                storage.delete(name)
            raise
    return RestoreReport(
        rows=sum(manifest["models"].values()),
        files=len(files),
        created_at=datetime.datetime.fromisoformat(manifest["created_at"]),
        app_version=manifest["app_version"],
        missing=manifest["missing_files"],
    )
