"""Importing the SAR page from Word in the browser: who may, the preview (new / changed /
same) beside what the app holds, nothing written before the confirmation, the three text
encodings, a damaged file refused in Thai, and a stale confirmation refused."""

import io
import re
from typing import Any

import docx
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evidence.models import EvidenceItem
from indicators.models import Assessment, Criterion, CriterionResult
from indicators.reports import word
from indicators.sar_docx import docx_to_sar_text
from indicators.sar_text import HEADINGS
from tests.factories import QAAdminFactory, set_status

pytestmark = pytest.mark.django_db

NEW_NARRATIVE = "หน่วยงานจัดประชุมคณะทำงานการจัดการความรู้ 3 ครั้ง และสรุปประเด็นความรู้"


@pytest.fixture
def qa_admin(db: None) -> User:
    return QAAdminFactory(username="dora")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(assessment: Assessment) -> str:
    return reverse("indicators:sar_upload", args=[assessment.pk])


def upload(data: bytes, name: str = "sar.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def state(assessment: Assessment) -> list[Any]:
    """Everything the import may write, to show that nothing was."""
    results = CriterionResult.objects.filter(assessment=assessment).order_by("criterion__order")
    items = EvidenceItem.objects.filter(result__assessment=assessment).order_by("pk")
    return [
        [(r.criterion.text, r.narrative, r.met, r.version) for r in results],
        [(i.result_id, i.position, i.caption, i.url) for i in items],
        list(Criterion.objects.order_by("pk").values_list("text", flat=True)),
    ]


def edited_page(assessment: Assessment) -> bytes:
    """The page as Word, then the app changed behind it: criterion 1's narrative differs
    from the file's, criterion 2's last item is gone (the file has it), and criterion
    3's first caption differs. Criteria 4 and 5 are the same in both."""
    data = word.indicator_document(assessment=assessment)
    first, second, third = assessment.results.order_by("criterion__order")[:3]
    CriterionResult.objects.filter(pk=first.pk).update(narrative="ข้อความเดิมในระบบ")
    second.evidence_items.filter(position=3).delete()
    third.evidence_items.filter(position=1).update(caption="คำบรรยายเดิม")
    document = docx.Document(io.BytesIO(data))
    table = document.tables[0]
    table.rows[1].cells[1].text = NEW_NARRATIVE
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def preview(client: Client, assessment: Assessment, data: bytes, name: str = "sar.docx") -> Any:
    response = client.post(url(assessment), {"file": upload(data, name)})
    assert response.status_code == 200
    return response


def payload(response: Any) -> str:
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    assert match, "no confirmation form on the page"
    return match.group(1)


def statuses(response: Any) -> dict[int, str]:
    page = response.content.decode()
    found = re.findall(r'data-status="(\w+)" id="kmt-sar-criterion-(\d+)"', page)
    return {int(order): status for status, order in found}


def test_staff_of_the_unit_previews_then_confirms(staff: User, assessment: Assessment) -> None:
    client = signed_in(staff)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert url(assessment) in page and "นำเข้าจากไฟล์ Word" in page
    data = edited_page(assessment)
    before = state(assessment)
    response = preview(client, assessment, data)
    assert statuses(response) == {1: "changed", 2: "changed", 3: "changed", 4: "same", 5: "same"}
    text = response.content.decode()
    assert "ข้อความเดิมในระบบ" in text and NEW_NARRATIVE in text  # the word diff shows both
    assert "<del>" in text and "<ins>" in text
    assert "คำบรรยายเดิม" in text  # the held caption beside the file's
    assert "เกณฑ์ที่ใหม่ 0 ข้อ เปลี่ยน 3 ข้อ เหมือนเดิม 2 ข้อ" in text
    # Narratives the file does not change are folded away (2 and 3 changed evidence only).
    folded = re.findall(r'id="kmt-sar-criterion-(\d+)".*?(<details|<del>|</article>)', text, re.S)
    assert [(int(n), tag) for n, tag in folded] == [
        (1, "<del>"),
        (2, "<details"),
        (3, "<details"),
        (4, "<details"),
        (5, "<details"),
    ]
    assert state(assessment) == before  # nothing written before the confirmation

    done = client.post(url(assessment), {"confirm": "1", "payload": payload(response)})
    assert done.status_code == 302 and done["Location"] == assessment.get_absolute_url()
    first, second, third = assessment.results.order_by("criterion__order")[:3]
    assert first.narrative == NEW_NARRATIVE
    assert first.version == 2  # an edit form opened before the import cannot save over it
    assert second.evidence_items.filter(position=3).exists()
    assert third.evidence_items.get(position=1).caption == "หลักฐานเกณฑ์ข้อ 3 ชิ้นที่ 1"
    followed = client.get(done["Location"]).content.decode()
    assert "นำเข้าจากไฟล์แล้ว" in followed


def test_a_new_criterion_result_is_marked_new(staff: User, assessment: Assessment) -> None:
    data = word.indicator_document(assessment=assessment)
    assessment.results.get(criterion__order=5).delete()
    response = preview(signed_in(staff), assessment, data)
    assert statuses(response) == {1: "same", 2: "same", 3: "same", 4: "same", 5: "new"}


def test_the_same_file_changes_nothing_and_offers_no_confirmation(
    staff: User, assessment: Assessment
) -> None:
    response = preview(signed_in(staff), assessment, word.indicator_document(assessment=assessment))
    assert set(statuses(response).values()) == {"same"}
    assert "การนำเข้าจะไม่เปลี่ยนแปลงอะไร" in response.content.decode()
    assert 'name="payload"' not in response.content.decode()


def test_who_may_import(
    staff: User, qa_officer: User, outsider: User, qa_admin: User, assessment: Assessment
) -> None:
    data = edited_page(assessment)
    assert signed_in(outsider).get(url(assessment)).status_code == 404
    assert signed_in(outsider).post(url(assessment), {"file": upload(data)}).status_code == 404
    officer = signed_in(qa_officer)
    assert officer.get(url(assessment)).status_code == 403
    assert officer.post(url(assessment), {"file": upload(data)}).status_code == 403
    assert url(assessment) not in officer.get(assessment.get_absolute_url()).content.decode()
    # A signed confirmation made for someone who may does not let the officer write.
    token = payload(preview(signed_in(staff), assessment, data))
    before = state(assessment)
    assert officer.post(url(assessment), {"confirm": "1", "payload": token}).status_code == 403
    assert state(assessment) == before
    admin = signed_in(qa_admin)
    assert admin.get(url(assessment)).status_code == 200
    done = admin.post(url(assessment), {"confirm": "1", "payload": token})
    assert done.status_code == 302
    assert assessment.results.get(criterion__order=1).narrative == NEW_NARRATIVE


@pytest.mark.parametrize("status", [Assessment.Status.SUBMITTED, Assessment.Status.APPROVED])
def test_a_submitted_or_approved_assessment_is_refused(
    staff: User, assessment: Assessment, status: str
) -> None:
    client = signed_in(staff)
    token = payload(preview(client, assessment, edited_page(assessment)))
    set_status(assessment, status)
    before = state(assessment)
    for response in (
        client.get(url(assessment)),
        client.post(url(assessment), {"confirm": "1", "payload": token}),
    ):
        assert response.status_code == 403
        assert "แก้ไขไม่ได้" in response.content.decode()
    assert state(assessment) == before


def test_a_stale_confirmation_is_refused(staff: User, assessment: Assessment) -> None:
    client = signed_in(staff)
    token = payload(preview(client, assessment, edited_page(assessment)))
    # Someone saves a narrative between the preview and the confirmation.
    CriterionResult.objects.filter(assessment=assessment, criterion__order=4).update(
        narrative="บันทึกโดยผู้อื่นระหว่างนั้น"
    )
    before = state(assessment)
    response = client.post(url(assessment), {"confirm": "1", "payload": token})
    assert response.status_code == 200
    text = response.content.decode()
    assert "มีผู้แก้ไขผลการประเมินนี้หลังจากที่คุณตรวจสอบไฟล์" in text
    assert state(assessment) == before
    assert statuses(response)[4] == "changed"  # the fresh preview shows their save
    assert payload(response) != token


def test_a_tampered_confirmation_writes_nothing(staff: User, assessment: Assessment) -> None:
    client = signed_in(staff)
    token = payload(preview(client, assessment, edited_page(assessment)))
    before = state(assessment)
    response = client.post(url(assessment), {"confirm": "1", "payload": token[:-3] + "abc"})
    assert "ข้อมูลที่อ่านจากไฟล์เสียหาย" in response.content.decode()
    assert state(assessment) == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp874"])
def test_text_in_each_encoding_through_the_page(
    staff: User, assessment: Assessment, encoding: str
) -> None:
    text = docx_to_sar_text(edited_page(assessment))
    data = text.encode(encoding)  # utf-16 writes its byte-order mark
    client = signed_in(staff)
    response = preview(client, assessment, data, name="sar.txt")
    assert statuses(response)[1] == "changed"
    client.post(url(assessment), {"confirm": "1", "payload": payload(response)})
    assert assessment.results.get(criterion__order=1).narrative == NEW_NARRATIVE


def _wrong_row() -> bytes:
    document = docx.Document()
    document.add_paragraph("ตัวบ่งชี้ที่ 3 การพัฒนาหน่วยงานสู่องค์การการเรียนรู้")
    table = document.add_table(rows=1, cols=3)
    for cell, heading in zip(
        table.rows[0].cells,
        ("เกณฑ์มาตรฐาน", "ผลการดำเนินงานตามเกณฑ์", "รายการเอกสารอ้างอิง"),
        strict=True,
    ):
        cell.text = heading
    row = table.add_row()
    row.cells[1].merge(row.cells[2])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", "ไฟล์ Word เสียหาย"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".doc"),
        ("table.docx", _wrong_row(), "ตารางแถวที่ 2"),
    ],
)
def test_a_file_it_cannot_read_gets_a_thai_message_and_writes_nothing(
    staff: User, assessment: Assessment, name: str, data: bytes, message: str
) -> None:
    before = state(assessment)
    response = preview(signed_in(staff), assessment, data, name=name)
    text = response.content.decode()
    assert "อ่านไฟล์นี้ไม่ได้ จึงไม่ได้บันทึกข้อมูลใด ๆ" in text and message in text
    assert 'name="payload"' not in text
    assert state(assessment) == before


