"""Evidence item views: links, library documents and uploads (accepted kinds, deduplication,
refusals that store nothing), captions, moving, removing and replacing a file; codes follow.
A write refused because the assessment was submitted meanwhile changes nothing."""

import hashlib
from pathlib import Path
from typing import Any, NoReturn

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from evidence.models import Document, EvidenceItem
from evidence.services import items as item_services
from evidence.views import items as item_views
from indicators.models import Assessment, CriterionResult
from tests.evidence.conftest import snapshot, stored_files, submitted_after_load
from tests.factories import (
    DocumentFactory,
    UnitFactory,
    image_bytes,
    ooxml_bytes,
    pdf_bytes,
    set_status,
)
from tests.storages import StoredFiles

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

Status = Assessment.Status


def _item(assessment: Assessment) -> EvidenceItem:
    return EvidenceItem.objects.filter(result__assessment=assessment).order_by(
        "result", "position"
    )[0]


@pytest.fixture
def first(assessment: Assessment) -> CriterionResult:
    return assessment.results.get(criterion__order=1)


def captions(result: CriterionResult) -> list[str]:
    return list(result.evidence_items.order_by("position").values_list("caption", flat=True))


def add(client: Client, result: CriterionResult, **data: Any) -> HttpResponse:
    return client.post(reverse("evidence:item_add", args=[result.pk]), data, headers=HTMX)


def test_add_form_opens_in_place(client: Client, staff: User, first: CriterionResult) -> None:
    client.force_login(staff)
    response = client.get(reverse("evidence:item_add", args=[first.pk]), headers=HTMX)
    html = response.content.decode()
    assert f'id="evidence-{first.pk}"' in html
    assert "อัปโหลดไฟล์" in html and "ลิงก์" in html and "จากคลังเอกสาร" in html
    assert 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.pptx"' in html
    assert f'id="add-{first.pk}-upload-file"' in html
    # Without htmx it is a page of its own.
    page = client.get(reverse("evidence:item_add", args=[first.pk]))
    assert "<html" in page.content.decode()


def test_add_link(client: Client, staff: User, first: CriterionResult) -> None:
    client.force_login(staff)
    html = add(
        client, first, kind="link", url="https://www.stou.ac.th/km", caption=""
    ).content.decode()
    assert "เพิ่มหลักฐาน สพ 3-1 (4) แล้ว" in html
    item = first.evidence_items.get(position=4)
    assert item.url == "https://www.stou.ac.th/km" and item.caption == ""


@pytest.mark.parametrize(
    "url",
    ["ftp://files.example.org/a.pdf", "javascript:alert(1)", "file:///etc/passwd", "not a link"],
)
def test_non_http_link_is_rejected(
    client: Client, staff: User, first: CriterionResult, url: str
) -> None:
    client.force_login(staff)
    html = add(client, first, kind="link", url=url, caption="ลิงก์").content.decode()
    assert "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https:// เท่านั้น" in html
    assert first.evidence_items.count() == 3


def test_add_from_library(client: Client, staff: User, first: CriterionResult) -> None:
    document = DocumentFactory(unit=first.assessment.unit, title="แผนการจัดการความรู้")
    client.force_login(staff)
    form = client.get(reverse("evidence:item_add", args=[first.pk]), headers=HTMX)
    assert "แผนการจัดการความรู้" in form.content.decode()
    add(client, first, kind="library", document=document.pk, caption="")
    item = first.evidence_items.get(position=4)
    assert item.document == document and item.caption == "แผนการจัดการความรู้"


def test_library_of_another_unit_is_refused(
    client: Client, staff: User, first: CriterionResult
) -> None:
    theirs = DocumentFactory(unit=UnitFactory(), title="ของหน่วยงานอื่น")
    client.force_login(staff)
    form = client.get(reverse("evidence:item_add", args=[first.pk]), headers=HTMX)
    assert "ของหน่วยงานอื่น" not in form.content.decode()
    html = add(client, first, kind="library", document=theirs.pk).content.decode()
    assert "ไม่พบเอกสารนี้ในคลังของหน่วยงาน" in html
    assert first.evidence_items.count() == 3


def test_edit_caption(client: Client, staff: User, first: CriterionResult) -> None:
    item = first.evidence_items.get(position=2)
    url = reverse("evidence:item_edit", args=[item.pk])
    client.force_login(staff)
    form = client.get(url, headers=HTMX).content.decode()
    assert f'id="item-{item.pk}-caption"' in form and item.caption in form
    html = client.post(url, {"caption": "  ชื่อใหม่  "}, headers=HTMX).content.decode()
    assert "แก้ไข สพ 3-1 (2) แล้ว" in html
    item.refresh_from_db()
    assert item.caption == "ชื่อใหม่"
    assert item.history.first().history_user == staff


