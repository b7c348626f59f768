"""The SAR as a Word file (python-docx), for the committee that wants to edit it and for
the units that keep last year's SAR in Word.

The same content and order as the PDF (reports/pdf.py, the seed's layout): the
indicator's heading, type and counting period above the three-column table
(เกณฑ์มาตรฐาน | ผลการดำเนินงานตามเกณฑ์ | รายการเอกสารอ้างอิง) with the evidence codes,
then target, result and scores; the annual SAR adds a cover, the contents, the summary
and the evidence index. A4 with a 3 cm left and 2 cm right margin; every run is text in
TH Sarabun New (with Sarabun, which the app ships, as what a machine without it shows),
set for Thai as Word's complex script, so the file stays editable text.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from indicators.models import Assessment, Cycle, Unit
from indicators.models.reports import WORD_MIMETYPE
from indicators.templatetags.kmt import quality, score
from indicators.templatetags.kmt_reports import http_url, result_value
from indicators.thaidates import thai_date

from .pdf import ReportFile, assessments_for_report, unit_sar_data

FONT = "TH Sarabun New"
BODY_SIZE = Pt(16)
TABLE_SIZE = Pt(14)
TEXT_WIDTH = Cm(21.0 - 3.0 - 2.0)
# The three columns of the seed's table, as the PDF sets them (28 / 44 / 28 %).
SAR_COLUMNS = (0.28, 0.44, 0.28)


def _thai_font(element: Any, size: Pt) -> None:
    """Font and size for Latin, East Asian and complex script (Thai) text alike."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    for tag in ("w:sz", "w:szCs"):
        node = rpr.find(qn(tag))
        if node is None:
            node = OxmlElement(tag)
            rpr.append(node)
        node.set(qn("w:val"), str(int(size.pt * 2)))
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), "th-TH")
    language.set(qn("w:bidi"), "th-TH")


def new_document(*, title: str, author: str) -> Any:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        style = document.styles[name]
        size = {"Heading 1": Pt(22), "Heading 2": Pt(18), "Title": Pt(26)}.get(name, BODY_SIZE)
        _thai_font(style.element, size)
        if name != "Normal":
            style.font.color.rgb = None
            style.font.bold = True
    normal = document.styles["Normal"].paragraph_format
    normal.space_after = Pt(0)
    normal.line_spacing = 1.0
    document.core_properties.title = title
    document.core_properties.author = author
    document.core_properties.language = "th-TH"
    return document


def text_run(paragraph: Any, text: str, *, size: Pt, bold: bool = False) -> Any:
    """A run of text in the given size for Thai (complex script) and Latin alike."""
    run = paragraph.add_run(text)
    _thai_font(run._element, size)
    run.bold = bold or None
    return run


def cell_lines(cell: Any, lines: Iterable[str], *, size: Pt = TABLE_SIZE) -> None:
    """Each line its own paragraph (Word's own way of writing line breaks in a cell)."""
    first = True
    for line in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        text_run(paragraph, line, size=size)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def add_table(document: Any, headers: Sequence[str], widths: Sequence[float]) -> Any:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # The grid's widths (what LibreOffice reads) and each cell's (what Word reads).
    for column, width in zip(table.columns, widths, strict=True):
        column.width = int(TEXT_WIDTH * width)
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = int(TEXT_WIDTH * width)
        cell_lines(cell, [text])
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.paragraphs[0].runs[0].bold = True
    _repeat_header(table.rows[0])
    return table


