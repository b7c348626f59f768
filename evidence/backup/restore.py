"""Restoring a backup into an empty instance: checked first (schema, emptiness, archive),
then all rows in one transaction and every file written back and verified, or nothing."""

import datetime
import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils.translation import gettext as _

from evidence.backup.contents import (
    CHUNK,
    FILES_DIR,
    FIXTURE_NAME,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    backup_models,
    copy_hashed,
    counted_models,
    migration_state,
    row_counts,
    stored_file_names,
)


@dataclass(frozen=True)
class RestoreReport:
    rows: int
    files: int
    created_at: datetime.datetime
    app_version: str
    missing: list[str] = field(default_factory=list)


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
        match = FIXTURE_NAME.match(str(entry.get("name", "")))
        if match is None or match[1] not in known:
            raise BackupError(_("ข้อมูลสำรองมีตารางที่ไม่รู้จัก: %(name)s") % {"name": entry.get("name")})
        path = workdir / f"{match[1]}.json"
        try:
            with archive.open(entry["name"]) as source, path.open("wb") as target:
                sha256, size = copy_hashed(source, target)
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