def test_empty_caption_is_refused(client: Client, staff: User, first: CriterionResult) -> None:
    item = first.evidence_items.get(position=2)
    client.force_login(staff)
    url = reverse("evidence:item_edit", args=[item.pk])
    html = client.post(url, {"caption": " "}, headers=HTMX).content.decode()
    assert "กรุณาใส่ชื่อรายการเอกสารอ้างอิง" in html
    item.refresh_from_db()
    assert item.caption


def test_move_up_and_down(client: Client, staff: User, first: CriterionResult) -> None:
    before = captions(first)
    item = first.evidence_items.get(position=3)
    url = reverse("evidence:item_move", args=[item.pk])
    client.force_login(staff)
    html = client.post(url, {"direction": "up"}, headers=HTMX).content.decode()
    assert captions(first) == [before[0], before[2], before[1], *before[3:]]
    # The swapped list shows the renumbered codes at once.
    assert html.index(before[2]) < html.index(before[1])
    client.post(url, {"direction": "down"}, headers=HTMX)
    assert captions(first) == before
    assert client.post(url, {"direction": "sideways"}, headers=HTMX).status_code == 400


def test_move_to_first_place(client: Client, staff: User, first: CriterionResult) -> None:
    before = captions(first)
    item = first.evidence_items.get(position=3)
    client.force_login(staff)
    response = client.post(reverse("evidence:item_move", args=[item.pk]), {"direction": "first"})
    assert response.status_code == 302
    assert captions(first) == [before[2], *before[:2]]


def test_remove_closes_the_gap(client: Client, staff: User, first: CriterionResult) -> None:
    before = captions(first)
    item = first.evidence_items.get(position=1)
    client.force_login(staff)
    html = client.post(
        reverse("evidence:item_remove", args=[item.pk]), headers=HTMX
    ).content.decode()
    assert "ลบ สพ 3-1 (1) แล้ว" in html
    assert captions(first) == before[1:]
    assert "สพ 3-1 (2)" in html and "สพ 3-1 (3)" not in html
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()


def test_evidence_list_refresh(
    client: Client, staff: User, qa_officer: User, outsider: User, first: CriterionResult
) -> None:
    url = reverse("evidence:result_evidence", args=[first.pk])
    client.force_login(staff)
    assert "สพ 3-1 (3)" in client.get(url, headers=HTMX).content.decode()
    client.force_login(qa_officer)
    html = client.get(url, headers=HTMX).content.decode()
    assert "สพ 3-1 (3)" in html and "kmt-remove" not in html
    client.force_login(outsider)
    assert client.get(url, headers=HTMX).status_code == 404


def actions(first: CriterionResult) -> list[tuple[str, dict[str, str]]]:
    item = first.evidence_items.get(position=1)
    return [
        (reverse("evidence:item_add", args=[first.pk]), {"kind": "link", "url": "https://a.th"}),
        (reverse("evidence:item_edit", args=[item.pk]), {"caption": "แก้"}),
        (reverse("evidence:item_move", args=[item.pk]), {"direction": "down"}),
        (reverse("evidence:item_remove", args=[item.pk]), {}),
    ]


def test_qa_officer_cannot_change_evidence(
    client: Client, qa_officer: User, first: CriterionResult
) -> None:
    before = captions(first)
    client.force_login(qa_officer)
    for url, data in actions(first):
        assert client.post(url, data, headers=HTMX).status_code == 403, url
    assert captions(first) == before


def test_outsider_gets_404_on_every_action(
    client: Client, outsider: User, first: CriterionResult
) -> None:
    before = captions(first)
    client.force_login(outsider)
    for url, data in actions(first):
        assert client.post(url, data, headers=HTMX).status_code == 404, url
        assert client.get(url).status_code in (404, 405), url
    assert captions(first) == before


def test_locked_assessment_refuses_evidence_changes(
    client: Client, staff: User, assessment: Assessment, first: CriterionResult
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    before = captions(first)
    client.force_login(staff)
    for url, data in actions(first):
        assert client.post(url, data, headers=HTMX).status_code == 403, url
    assert captions(first) == before


# --- Submitted while the page was open --------------------------------------------------


def test_add_view_refuses_when_submitted_meanwhile(
    client: Client,
    staff: Any,
    assessment: Assessment,
    first: CriterionResult,
    media: Path,
    monkeypatch,
) -> None:
    client.force_login(staff)
    submitted_after_load(monkeypatch, item_views, "get_criterion_result_for_user")
    before = snapshot(assessment)
    data = {"kind": "upload", "file": SimpleUploadedFile("a.pdf", pdf_bytes("a")), "caption": ""}
    response = client.post(reverse("evidence:item_add", args=[first.pk]), data, headers=HTMX)
    assert response.status_code == 403  # PermissionDenied, as when already locked at load
    assert snapshot(assessment) == before and stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("item_edit", {"caption": "แก้แล้ว"}),
        ("item_move", {"direction": "down"}),
        ("item_remove", {}),
        ("item_replace", {"file": "upload"}),
    ],
)
def test_item_views_refuse_when_submitted_meanwhile(
    client: Client,
    staff: Any,
    assessment: Assessment,
    first: CriterionResult,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    data: dict[str, Any],
) -> None:
    client.force_login(staff)
    item = first.evidence_items.get(position=1)
    submitted_after_load(monkeypatch, item_views, "get_evidence_item_for_user")
    if "file" in data:
        data = {"file": SimpleUploadedFile("b.pdf", pdf_bytes("b"))}
    before = snapshot(assessment)
    response = client.post(reverse(f"evidence:{name}", args=[item.pk]), data, headers=HTMX)
    assert response.status_code == 403  # PermissionDenied, as when already locked at load
    assert snapshot(assessment) == before and stored_files(media) == []