def add_row(table: Any, cells: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
    row = table.add_row()
    for cell, lines, width in zip(row.cells, cells, widths, strict=True):
        cell.width = int(TEXT_WIDTH * width)
        cell_lines(cell, lines or [""])


def text_lines(text: str) -> list[str]:
    return text.splitlines() or [""]


def _evidence_lines(item: Any) -> list[str]:
    """The code and caption, and a link on its own line under them (as the seed writes
    it, and as the Word and text import read it back)."""
    lines = [f"{item.code} {item.caption}".strip()]
    if item.url:
        lines.append(http_url(item.url) or item.url)
    return lines


def achieved_text(value: bool | None) -> str:
    if value is None:
        return "–"
    return _("บรรลุ") if value else _("ไม่บรรลุ")


def _indicator_section(document: Any, assessment: Assessment) -> None:
    indicator = assessment.indicator
    document.add_heading(f"{_('ตัวบ่งชี้ที่')} {indicator.number} {indicator.title}", level=2)
    document.add_paragraph(f"{_('ชนิดของตัวบ่งชี้')} {indicator.get_kind_display()}")
    document.add_paragraph(f"{_('รอบปีที่ใช้นับผลงาน')} : {indicator.cycle.period_display}")
    headers = [_("เกณฑ์มาตรฐาน"), _("ผลการดำเนินงานตามเกณฑ์"), _("รายการเอกสารอ้างอิง")]
    table = add_table(document, headers, SAR_COLUMNS)
    for index, result in enumerate(assessment.results.all()):
        criterion = result.criterion
        measure = assessment.measure_lines if index == 0 else []
        add_row(
            table,
            [
                [f"{criterion.order}. {criterion.text}"],
                # An output/outcome indicator's value and its data head its narrative.
                [*measure, *text_lines(result.narrative)],
                [line for item in result.evidence_items.all() for line in _evidence_lines(item)],
            ],
            SAR_COLUMNS,
        )
    document.add_paragraph()
    outcome = [
        (_("เป้าหมาย"), result_value(assessment.target, indicator)),
        (_("ผลการดำเนินงาน"), result_value(assessment.result, indicator)),
        (_("คะแนนการประเมินตนเอง"), score_text(assessment.self_score)),
    ]
    if assessment.committee_score is not None:
        outcome.append((_("คะแนนของกรรมการ"), score_text(assessment.committee_score)))
    outcome.append((_("การบรรลุเป้าหมาย"), achieved_text(assessment.achieved)))
    summary = document.add_table(rows=0, cols=2)
    summary.style = "Table Grid"
    summary.autofit = False
    for column, width in zip(summary.columns, (0.35, 0.65), strict=True):
        column.width = int(TEXT_WIDTH * width)
    for label, value in outcome:
        add_row(summary, [[label], [value]], (0.35, 0.65))
    notes = ((_("จุดแข็ง"), assessment.strengths), (_("จุดที่ควรพัฒนา"), assessment.improvements))
    for heading, text in notes:
        if text:
            document.add_heading(heading, level=3)
            for line in text_lines(text):
                document.add_paragraph(line)


def score_text(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{score(value)} ({quality(value)})"


def save_document(document: Any) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def indicator_document(*, assessment: Assessment) -> bytes:
    """One indicator page, as the seed SAR page lays it out."""
    assessment = assessments_for_report().get(pk=assessment.pk)
    indicator = assessment.indicator
    with translation.override("th"):
        document = new_document(
            title=f"{assessment.unit.name} ตัวบ่งชี้ที่ {indicator.number} {indicator.title}",
            author=assessment.unit.name,
        )
        _indicator_section(document, assessment)
    return save_document(document)


def unit_sar_document(*, unit: Unit, cycle: Cycle) -> bytes:
    """The annual SAR: cover, contents, summary, indicators, evidence index."""
    with translation.override("th"):
        sar = unit_sar_data(unit=unit, cycle=cycle)
        document = new_document(title=f"รายงานการประเมินตนเอง {unit.name} {cycle}", author=unit.name)
        cover = (
            (settings.KMT_UNIVERSITY_NAME, Pt(20), Cm(5)),
            (_("รายงานการประเมินตนเอง"), Pt(32), Cm(2)),
            (unit.name, Pt(24), Cm(0.5)),
            (f"{_('รอบปีที่ใช้นับผลงาน')} : {cycle.period_display}", BODY_SIZE, Cm(2)),
            (f"{_('พิมพ์เมื่อ')} {thai_date(timezone.localdate())}", BODY_SIZE, Cm(0.5)),
        )
        for text, size, space in cover:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_before = space
            text_run(paragraph, text, size=size, bold=size > BODY_SIZE)

        document.add_page_break()
        document.add_heading(_("สารบัญ"), level=1)
        contents = [_("สรุปผลการประเมินตนเอง")]
        contents += [
            f"{_('ตัวบ่งชี้ที่')} {a.indicator.number} {a.indicator.title}" for a in sar.assessments
        ]
        contents.append(_("ดัชนีเอกสารอ้างอิง"))
        for number, line in enumerate(contents, start=1):
            document.add_paragraph(f"{number}. {line}")

        document.add_page_break()
        document.add_heading(_("สรุปผลการประเมินตนเอง"), level=1)
        widths = (0.40, 0.14, 0.16, 0.12, 0.18)
        table = add_table(
            document,
            [_("ตัวบ่งชี้"), _("เป้าหมาย"), _("ผลการดำเนินงาน"), _("คะแนน"), _("การบรรลุเป้าหมาย")],
            widths,
        )
        for a in sar.assessments:
            add_row(
                table,
                [
                    [f"{a.indicator.number} {a.indicator.title}"],
                    [result_value(a.target, a.indicator)],
                    [result_value(a.result, a.indicator)],
                    [score(a.self_score)],
                    [achieved_text(a.achieved)],
                ],
                widths,
            )
        mean = f"{_('คะแนนเฉลี่ยของหน่วยงาน')} {score(sar.mean)}"
        if sar.mean is not None:
            mean += f" {_('ระดับคุณภาพ')} {quality(sar.mean)}"
        document.add_paragraph(mean)

        for assessment in sar.assessments:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _indicator_section(document, assessment)

        document.add_page_break()
        document.add_heading(_("ดัชนีเอกสารอ้างอิง"), level=1)
        index_widths = (0.2, 0.5, 0.3)
        table = add_table(
            document, [_("รหัส"), _("รายการเอกสารอ้างอิง"), _("เอกสาร / ลิงก์")], index_widths
        )
        for item in sar.evidence:
            where = str(item.document) if item.document else (item.url or "–")
            add_row(table, [[item.code], [item.caption], [where]], index_widths)
    return save_document(document)


def indicator_docx_report(*, assessment: Assessment) -> ReportFile:
    unit, indicator = assessment.unit, assessment.indicator
    name = f"SAR {unit.evidence_prefix} {indicator.cycle.year_be} ตัวบ่งชี้ที่ {indicator.number}.docx"
    return ReportFile(name, WORD_MIMETYPE, indicator_document(assessment=assessment))


def unit_sar_docx_report(*, unit: Unit, cycle: Cycle) -> ReportFile:
    name = f"SAR {unit.evidence_prefix} {cycle.get_kind_display()} {cycle.year_be}.docx"
    return ReportFile(name, WORD_MIMETYPE, unit_sar_document(unit=unit, cycle=cycle))
