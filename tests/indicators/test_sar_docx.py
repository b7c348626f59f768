"""SAR pages from Word and from text in Word's encodings: the demo indicator exported as
.docx and imported into an empty database gives back the same criteria, narratives,
captions and links, character for character (and a second unit's); three .docx layouts;
three text encodings; a damaged file is refused in Thai and nothing is written."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import CommandError, call_command
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from evidence.models import EvidenceItem
from indicators.models import Assessment, Indicator, Unit
from indicators.reports import word
from indicators.sar_docx import SarFileError, decode_sar_text, docx_to_sar, docx_to_sar_text
from indicators.sar_text import SarFormatError, parse_sar
from tests.conftest import DATA_DIR
from tests.factories import (
    AssessmentFactory,
    CriterionFactory,
    CriterionResultFactory,
    CycleFactory,
    EvidenceItemFactory,
    IndicatorFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

PRESS = ("--unit-prefix", "สพ", "--unit-name", "สำนักพิมพ์", "--year", "2563")
LIBRARY = ("--unit-prefix", "สบ", "--unit-name", "สำนักบรรณสารสนเทศ", "--year", "2564",
           "--cycle-kind", "academic")  # fmt: skip


def content(assessment: Assessment) -> list[Any]:
    """What an import must give back: criteria, narratives, captions and links."""
    rows: list[Any] = []
    for result in assessment.results.select_related("criterion").order_by("criterion__order"):
        items = EvidenceItem.objects.with_code_parts().filter(result=result).order_by("position")
        rows.append(
            (
                result.criterion.order,
                result.criterion.text,
                result.narrative,
                [(item.code, item.caption, item.url) for item in items],
            )
        )
    return rows


def empty_database() -> None:
    """The round trips start from an empty database: flushed, which PostgreSQL allows
    only outside the test's transaction (hence transaction=True on those tests)."""
    call_command("flush", interactive=False, verbosity=0)
    assert not Unit.objects.exists()


def import_path(path: Path, *args: str) -> Assessment:
    call_command("import_sar", str(path), *args, stdout=io.StringIO())
    return Assessment.objects.get(unit__evidence_prefix=args[1])


@pytest.mark.django_db(transaction=True)
def test_the_demo_goes_round_trip_through_word(demo: Assessment, tmp_path: Path) -> None:
    before = content(demo)
    path = tmp_path / "sar.docx"
    path.write_bytes(word.indicator_document(assessment=demo))
    empty_database()
    after = import_path(path, *PRESS)
    assert content(after) == before
    assert after.indicator.title == demo.indicator.title


@pytest.mark.django_db(transaction=True)
def test_a_second_unit_goes_round_trip_too(tmp_path: Path) -> None:
    original = import_path(DATA_DIR / "sar_library_2564.txt", *LIBRARY)
    before = content(original)
    assert any(url for row in before for _, _, url in row[3])  # it has links
    path = tmp_path / "library.docx"
    path.write_bytes(word.indicator_document(assessment=original))
    empty_database()
    assert content(import_path(path, *LIBRARY)) == before


def _page(document: Any) -> None:
    document.add_paragraph("ตัวบ่งชี้ที่ 3 การพัฒนาหน่วยงานสู่องค์การการเรียนรู้")
    document.add_paragraph("ชนิดของตัวบ่งชี้ กระบวนการ")
    document.add_paragraph("รอบปีที่ใช้นับผลงาน : ปีงบประมาณ พ.ศ.2563 (1 ต.ค. 62 - 30 ก.ย. 63)")


CRITERIA = [
    ("1. มีการกำหนดประเด็นความรู้", ["ย่อหน้าแรกของผลการดำเนินงาน", "ย่อหน้าที่สอง"],
     ["สพ 3-1 (1) รายงานการประชุม ครั้งที่ 1/2563", "สพ 3-1 (2) คำสั่งแต่งตั้ง"]),
    ("2. กำหนดบุคลากรกลุ่มเป้าหมาย", ["กลุ่มเป้าหมาย 15 คน"],
     ["สพ 3-2 (1) รายชื่อกลุ่มเป้าหมาย", "สพ 3-2 (2)", "https://www.stou.ac.th/km"]),
]  # fmt: skip


