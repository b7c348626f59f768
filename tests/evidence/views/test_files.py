"""Uploading evidence: accepted kinds, deduplication, rejections that store nothing,
and the permission-checked file views."""

import hashlib
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import Document, EvidenceItem
from evidence.services import items as item_services
from evidence.services.items import evidence_item_add_upload
from indicators.models import Assessment, CriterionResult
from tests.evidence.conftest import stored_files
from tests.factories import image_bytes, ooxml_bytes, pdf_bytes

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def first(demo: Assessment) -> CriterionResult:
    return demo.results.get(criterion__order=1)


def upload(client, result, name: str, content: bytes, caption: str = "", **extra):  # type: ignore[no-untyped-def]
    url = reverse("evidence:item_add", args=[result.pk])
    data = {"kind": "upload", "file": SimpleUploadedFile(name, content), "caption": caption}
    return client.post(url, data, headers=HTMX, **extra)


def test_upload_pdf_adds_item_and_document(client, staff, first, media) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    content = pdf_bytes("หนึ่ง")
    response = upload(client, first, "รายงานการประชุม.pdf", content, caption="รายงานการประชุม 2/2563")
    html = response.content.decode()
    assert response.status_code == 200
    assert "เพิ่มหลักฐาน สพ 3-1 (9) แล้ว" in html
    assert "สพ 3-1 (9)" in html and "รายงานการประชุม 2/2563" in html
    document = Document.objects.get()
    assert document.unit == first.assessment.unit
    assert document.original_name == "รายงานการประชุม.pdf"
    assert document.size == len(content)
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.uploaded_by == staff
    assert "รายงานการประชุม" not in document.file.name  # stored under an unguessable name
    assert stored_files(media) == [media / document.file.name]
    item = first.evidence_items.get(position=9)
    assert item.document == document and item.code == "สพ 3-1 (9)"


def test_caption_defaults_to_file_name(client, staff, first, media) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    upload(client, first, "คำสั่งแต่งตั้ง.pdf", pdf_bytes())
    assert first.evidence_items.get(position=9).caption == "คำสั่งแต่งตั้ง"


def test_same_file_twice_is_one_document(client, staff, demo, first, media) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    content = pdf_bytes("ซ้ำ")
    upload(client, first, "a.pdf", content)
    second = demo.results.get(criterion__order=2)
    response = upload(client, second, "ชื่ออื่น.pdf", content)
    assert "มีอยู่ในคลังเอกสารของหน่วยงานแล้ว" in response.content.decode()
    assert Document.objects.count() == 1
    assert EvidenceItem.objects.filter(document__isnull=False).count() == 2
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.png", image_bytes("PNG"), "image/png"),
        ("photo.JPG", image_bytes("JPEG"), "image/jpeg"),
    ],
)
def test_image_gets_a_thumbnail(client, staff, first, media, name, content, content_type) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    html = upload(client, first, name, content).content.decode()
    document = Document.objects.get()
    assert document.content_type == content_type
    assert document.thumbnail
    assert len(stored_files(media)) == 2
    thumbnail_url = reverse("evidence:document_thumbnail", args=[document.pk])
    assert thumbnail_url in html
    response = client.get(thumbnail_url)
    assert response["Content-Type"] == "image/png"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\x89PNG")
    import io

    from PIL import Image

    assert max(Image.open(io.BytesIO(body)).size) <= 320


@pytest.mark.parametrize(
    ("name", "main_part"),
    [
        ("แผน.docx", "word/document.xml"),
        ("ตาราง.xlsx", "xl/workbook.xml"),
        ("สไลด์.pptx", "ppt/presentation.xml"),
    ],
)
def test_office_files_are_accepted(client, staff, first, media, name, main_part) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    upload(client, first, name, ooxml_bytes(main_part))
    document = Document.objects.get()
    assert document.content_type.startswith("application/vnd.openxmlformats-officedocument.")
    assert not document.thumbnail


def assert_nothing_stored(first, media) -> None:  # type: ignore[no-untyped-def]
    assert Document.objects.count() == 0
    assert first.evidence_items.count() == 8
    assert stored_files(media) == []


