"""The SAR as Word, read back with python-docx: the seed's layout (heading, type, period,
the three-column table with evidence codes), A4 with 3 cm / 2 cm margins, Thai text in
TH Sarabun New as Word's complex script; and from the buttons through the worker."""

import io
from io import StringIO
from pathlib import Path

import docx
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from docx.oxml.ns import qn

from evidence.models import EvidenceItem
from indicators.models import Assessment, ReportJob
from indicators.reports import word

pytestmark = pytest.mark.django_db


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def all_text(document: docx.document.Document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_indicator_as_the_seed_lays_it_out(demo: Assessment) -> None:
    document = read(word.indicator_document(assessment=demo))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.left_margin.cm, 2), round(section.right_margin.cm, 2)) == (3.0, 2.0)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == f"ตัวบ่งชี้ที่ 3 {demo.indicator.title}"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "ชนิดของตัวบ่งชี้ กระบวนการ" in text and "รอบปีที่ใช้นับผลงาน : ปีงบประมาณ" in text
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "เกณฑ์มาตรฐาน", "ผลการดำเนินงานตามเกณฑ์", "รายการเอกสารอ้างอิง",
    ]  # fmt: skip
    # The header row repeats on every page the table runs onto.
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    results = list(demo.results.order_by("criterion__order"))
    assert len(table.rows) == 1 + len(results)
    for row, result in zip(table.rows[1:], results, strict=True):
        criterion, narrative, evidence = (cell.text for cell in row.cells)
        assert criterion.startswith(f"{result.criterion.order}. ")
        # Editable text, line for line as typed.
        assert narrative == result.narrative.replace("\r\n", "\n").strip("\n")
        # Each item's code and caption, a link on its own line under them.
        codes = [line.split(" ", 3)[:3] for line in evidence.splitlines() if line[:4] != "http"]
        assert [" ".join(code) for code in codes] == [
            item.code for item in result.evidence_items.order_by("position")
        ]
    # Thai is set as Word's complex script in TH Sarabun New, 16 pt body.
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "TH Sarabun New" == fonts.get(qn("w:ascii"))
    size = document.styles["Normal"].element.rPr.find(qn("w:szCs"))
    assert size.get(qn("w:val")) == "32"
    assert document.core_properties.title.startswith("สำนักพิมพ์ ตัวบ่งชี้ที่ 3")
    assert "คะแนนการประเมินตนเอง" in all_text(document)


def test_the_annual_sar_has_cover_contents_summary_and_index(demo: Assessment) -> None:
    data = word.unit_sar_document(unit=demo.unit, cycle=demo.indicator.cycle)
    document = read(data)
    text = all_text(document)
    for part in ("รายงานการประเมินตนเอง", "สารบัญ", "สรุปผลการประเมินตนเอง", "ดัชนีเอกสารอ้างอิง"):
        assert part in text, part
    assert document.paragraphs[2].text == "สำนักพิมพ์"  # the cover names the unit
    index = document.tables[-1]
    codes = [row.cells[0].text for row in index.rows[1:]]
    assert codes[0] == "สพ 3-1 (1)" and len(codes) == 31
    # Every criterion, every narrative line for line, every code, as text.
    lines = set(text.split("\n"))
    for result in demo.results.select_related("criterion"):
        assert f"{result.criterion.order}. {result.criterion.text}" in lines
        for line in result.narrative.replace("\r\n", "\n").strip("\n").split("\n"):
            assert line in lines, line
        for item in EvidenceItem.objects.with_code_parts().filter(result=result):
            assert any(line.startswith(item.code) for line in lines), item.code


def test_the_word_buttons_go_through_the_worker(
    client: Client, demo: Assessment, staff: User, outsider: User
) -> None:
    client.force_login(staff)
    page = client.get(demo.get_absolute_url()).content.decode()
    assert 'name="format" value="docx"' in page
    urls = [
        reverse("indicators:assessment_pdf", args=[demo.pk]),
        reverse("indicators:unit_sar_pdf", args=[demo.unit_id, demo.indicator.cycle_id]),
    ]
    for url in urls:
        client.post(url, {"format": "docx"})
    jobs = list(ReportJob.objects.order_by("pk"))
    assert [(job.kind, job.status) for job in jobs] == [
        ("indicator_docx", "done"), ("unit_sar_docx", "done"),
    ]  # fmt: skip
    for job in jobs:
        assert job.file.name.endswith(".docx")
        assert "ดาวน์โหลดไฟล์ Word" in client.get(job.get_absolute_url()).content.decode()
        response = client.get(reverse("indicators:report_job_download", args=[job.pk]))
        content = b"".join(response.streaming_content)
        assert response["Content-Type"] == word.WORD_MIMETYPE
        assert ".docx" in response["Content-Disposition"]
        assert "เกณฑ์มาตรฐาน" in all_text(read(content))
    client.force_login(outsider)
    assert client.post(urls[0], {"format": "docx"}).status_code == 404


def test_render_sar_writes_word(demo: Assessment, tmp_path: Path) -> None:
    target = tmp_path / "sar.docx"
    out = StringIO()
    call_command(
        "render_sar", "--unit", "สพ", "--year", "2563", "--format", "docx",
        "--output", str(target), stdout=out,
    )  # fmt: skip
    assert "สารบัญ" in all_text(read(target.read_bytes()))
    call_command(
        "render_sar", "--unit", "สพ", "--year", "2563", "--indicator", "3", "--format", "docx",
        "--output", str(target), stdout=out,
    )  # fmt: skip
    assert "สารบัญ" not in all_text(read(target.read_bytes()))
    with pytest.raises(CommandError, match="one unit only"):
        call_command(
            "render_sar", "--year", "2563", "--university", "--format", "docx",
            "--output", str(target),
        )  # fmt: skip