def test_an_error_names_the_table_row_and_column(staff: User, assessment: Assessment) -> None:
    document = docx.Document(io.BytesIO(word.indicator_document(assessment=assessment)))
    cell = document.tables[0].rows[3].cells[2]  # criterion 3's evidence
    cell.paragraphs[0].text = "สพ 3-3 (7) รหัสผิดลำดับ"
    out = io.BytesIO()
    document.save(out)
    response = preview(signed_in(staff), assessment, out.getvalue())
    text = response.content.decode()
    assert "ตารางแถวที่ 4 ช่อง “รายการเอกสารอ้างอิง”" in text
    assert "สพ 3-3 (1)" in text


def test_another_indicator_is_refused(staff: User, assessment: Assessment) -> None:
    text = docx_to_sar_text(word.indicator_document(assessment=assessment))
    text = text.replace("ตัวบ่งชี้ที่ 3 ", "ตัวบ่งชี้ที่ 4 ", 1)
    response = preview(signed_in(staff), assessment, text.encode(), name="sar.txt")
    assert "บรรทัดที่ 1: ไฟล์นี้เป็นตัวบ่งชี้ที่ 4 แต่หน้านี้คือตัวบ่งชี้ที่ 3" in (response.content.decode())


def test_a_file_that_changes_the_set_up_is_for_the_admin_only(
    staff: User, qa_admin: User, assessment: Assessment
) -> None:
    text = docx_to_sar_text(word.indicator_document(assessment=assessment))
    text = text.replace("กำหนดบุคลากรกลุ่มเป้าหมาย", "กำหนดบุคลากรเป้าหมาย", 1)
    response = preview(signed_in(staff), assessment, text.encode(), name="sar.txt")
    page = response.content.decode()
    assert "ข้อความของเกณฑ์ข้อ 2" in page and "ให้ผู้ดูแลระบบประกันคุณภาพนำเข้า" in page
    assert 'name="payload"' not in page
    # A confirmation forged from the admin's preview is refused for the staff too.
    token = payload(preview(signed_in(qa_admin), assessment, text.encode(), name="sar.txt"))
    before = state(assessment)
    refused = signed_in(staff).post(url(assessment), {"confirm": "1", "payload": token})
    assert "ให้ผู้ดูแลระบบประกันคุณภาพนำเข้า" in refused.content.decode()
    assert state(assessment) == before
    signed_in(qa_admin).post(url(assessment), {"confirm": "1", "payload": token})
    assert assessment.indicator.criteria.get(order=2).text.startswith("กำหนดบุคลากรเป้าหมาย")


