"""Backups that restore: `manage.py backup` → `manage.py restore` into a fresh instance
gives every row and every file back, SQLite → SQLite and SQLite → PostgreSQL (and the
PostgreSQL instance's own backup back into SQLite); a restore is all or nothing.

The round trips run each instance as its own `manage.py` process, with its own
DATABASE_URL and KMT_MEDIA_ROOT (see backup_world.py); the refusals run in-process
against the test database, which is migrated and empty like a fresh instance.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from evidence.backup.contents import NOT_BACKED_UP, backup_models, counted_models
from evidence.models import Document
from indicators.models import Unit
from tests.evidence.conftest import stored_files
from tests.factories import DocumentFactory, UnitFactory
from tests.storages import S3Server, StoredFiles

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 600


@dataclass
class Instance:
    """One KM Tracker site run through manage.py: its database and its file storage."""

    database_url: str
    media: Path
    var: Path
    # More environment: KMT_S3_BUCKET and the rest for an instance whose files are on S3.
    env: dict[str, str] = field(default_factory=dict)

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kmtracker.settings.base",
            "DATABASE_URL": self.database_url,
            "KMT_VAR_DIR": str(self.var),
            "KMT_MEDIA_ROOT": str(self.media),
            **self.env,
        }
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        if check and result.returncode != 0:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def run(self, function: str) -> dict[str, Any]:
        """Runs a function of backup_world.py inside the instance; returns what it wrote."""
        out = self.var / f"{function}-{uuid.uuid4().hex}.json"
        self.manage(
            "shell",
            "-c",
            f"from tests.evidence import backup_world; backup_world.{function}({str(out)!r})",
        )
        return json.loads(out.read_text(encoding="utf-8"))


def sqlite_instance(root: Path, blank: Path) -> Instance:
    """A fresh instance on SQLite: a copy of a just-migrated database, and no files."""
    root.mkdir()
    shutil.copyfile(blank, root / "db.sqlite3")
    return Instance(f"sqlite:///{root / 'db.sqlite3'}", root / "media", root)


@dataclass
class Source:
    instance: Instance
    archive: Path
    snapshot: dict[str, Any]


@pytest.fixture(scope="module")
def blank_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("blank")
    Instance(f"sqlite:///{root / 'db.sqlite3'}", root / "media", root).manage("migrate", "-v0")
    return root / "db.sqlite3"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory, blank_sqlite: Path) -> Source:
    """A unit's SQLite instance with the demo and more (backup_world.build), backed up."""
    instance = sqlite_instance(tmp_path_factory.mktemp("source") / "site", blank_sqlite)
    instance.manage("shell", "-c", "from tests.evidence import backup_world; backup_world.build()")
    archive = instance.var / "backup.zip"
    result = instance.manage("backup", "--output", str(archive))
    assert "สำรองข้อมูลแล้ว" in result.stdout and not result.stderr
    return Source(instance, archive, instance.run("snapshot_to"))


def assert_same_site(restored: dict[str, Any], original: dict[str, Any]) -> None:
    assert restored["rows"].keys() == original["rows"].keys()
    for label, rows in original["rows"].items():
        assert restored["rows"][label] == rows, label
    assert restored["files"] == original["files"]


def assert_fresh_ids(instance: Instance, original: dict[str, Any]) -> None:
    """New rows after a restore get ids after the restored ones (sequences reset)."""
    for label, pk in instance.run("new_ids_to").items():
        assert pk > max(row["pk"] for row in original["rows"][label]), label


def test_the_source_has_what_a_backup_must_carry(source: Source) -> None:
    rows, files = source.snapshot["rows"], source.snapshot["files"]
    # An evidence PDF, an image and its thumbnail, a finished report.
    assert len(files) == 4
    assert len(rows["evidence.document"]) == 2 and len(rows["indicators.reportjob"]) == 2
    documents = {row["pk"] for row in rows["evidence.document"]}
    cited = {row["fields"]["document"] for row in rows["evidence.historicalevidenceitem"]}
    assert cited - documents - {None}, "a history row should point at a deleted document"
    assert rows["admin.logentry"][0]["fields"]["content_type"] == ["indicators", "unit"]
    assert ["review_assessment", "indicators", "assessment"] in [
        perm for user in rows["auth.user"] for perm in user["fields"]["user_permissions"]
    ]


