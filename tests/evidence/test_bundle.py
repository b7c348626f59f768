"""The evidence bundle: files named by code, manifest (safe to open in Excel), offline index,
streamed."""

import csv
import hashlib
import io
import json
import random
import zipfile
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from evidence.bundle import (
    MAX_NAME_BYTES,
    ManifestRow,
    iter_bundle,
    manifest_csv,
    manifest_xlsx,
    safe_filename,
)
from evidence.models import Document, EvidenceItem
from indicators.models import Assessment, ReportJob
from tests.factories import DocumentFactory
from tests.storages import StoredFiles

pytestmark = pytest.mark.django_db

LONG_CAPTION = "รายงานการประชุมคณะกรรมการการจัดการความรู้ สำนักพิมพ์ ครั้งที่ 1/2563 " * 4


def attach(item: EvidenceItem, content: bytes, name: str, caption: str | None = None) -> Document:
    document = DocumentFactory(
        unit=item.result.assessment.unit,
        file=ContentFile(content, name=name),
        original_name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    item.document, item.url = document, ""
    if caption is not None:
        item.caption = caption
    item.save()
    return document


@pytest.fixture
def with_files(demo: Assessment, file_storage: StoredFiles) -> dict[str, bytes]:
    """Three demo items get files: a PDF, a long caption with a slash, one lost from storage;
    on the local disk and on S3 (the tests that use them run on both)."""
    items = {item.code: item for item in EvidenceItem.objects.with_code_parts().filter(
        result__assessment=demo
    )}  # fmt: skip
    contents = {
        # Not compressible, so that the stream has to hand it on in several chunks.
        "สพ 3-1 (1)": b"%PDF-1.4 minutes " + random.Random(2563).randbytes(700_000),
        "สพ 3-2 (1)": "รายชื่อ,กลุ่มเป้าหมาย\n".encode() * 50,
    }
    attach(items["สพ 3-1 (1)"], contents["สพ 3-1 (1)"], "minutes.PDF")
    attach(items["สพ 3-2 (1)"], contents["สพ 3-2 (1)"], "list.csv", caption=LONG_CAPTION)
    lost = attach(items["สพ 3-3 (1)"], b"gone", "letter.pdf")
    lost.file.storage.delete(lost.file.name)
    assert len(file_storage.names()) == 2
    return contents


def read_bundle(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None  # every CRC checks out
    return archive


def test_safe_filename_keeps_thai_and_cuts_cleanly() -> None:
    assert safe_filename("สพ 3-1 (1) รายงาน 1/2563: ร่าง?", ".pdf") == (
        "สพ 3-1 (1) รายงาน 1 2563 ร่าง.pdf"
    )
    stem = "สพ 3-1 (1) " + "น้ำ" * 200
    long = safe_filename(stem, ".pdf")
    assert len(long.encode()) <= MAX_NAME_BYTES and long.endswith(".pdf")
    cut = long.removesuffix(".pdf")
    assert stem.startswith(cut) and len(cut) > 60
    # Never a tone mark cut off from its consonant, never a consonant cut off from its marks.
    assert cut.endswith("น้ำ") and stem[len(cut)] == "น"
    assert safe_filename("../../etc/passwd") == "etc passwd"
    assert safe_filename("\x00/..", ".PDF") == "evidence.pdf"


def test_bundle_names_manifest_and_hashes(demo: Assessment, with_files: dict[str, bytes]) -> None:
    archive = read_bundle(b"".join(iter_bundle(unit=demo.unit, cycle=demo.indicator.cycle)))
    names = archive.namelist()
    # The caption of the seed, with "1/2563" made "1 2563" (no folders in a name).
    first = "สพ 3-1 (1) รายงานการประชุมคณะกรรมการและคณะทำงานการจัดการความรู้ ครั้งที่ 1 2563"
    assert any(name.startswith(first) and name.endswith(".pdf") for name in names), names
    second = next(name for name in names if name.startswith("สพ 3-2 (1) "))
    assert second.endswith(".csv") and len(second.encode()) <= MAX_NAME_BYTES
    assert "/" not in second
    manifest = json.loads(archive.read("manifest.json"))
    # Every item of the demo indicator, in code order, files or not.
    codes = [row["code"] for row in manifest]
    assert len(codes) == 31 and codes[0] == "สพ 3-1 (1)" and codes[-1] == "สพ 3-5 (7)"
    by_code = {row["code"]: row for row in manifest}
    for code, content in with_files.items():
        row = by_code[code]
        stored = archive.read(row["file"])
        assert stored == content
        assert row["size"] == len(content)
        assert (
            row["sha256"]
            == hashlib.sha256(stored).hexdigest()
            == hashlib.sha256(content).hexdigest()
        )
    assert by_code["สพ 3-3 (1)"]["file"] == "" and by_code["สพ 3-3 (1)"]["note"]
    link = by_code["สพ 3-4 (9)"]
    assert link["link"].startswith("https://www.stou.ac.th/") and link["file"] == ""
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert [row["code"] for row in rows] == codes
    assert rows[0]["sha256"] == by_code["สพ 3-1 (1)"]["sha256"]
    # The same manifest as a workbook, Thai headers, sizes as numbers.
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("manifest.xlsx"))).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][:3] == ("รหัสเอกสาร", "รายการเอกสารอ้างอิง", "ไฟล์ในชุดนี้")
    assert [row[0] for row in cells[1:]] == codes
    first_row = cells[1]
    assert first_row[3] == by_code["สพ 3-1 (1)"]["size"] and isinstance(first_row[3], int)
    assert first_row[4] == by_code["สพ 3-1 (1)"]["sha256"]
    index = archive.read("index.html").decode()
    assert '<html lang="th">' in index and "http" not in index.split("<body>")[0]
    for row in manifest:
        assert row["code"] in index
    assert 'href="https://www.stou.ac.th/Offices/oup/km%20web/IndexKM_stoupress.html"' in index
    assert f'href="{first.replace(" ", "%20")}' not in index  # encoded, Thai included
    assert "ไม่พบไฟล์ในที่เก็บเอกสาร" in index