def _expected(assessment: Assessment) -> None:
    rows = content(assessment)
    assert [row[1] for row in rows] == ["มีการกำหนดประเด็นความรู้", "กำหนดบุคลากรกลุ่มเป้าหมาย"]
    assert rows[0][2] == "ย่อหน้าแรกของผลการดำเนินงาน\nย่อหน้าที่สอง"
    assert rows[0][3] == [
        ("สพ 3-1 (1)", "รายงานการประชุม ครั้งที่ 1/2563", ""),
        ("สพ 3-1 (2)", "คำสั่งแต่งตั้ง", ""),
    ]
    assert rows[1][3][1] == ("สพ 3-2 (2)", "", "https://www.stou.ac.th/km")


def _table(document: Any) -> Any:
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("เกณฑ์มาตรฐาน", "ผลการดำเนินงานตามเกณฑ์",
                                               "รายการเอกสารอ้างอิง"), strict=True):  # fmt: skip
        cell.text = text
    return table


def test_a_table_with_the_evidence_as_line_breaks_in_one_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    _page(document)
    table = _table(document)
    for criterion, narrative, evidence in CRITERIA:
        row = table.add_row().cells
        row[0].text = criterion
        row[1].text = narrative[0]
        for more in narrative[1:]:
            row[1].add_paragraph(more)
        run = row[2].paragraphs[0].add_run(evidence[0])
        for line in evidence[1:]:
            run.add_break()
            run.add_text(line)
    path = tmp_path / "breaks.docx"
    document.save(path)
    _expected(import_path(path, *PRESS))


def test_rows_split_over_pages_with_the_criterion_merged_down(tmp_path: Path) -> None:
    document = docx.Document()
    _page(document)
    table = _table(document)
    for criterion, narrative, evidence in CRITERIA:
        first, carried = table.add_row().cells, table.add_row().cells
        merged = first[0].merge(carried[0])  # Word's vertical merge across the page
        merged.text = criterion
        first[1].text, carried[1].text = narrative[0], "\n".join(narrative[1:])
        first[2].text = evidence[0]
        for line in evidence[1:]:
            carried[2].add_paragraph(line)
        carried[2].paragraphs[0].text = ""
    path = tmp_path / "split.docx"
    document.save(path)
    assert table.rows[2].cells[0]._tc.tcPr.find(qn("w:vMerge")) is not None
    _expected(import_path(path, *PRESS))


def test_the_same_page_written_as_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    _page(document)
    for heading in ("เกณฑ์มาตรฐาน", "ผลการดำเนินงานตามเกณฑ์", "รายการเอกสารอ้างอิง"):
        document.add_paragraph(heading)
    for criterion, narrative, evidence in CRITERIA:
        for text in (criterion, *narrative, *evidence):
            document.add_paragraph(text)
    path = tmp_path / "paragraphs.docx"
    document.save(path)
    _expected(import_path(path, *PRESS))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp874"])