# --- Replacing a file the reviewer asked to fix -----------------------------------------


def test_replace_file_personas(client, assessment, staff, qa_officer, outsider) -> None:
    item = _item(assessment)
    EvidenceItem.objects.filter(pk=item.pk).update(review_status="needs_fix")
    url = reverse("evidence:item_replace", args=[item.pk])

    def upload() -> dict:
        return {"file": SimpleUploadedFile("new.pdf", pdf_bytes("new"), "application/pdf")}

    client.force_login(outsider)
    assert client.post(url, upload()).status_code == 404
    client.force_login(qa_officer)
    assert client.post(url, upload()).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 200
    response = client.post(url, upload())
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.document is not None and item.document.original_name == "new.pdf"
    assert item.review_status == EvidenceItem.Review.PENDING
    assert item.position == 1  # the code stays
    set_status(assessment, Status.SUBMITTED)
    assert client.post(url, upload()).status_code == 403


def test_replacing_a_bare_link_keeps_its_address_as_the_caption(
    client: Client, assessment: Assessment, staff: Any
) -> None:
    """A link item with no caption (as 'สพ 3-4 (9)' in the seed) replaced by a file."""
    result = assessment.results.get(criterion__order=1)
    item = EvidenceItem.objects.create(result=result, position=99, url="https://km.example.th/")
    client.force_login(staff)
    data = {"file": SimpleUploadedFile("km.pdf", pdf_bytes("km"), "application/pdf")}
    response = client.post(reverse("evidence:item_replace", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.caption, item.url) == ("https://km.example.th/", "")
    assert item.document is not None and item.document.original_name == "km.pdf"


def test_a_replaced_file_is_stored_and_served(
    client: Client, assessment: Assessment, staff: User, file_storage: StoredFiles
) -> None:
    """On the local disk and on S3: the new file is stored once and downloads whole."""
    item = _item(assessment)
    EvidenceItem.objects.filter(pk=item.pk).update(review_status="needs_fix")
    content = pdf_bytes("ฉบับแก้ไข")
    client.force_login(staff)
    data = {"file": SimpleUploadedFile("แก้ไข.pdf", content, "application/pdf")}
    assert client.post(reverse("evidence:item_replace", args=[item.pk]), data).status_code == 302
    item.refresh_from_db()
    assert item.document is not None and item.document.original_name == "แก้ไข.pdf"
    assert file_storage.names() == [item.document.file.name]
    response = client.get(item.document.get_absolute_url())
    assert b"".join(response.streaming_content) == content


# --- Uploads ----------------------------------------------------------------------------


def upload(
    client: Client,
    result: CriterionResult,
    name: str,
    content: bytes,
    caption: str = "",
    **extra: Any,
) -> HttpResponse:
    url = reverse("evidence:item_add", args=[result.pk])
    data = {"kind": "upload", "file": SimpleUploadedFile(name, content), "caption": caption}
    return client.post(url, data, headers=HTMX, **extra)


def test_upload_pdf_adds_item_and_document(
    client: Client, staff: User, first: CriterionResult, file_storage: StoredFiles
) -> None:
    client.force_login(staff)
    content = pdf_bytes("หนึ่ง")
    response = upload(client, first, "รายงานการประชุม.pdf", content, caption="รายงานการประชุม 2/2563")
    html = response.content.decode()
    assert response.status_code == 200
    assert "เพิ่มหลักฐาน สพ 3-1 (4) แล้ว" in html
    assert "สพ 3-1 (4)" in html and "รายงานการประชุม 2/2563" in html
    document = Document.objects.get()
    assert document.unit == first.assessment.unit
    assert document.original_name == "รายงานการประชุม.pdf"
    assert document.size == len(content)
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.uploaded_by == staff
    assert "รายงานการประชุม" not in document.file.name  # stored under an unguessable name
    assert file_storage.names() == [document.file.name]
    assert file_storage.read(document.file.name) == content
    item = first.evidence_items.get(position=4)
    assert item.document == document and item.code == "สพ 3-1 (4)"


def test_caption_defaults_to_file_name(
    client: Client, staff: User, first: CriterionResult, media: Path
) -> None:
    client.force_login(staff)
    upload(client, first, "คำสั่งแต่งตั้ง.pdf", pdf_bytes())
    assert first.evidence_items.get(position=4).caption == "คำสั่งแต่งตั้ง"


def test_same_file_twice_is_one_document(
    client: Client,
    staff: User,
    assessment: Assessment,
    first: CriterionResult,
    file_storage: StoredFiles,
) -> None:
    client.force_login(staff)
    content = pdf_bytes("ซ้ำ")
    upload(client, first, "a.pdf", content)
    second = assessment.results.get(criterion__order=2)
    response = upload(client, second, "ชื่ออื่น.pdf", content)
    assert "มีอยู่ในคลังเอกสารของหน่วยงานแล้ว" in response.content.decode()
    assert Document.objects.count() == 1
    assert EvidenceItem.objects.filter(document__isnull=False).count() == 2
    assert len(file_storage.names()) == 1


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.png", image_bytes("PNG"), "image/png"),
        ("photo.JPG", image_bytes("JPEG"), "image/jpeg"),
    ],
)
def test_image_gets_a_thumbnail(
    client: Client,
    staff: User,
    first: CriterionResult,
    file_storage: StoredFiles,
    name: str,
    content: bytes,
    content_type: str,
) -> None:
    client.force_login(staff)
    html = upload(client, first, name, content).content.decode()
    document = Document.objects.get()
    assert document.content_type == content_type
    assert document.thumbnail
    assert file_storage.names() == sorted([document.file.name, document.thumbnail.name])
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
def test_office_files_are_accepted(
    client: Client, staff: User, first: CriterionResult, media: Path, name: str, main_part: str
) -> None:
    client.force_login(staff)
    upload(client, first, name, ooxml_bytes(main_part))
    document = Document.objects.get()
    assert document.content_type.startswith("application/vnd.openxmlformats-officedocument.")
    assert not document.thumbnail


