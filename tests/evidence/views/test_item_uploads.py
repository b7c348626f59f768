"""Several files in one upload (chosen together or dropped onto a criterion): one item
per file with its own code, all or nothing, each refused file named; and where the
focus goes after each evidence swap."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from evidence.forms.items import MAX_FILES_AT_ONCE
from evidence.models import Document
from indicators.models import Assessment, CriterionResult
from tests.evidence.conftest import stored_files
from tests.factories import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def first(assessment: Assessment) -> CriterionResult:
    return assessment.results.get(criterion__order=1)


def upload_many(
    client: Client, result: CriterionResult, files: list[tuple[str, bytes]], **data: Any
) -> HttpResponse:
    url = reverse("evidence:item_add", args=[result.pk])
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    payload = {"kind": "upload", "file": uploads, "caption": "", **data}
    return client.post(url, payload, headers=HTMX)


def codes_and_captions(result: CriterionResult) -> list[tuple[str, str]]:
    items = result.evidence_items.order_by("position")
    return [(item.code, item.caption) for item in items]


def test_the_file_input_takes_several_files(
    client: Client, staff: User, first: CriterionResult
) -> None:
    client.force_login(staff)
    html = client.get(reverse("evidence:item_add", args=[first.pk]), headers=HTMX).content
    assert b'name="file"' in html and b" multiple" in html
    assert b"data-kmt-upload-progress" in html


def test_three_files_make_three_items_in_order(
    client: Client, staff: User, first: CriterionResult, media: Path
) -> None:
    client.force_login(staff)
    files = [
        ("คำสั่งแต่งตั้ง.pdf", pdf_bytes("one")),
        ("ภาพกิจกรรม.png", image_bytes("PNG")),
        ("รายงานการประชุม.pdf", pdf_bytes("two")),
    ]
    html = upload_many(client, first, files).content.decode()
    assert "เพิ่มหลักฐาน สพ 3-1 (4), สพ 3-1 (5), สพ 3-1 (6) แล้ว" in html
    assert codes_and_captions(first)[3:] == [
        ("สพ 3-1 (4)", "คำสั่งแต่งตั้ง"),
        ("สพ 3-1 (5)", "ภาพกิจกรรม"),
        ("สพ 3-1 (6)", "รายงานการประชุม"),
    ]
    documents = Document.objects.order_by("pk")
    assert [d.original_name for d in documents] == [name for name, _ in files]
    assert sorted(stored_files(media)) == sorted(
        media / name
        for document in documents
        for name in (document.file.name, document.thumbnail.name)
        if name
    )
    # The focus goes to the first new item (js/swaps.js reads data-kmt-focus).
    first_new = first.evidence_items.get(position=4)
    assert f'id="item-{first_new.pk}"' in html
    assert f'data-item-pk="{first_new.pk}" tabindex="-1" data-kmt-focus' in html


def test_one_refused_file_stores_none_and_names_each_bad_file(
    client: Client, staff: User, first: CriterionResult, media: Path, settings: Settings
) -> None:
    settings.KMT_MAX_UPLOAD_MB = 1
    client.force_login(staff)
    before = codes_and_captions(first)
    files = [
        ("ดี.pdf", pdf_bytes("good")),
        ("โปรแกรม.exe", b"MZ\x90\x00 not a document"),
        ("ใหญ่.pdf", pdf_bytes() + b"\n%" + b"x" * (1024 * 1024)),
        ("ว่าง.pdf", b""),
    ]
    html = upload_many(client, first, files).content.decode()
    assert "ไฟล์ “โปรแกรม.exe” ไม่ใช่ชนิดที่รับ" in html
    assert "ไฟล์ “ใหญ่.pdf” มีขนาดใหญ่เกินไป" in html and "ไม่เกิน 1 MB" in html
    assert "ไฟล์ “ว่าง.pdf”: ไฟล์นี้ว่างเปล่า" in html
    assert "“ดี.pdf”" not in html
    assert codes_and_captions(first) == before
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_a_caption_is_for_a_single_file_only(
    client: Client, staff: User, first: CriterionResult, media: Path
) -> None:
    client.force_login(staff)
    files = [("ก.pdf", pdf_bytes("a")), ("ข.pdf", pdf_bytes("b"))]
    html = upload_many(client, first, files, caption="ชื่อเดียวกัน").content.decode()
    assert "ใส่ชื่อรายการได้เมื่อเลือกไฟล์เดียว" in html
    assert first.evidence_items.count() == 3 and not Document.objects.exists()
    # One file keeps its typed caption.
    upload_many(client, first, files[:1], caption="คำสั่ง ก")
    assert codes_and_captions(first)[3] == ("สพ 3-1 (4)", "คำสั่ง ก")


def test_too_many_files_at_once(client: Client, staff: User, first: CriterionResult) -> None:
    client.force_login(staff)
    files = [(f"{n}.pdf", pdf_bytes(str(n))) for n in range(MAX_FILES_AT_ONCE + 1)]
    html = upload_many(client, first, files).content.decode()
    assert f"เลือกไว้ {MAX_FILES_AT_ONCE + 1} ไฟล์ อัปโหลดได้ครั้งละไม่เกิน {MAX_FILES_AT_ONCE} ไฟล์" in html
    assert not Document.objects.exists()


def test_files_too_large_together(
    client: Client, staff: User, first: CriterionResult, media: Path, settings: Settings
) -> None:
    settings.KMT_MAX_UPLOAD_MB = 1
    client.force_login(staff)
    padding = b"\n%" + b"x" * (900 * 1024)  # each file under 1 MB, five over 4 MB
    files = [(f"{n}.pdf", pdf_bytes(str(n)) + padding) for n in range(5)]
    html = upload_many(client, first, files).content.decode()
    assert "อัปโหลดพร้อมกันได้ไม่เกิน 4 MB" in html
    assert not Document.objects.exists() and stored_files(media) == []
    upload_many(client, first, files[:4])
    assert Document.objects.count() == 4


def test_a_file_already_in_the_library_is_cited_again(
    client: Client, staff: User, first: CriterionResult, media: Path
) -> None:
    client.force_login(staff)
    known = pdf_bytes("known")
    upload_many(client, first, [("เดิม.pdf", known)])
    html = upload_many(client, first, [("ใหม่.pdf", pdf_bytes("new")), ("เดิม.pdf", known)])
    text = html.content.decode()
    assert "เพิ่มหลักฐาน สพ 3-1 (5), สพ 3-1 (6) แล้ว" in text
    assert "ไฟล์ของ สพ 3-1 (6) มีอยู่ในคลังเอกสารของหน่วยงานแล้ว" in text
    assert Document.objects.count() == 2


def test_qa_officer_and_outsider_cannot_upload_many(
    client: Client, qa_officer: User, outsider: User, first: CriterionResult
) -> None:
    files = [("ก.pdf", pdf_bytes("a")), ("ข.pdf", pdf_bytes("b"))]
    client.force_login(qa_officer)
    assert upload_many(client, first, files).status_code == 403
    client.force_login(outsider)
    assert upload_many(client, first, files).status_code == 404
    assert first.evidence_items.count() == 3


# --- Focus hints after a swap -----------------------------------------------------------


def test_opened_forms_and_saved_items_carry_the_focus(
    client: Client, staff: User, first: CriterionResult
) -> None:
    client.force_login(staff)
    item = first.evidence_items.get(position=2)
    add = client.get(reverse("evidence:item_add", args=[first.pk]), headers=HTMX).content.decode()
    assert 'data-kmt-focus class="kmt-add-upload"' in add
    edit = client.get(reverse("evidence:item_edit", args=[item.pk]), headers=HTMX)
    assert 'data-kmt-focus class="kmt-caption-form"' in edit.content.decode()
    saved = client.post(
        reverse("evidence:item_edit", args=[item.pk]),
        {"caption": "ชื่อใหม่", "version": item.version},
        headers=HTMX,
    ).content.decode()
    assert f'data-item-pk="{item.pk}" tabindex="-1" data-kmt-focus' in saved
    refresh = reverse("evidence:result_evidence", args=[first.pk])
    cancelled = client.get(f"{refresh}?item={item.pk}", headers=HTMX).content.decode()
    assert f'data-item-pk="{item.pk}" tabindex="-1" data-kmt-focus' in cancelled
    closed = client.get(refresh, headers=HTMX).content.decode()
    assert "data-kmt-drop-open data-kmt-focus" in closed
    assert closed.count("data-kmt-focus") == 1