def test_the_manifest_lists_every_row_and_file_with_its_sha256(source: Source) -> None:
    assert source.archive.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(source.archive) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["fixtures"] + [
            {**file, "name": f"files/{file['name']}"} for file in manifest["files"]
        ]:
            content = archive.read(entry["name"])
            assert (hashlib.sha256(content).hexdigest(), len(content)) == (
                entry["sha256"],
                entry["size"],
            )
    assert manifest["format"] == "kmtracker-backup" and manifest["created_at"]
    assert manifest["app_version"].startswith(("git ", "migrations "))
    assert "0001_initial" in manifest["migrations"]["indicators"]
    assert {f["name"]: f["sha256"] for f in manifest["files"]} == source.snapshot["files"]
    assert manifest["missing_files"] == []
    assert set(manifest["left_out"]) == set(NOT_BACKED_UP)
    for label, rows in source.snapshot["rows"].items():
        assert manifest["models"][label] == len(rows), label
    # Many-to-many rows are counted too (they travel inside their model's fixture).
    assert manifest["models"]["evidence.activity_attendees"] > 0
    assert manifest["models"]["auth.user_groups"] == 2


def test_sqlite_backup_restores_into_sqlite(
    source: Source, blank_sqlite: Path, tmp_path: Path
) -> None:
    target = sqlite_instance(tmp_path / "target", blank_sqlite)
    result = target.manage("restore", str(source.archive))
    assert "กู้คืนแล้ว" in result.stdout
    # The queued report job: the task queue is not part of a backup.
    assert "งานสร้างรายงานที่ยังไม่เสร็จตอนสำรองข้อมูล 1 งาน" in result.stdout

    assert_same_site(target.run("snapshot_to"), source.snapshot)
    verified = target.manage("verify_evidence")
    assert "ไฟล์หลักฐานครบถ้วนและตรงกับ SHA-256: 2 จาก 2 ไฟล์" in verified.stdout
    assert_fresh_ids(target, source.snapshot)

    again = target.manage("restore", str(source.archive), check=False)
    assert again.returncode == 1 and "ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว" in again.stderr


def _postgres_params() -> dict[str, Any]:
    """The server the suite runs on when DATABASE_URL is PostgreSQL, else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        config = dj_database_url.parse(url)
        return {
            "host": config["HOST"] or "127.0.0.1",
            "port": int(config["PORT"] or 5432),
            "user": config["USER"] or "postgres",
            "password": config["PASSWORD"] or "",
        }
    return {"host": "127.0.0.1", "port": 5432, "user": "postgres", "password": ""}


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    params = _postgres_params()
    try:
        admin = psycopg2.connect(dbname="postgres", connect_timeout=5, **params)
    except psycopg2.OperationalError as error:
        pytest.skip(
            f"PostgreSQL is not reachable at {params['host']}:{params['port']} as "
            f"{params['user']} ({str(error).strip()}): the restore into PostgreSQL is untested"
        )
    admin.autocommit = True
    name = f"kmt_restore_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['password']}" if params["password"] else ""
    try:
        yield f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_sqlite_backup_restores_into_postgresql_and_back(
    source: Source, blank_sqlite: Path, postgres_url: str, tmp_path: Path
) -> None:
    """How a unit moves up to the central server; and the central server's backup, taken
    in one REPEATABLE READ snapshot, comes back into SQLite the same."""
    central = Instance(postgres_url, tmp_path / "central-media", tmp_path)
    central.manage("migrate", "-v0")
    result = central.manage("restore", str(source.archive))
    assert "กู้คืนแล้ว" in result.stdout
    assert_same_site(central.run("snapshot_to"), source.snapshot)

    archive = tmp_path / "central.zip"
    central.manage("backup", "--output", str(archive))
    # After the backup: the check writes its result on each document.
    assert "2 จาก 2 ไฟล์" in central.manage("verify_evidence").stdout
    assert_fresh_ids(central, source.snapshot)

    back = sqlite_instance(tmp_path / "back", blank_sqlite)
    back.manage("restore", str(archive))
    assert_same_site(back.run("snapshot_to"), source.snapshot)


def test_a_backup_restores_onto_s3_and_is_taken_from_it(
    source: Source, blank_sqlite: Path, s3_server: S3Server, tmp_path: Path
) -> None:
    """A site whose files move to S3-compatible storage: the backup of an instance on the
    local disk restores into one whose files are in a bucket (moto on 127.0.0.1), whose
    own backup reads them back from the bucket."""
    bucket = s3_server.new_bucket()
    on_s3 = sqlite_instance(tmp_path / "on-s3", blank_sqlite)
    on_s3.env = s3_server.environ(bucket)
    assert "กู้คืนแล้ว" in on_s3.manage("restore", str(source.archive)).stdout
    assert s3_server.keys(bucket) == sorted(source.snapshot["files"])
    assert not on_s3.media.exists()  # nothing on the instance's disk
    assert_same_site(on_s3.run("snapshot_to"), source.snapshot)

    archive = tmp_path / "on-s3.zip"
    on_s3.manage("backup", "--output", str(archive))
    with zipfile.ZipFile(archive) as backup:
        manifest = json.loads(backup.read("manifest.json"))
        files = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
        assert files == source.snapshot["files"] and manifest["missing_files"] == []
        for name, sha256 in files.items():
            assert hashlib.sha256(backup.read(f"files/{name}")).hexdigest() == sha256


# --- In-process: refusals and all-or-nothing -----------------------------------------


def rewrite(archive: Path, out: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the archive with members changed; the manifest is changed last, with
    the members' final bytes at hand."""
    members: dict[str, bytes] = {}
    with zipfile.ZipFile(archive) as original:
        for name in original.namelist():
            members[name] = change(name, original.read(name))
    with zipfile.ZipFile(out, "w") as copy:
        for name, content in members.items():
            copy.writestr(name, content)
    return out