def test_bundle_is_streamed_in_chunks(demo: Assessment, with_files: dict[str, bytes]) -> None:
    chunks = list(iter_bundle(unit=demo.unit, cycle=demo.indicator.cycle))
    assert len(chunks) > 5
    # No chunk holds the whole archive.
    assert max(map(len, chunks)) < sum(map(len, chunks)) / 2
    assert sum(map(len, chunks)) > 700_000


def test_bundle_job_with_the_three_personas(
    client: Client,
    demo: Assessment,
    with_files: dict[str, bytes],
    staff: User,
    qa_officer: User,
    outsider: User,
) -> None:
    """The bundle is made by the background worker (a report job), then downloaded."""
    url = reverse("indicators:unit_bundle", args=[demo.unit_id, demo.indicator.cycle_id])
    assert client.post(url).status_code == 302  # to the login page
    for user in (staff, qa_officer):
        client.force_login(user)
        assert client.post(url).status_code == 302
        job = ReportJob.objects.get(requested_by=user)
        response = client.get(reverse("indicators:report_job_download", args=[job.pk]))
        assert response.status_code == 200 and response.streaming
        assert response["Content-Type"] == "application/zip"
        assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
        archive = read_bundle(b"".join(response.streaming_content))
        assert "manifest.json" in archive.namelist()
        first = next(name for name in archive.namelist() if name.startswith("สพ 3-1 (1) "))
        assert archive.read(first) == with_files["สพ 3-1 (1)"]
    client.force_login(outsider)
    assert client.post(url).status_code == 404


def test_bundle_reports_its_progress_per_item(demo: Assessment) -> None:
    seen: list[tuple[int, int]] = []
    cycle = demo.indicator.cycle
    b"".join(iter_bundle(unit=demo.unit, cycle=cycle, progress=lambda *p: seen.append(p)))
    total = EvidenceItem.objects.filter(result__assessment=demo).count()
    assert seen == [(done, total) for done in range(1, total + 1)]


def test_export_evidence_command(
    demo: Assessment, with_files: dict[str, bytes], tmp_path: Path
) -> None:
    target = tmp_path / "bundle.zip"
    out = StringIO()
    call_command(
        "export_evidence", "--unit", "สพ", "--year", "2563", "--output", str(target), stdout=out
    )
    archive = read_bundle(target.read_bytes())
    assert {"manifest.csv", "manifest.json", "index.html"} <= set(archive.namelist())
    assert not (tmp_path / "bundle.zip.part").exists()
    assert "ไบต์" in out.getvalue()


# --- manifest.csv, opened in Excel ------------------------------------------------------


def test_formula_like_captions_are_written_as_text() -> None:
    rows = [
        ManifestRow("สพ 3-1 (1)", '=HYPERLINK("http://x.example","คลิก")', "", None, "", "", ""),
        ManifestRow("สพ 3-1 (2)", "+66 2 504 7788", "", None, "", "", ""),
        ManifestRow("สพ 3-1 (3)", "@SUM(A1)", "", None, "", "", ""),
        ManifestRow("สพ 3-1 (4)", "รายงานการประชุม - ครั้งที่ 1/2563", "", None, "", "", ""),
    ]
    data = manifest_csv(rows).decode("utf-8-sig")
    captions = [row[1] for row in csv.reader(io.StringIO(data))][1:]
    assert captions == [
        '\'=HYPERLINK("http://x.example","คลิก")',
        "'+66 2 504 7788",
        "'@SUM(A1)",
        "รายงานการประชุม - ครั้งที่ 1/2563",  # a dash inside the text is left alone
    ]
    # In the workbook the text is the text itself, stored as text (not a formula).
    sheet = openpyxl.load_workbook(io.BytesIO(manifest_xlsx(rows))).active
    cells = [sheet.cell(row=n, column=2) for n in range(2, 6)]
    assert [cell.value for cell in cells] == [row.caption for row in rows]
    assert {cell.data_type for cell in cells} == {"s"}