def assert_nothing_stored(first: CriterionResult, media: Path) -> None:
    assert Document.objects.count() == 0
    assert first.evidence_items.count() == 3
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
def test_wrong_type_is_rejected(
    client: Client, staff: User, first: CriterionResult, media: Path, name: str, content: bytes
) -> None:
    client.force_login(staff)
    response = upload(client, first, name, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert TYPE_MESSAGE in html
    assert 'class="card card-body bg-light kmt-add-form"' in html  # the form stays open
    assert_nothing_stored(first, media)


def test_empty_file_is_rejected(
    client: Client, staff: User, first: CriterionResult, media: Path
) -> None:
    client.force_login(staff)
    html = upload(client, first, "empty.pdf", b"").content.decode()
    assert "ไฟล์นี้ว่างเปล่า" in html
    assert_nothing_stored(first, media)


def test_too_large_file_is_rejected(
    client: Client, staff: User, first: CriterionResult, media: Path, settings: Settings
) -> None:
    settings.KMT_MAX_UPLOAD_MB = 1
    client.force_login(staff)
    big = pdf_bytes() + b"\n%" + b"x" * (1024 * 1024)
    html = upload(client, first, "big.pdf", big).content.decode()
    assert "มีขนาดใหญ่เกินไป" in html and "ไม่เกิน 1 MB" in html
    assert_nothing_stored(first, media)


def test_upload_without_htmx_shows_errors_on_a_page(
    client: Client, staff: User, first: CriterionResult, media: Path
) -> None:
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


def test_failed_write_leaves_no_orphan_file(
    client: Client,
    staff: User,
    first: CriterionResult,
    file_storage: StoredFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError("database went away")

    monkeypatch.setattr(item_services, "_append", broken)
    client.force_login(staff)
    with pytest.raises(RuntimeError):
        upload(client, first, "photo.png", image_bytes("PNG"))
    assert not EvidenceItem.objects.filter(result=first, position__gt=3).exists()
    assert Document.objects.count() == 0 and file_storage.names() == []


def test_qa_officer_cannot_upload(
    client: Client, qa_officer: User, first: CriterionResult, media: Path
) -> None:
    client.force_login(qa_officer)
    assert upload(client, first, "a.pdf", pdf_bytes()).status_code == 403
    assert_nothing_stored(first, media)


def test_outsider_cannot_upload(
    client: Client, outsider: User, first: CriterionResult, media: Path
) -> None:
    client.force_login(outsider)
    assert upload(client, first, "a.pdf", pdf_bytes()).status_code == 404
    assert client.get(reverse("evidence:item_add", args=[first.pk])).status_code == 404
    assert_nothing_stored(first, media)