TYPE_MESSAGE = "ไม่ใช่ชนิดที่รับ หรือเนื้อหาไม่ตรงกับนามสกุลไฟล์"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),  # HTML called .pdf
        ("photo.png", pdf_bytes()),  # a PDF called .png
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50),  # PNG signature, no image
        ("archive.docx", ooxml_bytes("xl/workbook.xml")),  # a spreadsheet called .docx
        ("plain.docx", b"PK\x03\x04 not really a zip"),
        ("notes.txt", b"plain text"),
    ],
)
def test_wrong_type_is_rejected(client, staff, first, media, name, content) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    response = upload(client, first, name, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert TYPE_MESSAGE in html
    assert 'class="card card-body bg-light kmt-add-form"' in html  # the form stays open
    assert_nothing_stored(first, media)


def test_empty_file_is_rejected(client, staff, first, media) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    html = upload(client, first, "empty.pdf", b"").content.decode()
    assert "ไฟล์นี้ว่างเปล่า" in html
    assert_nothing_stored(first, media)


def test_too_large_file_is_rejected(client, staff, first, media, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KMT_MAX_UPLOAD_MB = 1
    client.force_login(staff)
    big = pdf_bytes() + b"\n%" + b"x" * (1024 * 1024)
    html = upload(client, first, "big.pdf", big).content.decode()
    assert "ไฟล์มีขนาดใหญ่เกินไป" in html and "ไม่เกิน 1 MB" in html
    assert_nothing_stored(first, media)


def test_upload_without_htmx_shows_errors_on_a_page(client, staff, first, media) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    url = reverse("evidence:item_add", args=[first.pk])
    data = {"kind": "upload", "file": SimpleUploadedFile("x.exe", b"MZ")}
    response = client.post(url, data)
    assert response.status_code == 200
    assert TYPE_MESSAGE in response.content.decode()
    assert_nothing_stored(first, media)
    data = {"kind": "upload", "file": SimpleUploadedFile("ok.pdf", pdf_bytes())}
    response = client.post(url, data)
    assert response.status_code == 302


def test_failed_write_leaves_no_orphan_file(client, staff, first, media, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(item_services, "_append", broken)
    client.force_login(staff)
    with pytest.raises(RuntimeError):
        upload(client, first, "photo.png", image_bytes("PNG"))
    assert_nothing_stored(first, media)


def test_qa_officer_cannot_upload(client, qa_officer, first, media) -> None:  # type: ignore[no-untyped-def]
    client.force_login(qa_officer)
    assert upload(client, first, "a.pdf", pdf_bytes()).status_code == 403
    assert_nothing_stored(first, media)


def test_outsider_cannot_upload(client, outsider, first, media) -> None:  # type: ignore[no-untyped-def]
    client.force_login(outsider)
    assert upload(client, first, "a.pdf", pdf_bytes()).status_code == 404
    assert client.get(reverse("evidence:item_add", args=[first.pk])).status_code == 404
    assert_nothing_stored(first, media)


# --- Opening files ----------------------------------------------------------------


@pytest.fixture
def stored_pdf(first, staff, media) -> tuple[Document, bytes]:  # type: ignore[no-untyped-def]
    content = pdf_bytes("เปิด")
    item, _ = evidence_item_add_upload(
        result=first,
        upload=SimpleUploadedFile("รายงานการประชุม ครั้งที่ 1-2563.pdf", content),
        content_type="application/pdf",
        caption="รายงาน",
        by=staff,
    )
    return item.document, content


def test_download_for_staff_and_qa(client, staff, qa_officer, stored_pdf) -> None:  # type: ignore[no-untyped-def]
    document, content = stored_pdf
    assert document.get_absolute_url() == reverse("evidence:document_download", args=[document.pk])
    for user in (staff, qa_officer):
        client.force_login(user)
        response = client.get(document.get_absolute_url())
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline;")
        assert document.original_name == "รายงานการประชุม ครั้งที่ 1-2563.pdf"
        assert quote(document.original_name) in response["Content-Disposition"]
        assert "private" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == content


def test_files_are_hidden_from_outsider(client, outsider, stored_pdf) -> None:  # type: ignore[no-untyped-def]
    document, _ = stored_pdf
    client.force_login(outsider)
    assert client.get(document.get_absolute_url()).status_code == 404
    thumbnail = reverse("evidence:document_thumbnail", args=[document.pk])
    assert client.get(thumbnail).status_code == 404


def test_files_need_sign_in(client, stored_pdf) -> None:  # type: ignore[no-untyped-def]
    document, _ = stored_pdf
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pdf_has_no_thumbnail(client, staff, stored_pdf) -> None:  # type: ignore[no-untyped-def]
    document, _ = stored_pdf
    client.force_login(staff)
    assert client.get(reverse("evidence:document_thumbnail", args=[document.pk])).status_code == 404
