"""The orphan sweep: files in storage that no row points to, and Django's upload temp
files, are listed by `check_documents --orphans` and deleted by `--delete` once older
than the grace period; files rows point to, young orphans and other folders are kept."""

import datetime
import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from evidence.models import Document
from evidence.orphans import delete_orphans, missing_files, orphan_files, upload_temp_files
from evidence.services.documents import document_store
from indicators.models import ReportJob
from tests.factories import CycleFactory, UnitFactory, image_bytes, pdf_bytes
from tests.storages import S3Server, StoredFiles

HOUR = datetime.timedelta(hours=1)


def age(folder: Path, name: str, *, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(folder / name, (then, then))


# The grace period is read from the files' times, which only the local disk lets a test
# set: the tests of it run on the disk alone.
on_disk_only = pytest.mark.parametrize("file_storage", ["disk"], indirect=True)


@pytest.fixture
def temp_dir(settings, tmp_path: Path) -> Path:
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def world(db: None, file_storage: StoredFiles, temp_dir: Path) -> dict[str, str]:
    """A stored image (file + thumbnail) and a finished report, all old; three old
    orphans, a young one, and an old file outside the app's folders. On the local disk
    and on S3 (where nothing is old: the storage walk and the rows are what is tested)."""
    unit = UnitFactory()
    photo = document_store(
        unit=unit,
        upload=ContentFile(image_bytes(), name="photo.png"),
        content_type="image/png",
        by=None,
    ).document
    job = ReportJob.objects.create(kind=ReportJob.Kind.UNIVERSITY, cycle=CycleFactory())
    job.file.save("report.pdf", ContentFile(pdf_bytes("report")))
    names = {
        "file": photo.file.name,
        "thumbnail": photo.thumbnail.name,
        "report": job.file.name,
        "old evidence": default_storage.save(f"evidence/{unit.pk}/lost.pdf", ContentFile(b"x")),
        "old thumbnail": default_storage.save("thumbnails/99/lost.png", ContentFile(b"x")),
        "old report": default_storage.save("reports/lost.pdf", ContentFile(b"x")),
        "young": default_storage.save(f"evidence/{unit.pk}/arriving.pdf", ContentFile(b"x")),
        "elsewhere": default_storage.save("other/keep.txt", ContentFile(b"x")),
    }
    if file_storage.root is not None:
        for key, name in names.items():
            if key != "young":
                age(file_storage.root, name, hours=2)
    (temp_dir / "old.upload").write_bytes(b"x")
    age(temp_dir, "old.upload", hours=2)
    (temp_dir / "young.upload").write_bytes(b"x")
    return names


def test_orphans_are_the_files_no_row_points_to(world: dict[str, str]) -> None:
    found = {orphan.name for orphan in orphan_files()}
    assert found == {world[k] for k in ("old evidence", "old thumbnail", "old report", "young")}
    assert missing_files() == []


@on_disk_only
def test_delete_keeps_young_orphans_and_every_file_a_row_points_to(
    world: dict[str, str], media: Path, temp_dir: Path
) -> None:
    deleted, kept = delete_orphans(orphan_files() + upload_temp_files(), older_than=HOUR)
    assert {o.name for o in deleted} == {
        world["old evidence"],
        world["old thumbnail"],
        world["old report"],
        str(temp_dir / "old.upload"),
    }
    assert {o.name for o in kept} == {world["young"], str(temp_dir / "young.upload")}
    on_disk = {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}
    assert on_disk == {world[k] for k in ("file", "thumbnail", "report", "young", "elsewhere")}
    assert [p.name for p in temp_dir.iterdir()] == ["young.upload"]


@on_disk_only
def test_the_command_lists_then_deletes_then_finds_nothing(world: dict[str, str]) -> None:
    out = io.StringIO()
    call_command("check_documents", "--orphans", stdout=out)
    listing = out.getvalue()
    for key in ("old evidence", "old thumbnail", "old report", "young"):
        assert world[key] in listing
    assert world["file"] not in listing and world["elsewhere"] not in listing
    assert "ไฟล์ที่ไม่มีรายการใดอ้างอิง: ลบแล้ว 0 คงไว้ 6" in listing

    out = io.StringIO()
    call_command("check_documents", "--orphans", "--delete", stdout=out)
    assert "ไฟล์ที่ไม่มีรายการใดอ้างอิง: ลบแล้ว 4 คงไว้ 2" in out.getvalue()
    assert f"ลบไฟล์ที่ไม่มีรายการใดอ้างอิงแล้ว: {world['old report']}" in out.getvalue()
    assert default_storage.exists(world["young"])

    out = io.StringIO()
    call_command(
        "check_documents", "--orphans", "--delete", "--older-than-minutes", "0", stdout=out
    )
    assert "ลบแล้ว 2 คงไว้ 0" in out.getvalue()
    out = io.StringIO()
    call_command(
        "check_documents", "--orphans", "--delete", "--older-than-minutes", "0", stdout=out
    )
    assert "ลบแล้ว 0 คงไว้ 0" in out.getvalue()
    assert Document.objects.count() == 1 and default_storage.exists(world["thumbnail"])


def test_rows_whose_file_is_gone_are_listed(world: dict[str, str]) -> None:
    default_storage.delete(world["thumbnail"])
    default_storage.delete(world["report"])
    missing = {(m.row._meta.model_name, m.name) for m in missing_files()}
    assert missing == {("document", world["thumbnail"]), ("reportjob", world["report"])}
    out = io.StringIO()
    call_command("check_documents", "--orphans", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"ไม่พบไฟล์ของเอกสาร “photo” (ไฟล์ {world['thumbnail']})" in lines
    assert any(line.endswith(f"(ไฟล์ {world['report']})") for line in lines)


@pytest.mark.parametrize("file_storage", ["s3"], indirect=True)
def test_on_s3_the_sweep_deletes_what_no_row_points_to(
    world: dict[str, str], file_storage: StoredFiles, s3_server: S3Server
) -> None:
    assert file_storage.bucket is not None
    kept = {world[key] for key in ("file", "thumbnail", "report", "elsewhere")}
    orphans = {world[key] for key in ("old evidence", "old thumbnail", "old report", "young")}
    assert set(s3_server.keys(file_storage.bucket)) == kept | orphans
    out = io.StringIO()
    call_command(
        "check_documents", "--orphans", "--delete", "--older-than-minutes", "0", stdout=out
    )
    assert "ลบแล้ว 6 คงไว้ 0" in out.getvalue()  # and the two upload temp files
    assert set(s3_server.keys(file_storage.bucket)) == kept