def project_rows() -> dict[str, int]:
    counts = {t._meta.label_lower: t._base_manager.count() for t in counted_models(backup_models())}
    return {label: count for label, count in counts.items() if count}


def test_restore_refuses_an_instance_with_data(source: Source, db: None, media: Path) -> None:
    UnitFactory(name="หน่วยงานเดิม", evidence_prefix="ดม")
    with pytest.raises(CommandError, match="ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว \\(indicators.unit\\)"):
        call_command("restore", str(source.archive))
    assert project_rows() == {"indicators.unit": 1}
    assert stored_files(media) == []


def test_restore_refuses_files_already_in_the_storage(
    source: Source, db: None, file_storage: StoredFiles
) -> None:
    name = next(iter(source.snapshot["files"]))
    assert file_storage.storage.save(name, ContentFile(b"someone else's file")) == name
    with pytest.raises(CommandError, match="ที่เก็บไฟล์มีไฟล์ชื่อเดียวกับในข้อมูลสำรองอยู่แล้ว"):
        call_command("restore", str(source.archive))
    assert project_rows() == {}
    assert file_storage.names() == [name]
    assert file_storage.read(name) == b"someone else's file"


def test_a_file_that_does_not_match_rolls_everything_back(
    source: Source, db: None, file_storage: StoredFiles, tmp_path: Path
) -> None:
    """The last file is damaged: the rows are rolled back and the files written before
    it are deleted again."""
    with zipfile.ZipFile(source.archive) as archive:
        last = json.loads(archive.read("manifest.json"))["files"][-1]["name"]

    def damage(name: str, content: bytes) -> bytes:
        return content + b"\x00" if name == f"files/{last}" else content

    damaged = rewrite(source.archive, tmp_path / "damaged.zip", damage)
    with pytest.raises(CommandError, match=f"ไฟล์ {last} ในข้อมูลสำรองเสียหาย"):
        call_command("restore", str(damaged))
    assert project_rows() == {}
    assert file_storage.names() == []


def test_rows_that_do_not_load_roll_everything_back(
    source: Source, db: None, media: Path, tmp_path: Path
) -> None:
    """An evidence item pointing at a result that is not there fails the load, after
    other fixtures (units, users, results) were already in."""
    fixture = "data/evidence.evidenceitem.json"

    def break_a_row(name: str, content: bytes) -> bytes:
        if name != fixture:
            return content
        rows = json.loads(content)
        rows[0]["fields"]["result"] = 999_999
        return json.dumps(rows).encode()

    broken = rewrite(source.archive, tmp_path / "broken.zip", break_a_row)

    def fix_manifest(name: str, content: bytes) -> bytes:
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        with zipfile.ZipFile(broken) as archive:
            new = archive.read(fixture)
        for entry in manifest["fixtures"]:
            if entry["name"] == fixture:
                entry.update(sha256=hashlib.sha256(new).hexdigest(), size=len(new))
        return json.dumps(manifest).encode()

    broken = rewrite(broken, tmp_path / "broken-signed.zip", fix_manifest)
    with pytest.raises(CommandError, match="โหลดข้อมูลจากข้อมูลสำรองไม่สำเร็จ"):
        call_command("restore", str(broken))
    assert project_rows() == {}
    assert stored_files(media) == []