def test_text_in_the_encodings_word_saves(seed_text: str, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "sar.txt"
    path.write_bytes(seed_text.encode(encoding))  # utf-16 writes its byte-order mark
    assert decode_sar_text(path.read_bytes()) == seed_text.lstrip("\ufeff")
    assessment = import_path(path, *PRESS)
    assert assessment.results.count() == 5


def test_a_damaged_or_old_word_file_is_refused_in_thai(tmp_path: Path) -> None:
    for name, data in (
        ("broken.docx", b"PK\x03\x04 not really a zip"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
        ("table.docx", _wrong_table()),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(CommandError, match="ไม่ได้บันทึกข้อมูลใด ๆ") as refused:
            import_path(path, *PRESS)
        assert any("\u0e00" <= char <= "\u0e7f" for char in str(refused.value))
    assert not Unit.objects.exists()
    with pytest.raises(SarFileError, match="ตารางแถวที่ 2"):
        docx_to_sar_text(_wrong_table())


def _wrong_table() -> bytes:
    document = docx.Document()
    _page(document)
    table = _table(document)
    row = table.add_row()
    row.cells[1].merge(row.cells[2])  # two cells instead of three
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_cell_line_that_starts_with_a_tab_stays_in_its_cell() -> None:
    document = docx.Document()
    _page(document)
    table = _table(document)
    row = table.add_row().cells
    row[0].text, row[1].text, row[2].text = "1. เกณฑ์", "ก่อน\tหลัง", "สพ 3-1 (1) เอกสาร"
    out = io.BytesIO()
    document.save(out)
    text = docx_to_sar_text(out.getvalue())
    assert "\tก่อน หลัง" in text
    assert OxmlElement("w:p") is not None


REGISTRY = ("--unit-prefix", "สท", "--unit-name", "สำนักทะเบียนและวัดผล", "--year", "2565",
            "--cycle-kind", "academic")  # fmt: skip
RISK_NARRATIVES = [
    "คณะกรรมการบริหารความเสี่ยงประชุม 4 ครั้ง (ร้อยละ 100)\nครั้งที่ 1/2565 เมื่อวันที่ 12 ส.ค. 2565"
    "\n\n“ผลการประเมิน” ระดับ 4.51 – ดีมาก; ค่ำคืนวันที่ 31 ธ.ค. ยังให้บริการ",
    "วิเคราะห์ความเสี่ยง 5 ด้าน ได้แก่\n1. ด้านกลยุทธ์\n2. ด้านการปฏิบัติงาน & ระบบสารสนเทศ",
    "",
]
RISK_EVIDENCE = [
    [("คำสั่งแต่งตั้งคณะกรรมการบริหารความเสี่ยง ที่ 123/2565", ""),
     ("รายงานการประชุม ครั้งที่ 1/2565 (วาระ 3.1)", "https://reg.example.ac.th/risk/meeting-1.html")],
    [("แผนบริหารความเสี่ยง ปีการศึกษา 2565", "")],
    [("", "https://reg.example.ac.th/risk/report?year=2565&part=2")],
]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_unit_and_indicator_written_here_go_round_trip(tmp_path: Path) -> None:
    """A second unit, year and indicator built by this test (not from a file): quotes,
    dashes, a blank line and numbered lines inside a narrative, an empty narrative, a
    caption with its link, a link alone."""
    cycle = CycleFactory(kind="academic", year_be=2565, start_date=date(2022, 7, 1),
                         end_date=date(2023, 6, 30))  # fmt: skip
    indicator = IndicatorFactory(
        cycle=cycle, number="4.2", title="ระดับความสำเร็จของการบริหารความเสี่ยง"
    )
    unit = UnitFactory(name="สำนักทะเบียนและวัดผล", evidence_prefix="สท")
    assessment = AssessmentFactory(unit=unit, indicator=indicator)
    texts = ["มีคณะกรรมการบริหารความเสี่ยง", "มีการวิเคราะห์ความเสี่ยงและจัดทำแผน", "มีการรายงานผลต่อสภา"]
    for order, (text, narrative, evidence) in enumerate(
        zip(texts, RISK_NARRATIVES, RISK_EVIDENCE, strict=True), start=1
    ):
        criterion = CriterionFactory(indicator=indicator, order=order, text=text)
        result = CriterionResultFactory(
            assessment=assessment, criterion=criterion, narrative=narrative
        )
        for position, (caption, url) in enumerate(evidence, start=1):
            EvidenceItemFactory(result=result, position=position, caption=caption, url=url)
    before = content(assessment)
    assert [row[2] for row in before] == RISK_NARRATIVES
    path = tmp_path / "registry.docx"
    path.write_bytes(word.indicator_document(assessment=assessment))
    empty_database()
    after = import_path(path, *REGISTRY)
    assert content(after) == before
    assert (after.indicator.number, after.indicator.title) == ("4.2", indicator.title)


@pytest.mark.django_db(transaction=True)
def test_an_output_indicator_keeps_its_value_out_of_its_narrative(tmp_path: Path) -> None:
    """The Word file writes an output indicator's value and data above its narrative; the
    import reads them back into the value, numerator and denominator (and the indicator's
    unit and data names), and the narrative comes back as it was written."""
    indicator = IndicatorFactory(
        cycle=CycleFactory(year_be=2565),
        number="7",
        title="ร้อยละของผู้ใช้บริการที่พึงพอใจ",
        kind=Indicator.Kind.OUTPUT,
        score_table=[],
        full_score_value=Decimal(80),
        result_unit="ร้อยละ",
        numerator_label="ผู้ตอบว่าพึงพอใจ",
        denominator_label="ผู้ตอบทั้งหมด",
    )
    assessment = AssessmentFactory(
        unit=UnitFactory(name="สำนักทะเบียนและวัดผล", evidence_prefix="สท"),
        indicator=indicator,
        result_value=Decimal("72.50"),
        numerator=Decimal(145),
        denominator=Decimal(200),
    )
    result = CriterionResultFactory(
        assessment=assessment,
        criterion=CriterionFactory(indicator=indicator, order=1, text=indicator.title),
        narrative="สำรวจผู้ใช้บริการ 200 คน\nผลการดำเนินงาน: ไม่ใช่บรรทัดของค่า",
    )
    EvidenceItemFactory(result=result, position=1, caption="แบบสำรวจความพึงพอใจ 2565")
    before = content(assessment)
    path = tmp_path / "output.docx"
    path.write_bytes(word.indicator_document(assessment=assessment))
    assert "ผลการดำเนินงาน: 72.50 ร้อยละ" in docx_to_sar_text(path.read_bytes())
    empty_database()
    year = ("--unit-prefix", "สท", "--unit-name", "สำนักทะเบียนและวัดผล", "--year", "2565")
    after = import_path(path, *year)
    assert content(after) == before
    assert (after.result_value, after.numerator, after.denominator) == (
        Decimal("72.50"), Decimal(145), Decimal(200),
    )  # fmt: skip
    imported = after.indicator
    assert (imported.kind, imported.result_unit) == ("output", "ร้อยละ")
    assert (imported.numerator_label, imported.denominator_label) == ("ผู้ตอบว่าพึงพอใจ", "ผู้ตอบทั้งหมด")
    # The same file again changes nothing.
    out = io.StringIO()
    call_command("import_sar", str(path), *year, stdout=out)
    assert "(สร้าง 0, แก้ไข 0, คงเดิม" in out.getvalue()
    assert content(Assessment.objects.get()) == before


def _place_of_error(data: bytes) -> str:
    """Where in the Word file parse_sar stumbled, as the import page names it."""
    read = docx_to_sar(data)
    assert len(read.places) == len(read.text.split("\n"))
    with pytest.raises(SarFormatError) as error:
        parse_sar(read.text)
    return read.places[error.value.line - 1]


def test_each_line_knows_its_table_row_even_when_carried_over() -> None:
    document = docx.Document()
    _page(document)
    table = _table(document)
    for criterion, narrative, evidence in CRITERIA:
        first, carried = table.add_row().cells, table.add_row().cells
        first[0].merge(carried[0]).text = criterion
        first[1].text = "\n".join(narrative)
        first[2].text = evidence[0]
        carried[2].text = "\n".join(evidence[1:])
    table.rows[4].cells[2].text = "สพ 3-2 (2) ต่อหน้า\nสพ 3-2 (5) รหัสผิด"  # criterion 2, carried
    out = io.BytesIO()
    document.save(out)
    assert _place_of_error(out.getvalue()) == "ตารางแถวที่ 5 ช่อง “รายการเอกสารอ้างอิง”"


def test_each_line_knows_its_paragraph() -> None:
    document = docx.Document()
    _page(document)
    for heading in ("เกณฑ์มาตรฐาน", "ผลการดำเนินงานตามเกณฑ์", "รายการเอกสารอ้างอิง"):
        document.add_paragraph(heading)
    for criterion, narrative, evidence in CRITERIA:
        for text in (criterion, *narrative, *evidence):
            document.add_paragraph(text.replace("สพ 3-2 (2)", "สพ 3-2 (4)"))
    out = io.BytesIO()
    document.save(out)
    # 3 page paragraphs, 3 headings, criterion 1 in 5 paragraphs, then criterion 2's
    # criterion, narrative and first item: its second item is the 15th paragraph.
    assert _place_of_error(out.getvalue()) == "ย่อหน้าที่ 15"
