"""The university's scores as an Excel workbook (openpyxl), for the offices that collect
them in Excel before keying them into CHE QA Online.

A sheet per cycle (the asked-for cycle first, then the others newest first): one row
per unit × indicator with target, result, self score, committee score, status,
achieved and quality level, and below it each unit's means. Headers are Thai; numbers
are numbers (scores with two decimals), so the sheet sums and sorts as it should.
"""

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from indicators.dashboard import UnitSummary, cycle_assessments, summarise
from indicators.models import Cycle, Unit

from .pdf import ReportFile

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCORE_FORMAT = "0.00"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
# Excel's own limit on a sheet's name.
SHEET_NAME_LENGTH = 31


def _put(sheet: Worksheet, row: int, values: Sequence[object], *, scores: Sequence[int]) -> None:
    """One row; text stays text (openpyxl would make a typed "=..." a formula) and the
    ``scores`` columns show two decimals."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if column in scores:
            cell.number_format = SCORE_FORMAT


def _header(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _cycle_sheet(sheet: Worksheet, cycle: Cycle, summaries: list[UnitSummary]) -> None:
    sheet.append([f"{_('ผลการประเมินตนเอง')} {cycle} ({cycle.period_display})"])
    sheet["A1"].font = Font(bold=True, size=14)
    titles = [
        _("หน่วยงาน"), _("ตัวบ่งชี้ที่"), _("ชื่อตัวบ่งชี้"), _("ชนิดของตัวบ่งชี้"),
        _("เป้าหมาย"), _("ผลการดำเนินงาน"), _("หน่วยนับ"), _("คะแนนประเมินตนเอง"),
        _("คะแนนของกรรมการ"), _("สถานะ"), _("บรรลุเป้าหมาย"), _("ระดับคุณภาพ"),
    ]  # fmt: skip
    _header(sheet, 3, titles)
    row = 4
    for summary in summaries:
        for assessment in summary.rows:
            indicator = assessment.indicator
            achieved = assessment.achieved
            level = assessment.quality_level
            values: list[object] = [
                summary.unit.name,
                indicator.number,
                indicator.title,
                indicator.get_kind_display(),
                _number(assessment.target),
                _number(assessment.result),
                indicator.result_unit or "",
                _number(assessment.self_score),
                _number(assessment.committee_score),
                assessment.get_status_display(),
                "" if achieved is None else (_("บรรลุ") if achieved else _("ไม่บรรลุ")),
                "" if level is None else str(level.label),
            ]
            _put(sheet, row, values, scores=(8, 9))
            row += 1
    sheet.freeze_panes = "A4"
    if row > 4:
        sheet.auto_filter.ref = f"A3:{get_column_letter(len(titles))}{row - 1}"

    row += 1
    sheet.cell(row=row, column=1, value=_("คะแนนเฉลี่ยรายหน่วยงาน")).font = Font(bold=True)
    row += 1
    _header(
        sheet,
        row,
        [_("หน่วยงาน"), _("จำนวนตัวบ่งชี้"), _("คะแนนเฉลี่ยประเมินตนเอง"),
         _("คะแนนเฉลี่ยของกรรมการ"), _("ระดับคุณภาพ")],
    )  # fmt: skip
    for summary in summaries:
        row += 1
        level = summary.quality_level
        values = [
            summary.unit.name,
            len(summary.rows),
            _number(summary.self_mean),
            _number(summary.committee_mean),
            "" if level is None else str(level.label),
        ]
        _put(sheet, row, values, scores=(3, 4))
    widths = [34, 10, 40, 12, 10, 14, 10, 16, 16, 16, 14, 14]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def university_workbook(*, cycle: Cycle) -> bytes:
    """Every cycle's scores, ``cycle`` first; in Thai, as the offices file them."""
    cycles = [cycle, *Cycle.objects.exclude(pk=cycle.pk).order_by("-year_be", "kind")]
    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook has one sheet
    book.remove(first)
    units = Unit.objects.all()
    with translation.override("th"):
        for each in cycles:
            summaries = summarise(cycle_assessments(cycle=each, units=units, last_change=False))
            title = f"{each.get_kind_display()} {each.year_be}"[:SHEET_NAME_LENGTH]
            _cycle_sheet(book.create_sheet(title), each, summaries)
    book.properties.title = f"{_('ผลการประเมินตนเอง')} {settings.KMT_UNIVERSITY_NAME}"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def university_xlsx_report(*, cycle: Cycle) -> ReportFile:
    name = f"คะแนนการประเมินตนเอง {cycle.get_kind_display()} {cycle.year_be}.xlsx"
    return ReportFile(name, XLSX_MIMETYPE, university_workbook(cycle=cycle))