def test_a_damaged_fixture_is_refused_before_anything_is_written(
    source: Source, db: None, media: Path, tmp_path: Path
) -> None:
    fixture = "data/indicators.unit.json"

    def damage(name: str, content: bytes) -> bytes:
        if name != fixture:
            return content
        return content.replace("สำนักพิมพ์".encode(), "สำนักพิมพ์!".encode())

    damaged = rewrite(source.archive, tmp_path / "damaged.zip", damage)
    with pytest.raises(CommandError, match=f"ไฟล์ {fixture} ในข้อมูลสำรองเสียหาย"):
        call_command("restore", str(damaged))
    assert project_rows() == {}
    assert stored_files(media) == []


def test_restore_refuses_a_backup_of_another_schema(
    source: Source, db: None, media: Path, tmp_path: Path
) -> None:
    def older(name: str, content: bytes) -> bytes:
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["migrations"]["evidence"].pop()
        return json.dumps(manifest).encode()

    with pytest.raises(CommandError, match="โครงสร้างฐานข้อมูลไม่ตรงกับข้อมูลสำรอง \\(evidence\\)"):
        call_command("restore", str(rewrite(source.archive, tmp_path / "old.zip", older)))
    assert project_rows() == {}


@pytest.mark.parametrize(
    "content",
    [b"not a zip at all", None],
    ids=["not-a-zip", "zip-without-manifest"],
)
def test_restore_refuses_what_is_not_a_backup(
    content: bytes | None, db: None, tmp_path: Path
) -> None:
    path = tmp_path / "other.zip"
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        content = buffer.getvalue()
    path.write_bytes(content)
    with pytest.raises(CommandError, match="ไม่ใช่ไฟล์สำรองข้อมูลของ KM Tracker"):
        call_command("restore", str(path))


def test_backup_names_a_file_gone_from_the_storage(
    db: None, file_storage: StoredFiles, tmp_path: Path
) -> None:
    kept, lost = DocumentFactory(), DocumentFactory()
    lost.file.storage.delete(lost.file.name)
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", "--output", str(tmp_path / "b.zip"), stdout=out, stderr=err)
    assert f"ไม่พบไฟล์ {lost.file.name} ในที่เก็บไฟล์" in err.getvalue()
    assert "1 ไฟล์" in out.getvalue()
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        with kept.file.open("rb") as handle:
            assert archive.read(f"files/{kept.file.name}") == handle.read()
    assert manifest["missing_files"] == [lost.file.name]
    assert [f["name"] for f in manifest["files"]] == [kept.file.name]
    assert manifest["models"]["evidence.document"] == Document.objects.count() == 2
    assert manifest["models"]["auth.user"] == get_user_model().objects.count()
    assert manifest["models"]["indicators.unit"] == Unit.objects.count()


def test_a_file_lost_before_the_backup_is_named_after_the_restore(
    db: None, file_storage: StoredFiles, tmp_path: Path
) -> None:
    kept, lost = DocumentFactory(), DocumentFactory()
    lost.file.storage.delete(lost.file.name)
    call_command(
        "backup", "--output", str(tmp_path / "b.zip"), stdout=io.StringIO(), stderr=io.StringIO()
    )
    # An empty instance again: no rows, no files.
    kept.file.storage.delete(kept.file.name)
    Document.objects.all().delete()
    Unit.objects.all().delete()
    assert project_rows() == {} and file_storage.names() == []

    out = io.StringIO()
    call_command("restore", str(tmp_path / "b.zip"), stdout=out)
    assert "ไฟล์ 1 ไฟล์หายไปก่อนสำรองข้อมูล จึงไม่ได้กู้คืน" in out.getvalue()
    assert Document.objects.count() == 2
    assert file_storage.names() == [kept.file.name]
    with pytest.raises(CommandError, match="ไม่พบไฟล์ 1"):
        call_command("verify_evidence", stdout=io.StringIO())