def test_a_file_too_large_is_refused(
    staff: User, assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("indicators.forms.sar_upload.MAX_BYTES", 1024)
    response = preview(signed_in(staff), assessment, b"x" * 2048, name="sar.txt")
    assert "ไฟล์มีขนาดใหญ่เกินไป" in response.content.decode()


def test_what_the_file_lacks_is_kept_and_its_text_is_escaped(
    staff: User, assessment: Assessment
) -> None:
    text = docx_to_sar_text(word.indicator_document(assessment=assessment))
    text = text[: text.index("\t5. ")]  # the file stops after criterion 4
    text = text.replace(
        "ดำเนินการตามเกณฑ์ข้อ 1 ครบถ้วน", "ดำเนินการตามเกณฑ์ข้อ 1 <script>alert(1)</script>"
    )
    client = signed_in(staff)
    response = preview(client, assessment, text.encode("utf-8-sig"), name="sar.txt")
    assert statuses(response) == {1: "changed", 2: "same", 3: "same", 4: "same", 5: "kept"}
    page = response.content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    client.post(url(assessment), {"confirm": "1", "payload": payload(response)})
    assert assessment.results.get(criterion__order=5).evidence_items.count() == 3
    assert assessment.results.get(criterion__order=1).narrative.endswith(
        "<script>alert(1)</script>"
    )


def _error(response: Any) -> str:
    match = re.search(r'id="kmt-sar-error">(.*?)</div>', response.content.decode(), re.S)
    assert match, "no error on the page"
    return re.sub(r"<[^>]+>", " ", match.group(1))  # its text, without the markup


def _bad_text(assessment: Assessment) -> bytes:
    """The page as text with criterion 2's heading renumbered: refused on its line."""
    text = docx_to_sar_text(word.indicator_document(assessment=assessment))
    return text.replace("\t2. ", "\t7. ", 1).encode()


@pytest.mark.parametrize(
    ("name", "english", "thai"),
    [
        (
            "table.docx",
            r"Table row 2: it has 2 cells; the table must have 3 \(เกณฑ์มาตรฐาน \| "
            r"ผลการดำเนินงานตามเกณฑ์ \| รายการเอกสารอ้างอิง\)",
            "ตารางแถวที่ 2: มี 2 ช่อง ตารางต้องมี 3 ช่อง (เกณฑ์มาตรฐาน | "
            "ผลการดำเนินงานตามเกณฑ์ | รายการเอกสารอ้างอิง)",
        ),
        (
            "sar.txt",
            r"Line \d+: The evidence list or criterion 2 should come here",
            "ควรเป็นรายการเอกสารอ้างอิง หรือเกณฑ์ข้อที่ 2",
        ),
    ],
)
def test_a_file_it_cannot_read_is_explained_in_english_in_english_mode(
    staff: User, assessment: Assessment, name: str, english: str, thai: str
) -> None:
    """The place (table row, line) and the reason in English; Thai only in the column
    headings quoted from the document. The Thai page says the same in Thai."""
    data = _wrong_row() if name == "table.docx" else _bad_text(assessment)
    client = signed_in(staff)
    client.cookies["django_language"] = "en"
    message = _error(preview(client, assessment, data, name=name))
    assert re.search(english, message) and "nothing has been saved" in message
    assert not re.search(r"[\u0E00-\u0E7F]", re.sub("|".join(HEADINGS), "", message))
    thai_message = _error(preview(signed_in(staff), assessment, data, name=name))
    assert thai in thai_message and "ไม่ได้บันทึกข้อมูลใด ๆ" in thai_message
    assert not re.search(r"[A-Za-z]{4,}", thai_message)
