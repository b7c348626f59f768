"""Excel sheets in and out (openpyxl): rows keyed by known columns, and template workbooks.

An import reads a sheet whose first row holds the column headers (Thai, or the English
ones), in any order; other columns are ignored. Every problem is said in Thai: a file
that is not a readable .xlsx, a missing column, an empty sheet (``SheetError``), and each
refused row with its row number as Excel shows it and its column (``RowError``), so
that a service can refuse the whole sheet and list every refused row at once.

The limits keep one upload cheap to read: ``MAX_BYTES`` for the file, ``MAX_UNPACKED``
for what it unpacks to (an .xlsx is a zip), ``MAX_ROWS`` data rows a sheet.
"""

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_ROWS = 5_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS_TITLE = gettext_lazy("คำอธิบาย")


class SheetError(Exception):
    """The sheet as a whole cannot be read; the message is Thai, for the page."""

    def __init__(self, message: str, errors: Sequence["RowError"] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


@dataclass(frozen=True)
class RowError:
    """One refused row: the row number as Excel shows it, the column's header, why."""

    row: int
    column: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        where = _("แถวที่ %(row)s คอลัมน์ “%(column)s”") % {"row": self.row, "column": self.column}
        if not self.column:
            where = _("แถวที่ %(row)s") % {"row": self.row}
        if self.sheet:
            where = _("แผ่นงาน “%(sheet)s” %(where)s") % {"sheet": self.sheet, "where": where}
        return f"{where}: {self.message}"


def refused(errors: Sequence[RowError]) -> SheetError:
    """The error a service raises when any row is refused: nothing is written."""
    message = _("มีแถวที่ไม่ถูกต้อง %(count)s รายการ จึงยังไม่ได้บันทึกข้อมูลใด ๆ") % {"count": len(errors)}
    return SheetError(message, errors)


@dataclass(frozen=True)
class Column:
    """A known column: its key, its Thai header (written in templates, named in errors),
    the English header also accepted, and how the template shows it."""

    key: str
    label: Any  # a lazy Thai string
    english: str
    required: bool = True
    width: int = 20
    example: str = ""

    @property
    def header(self) -> str:
        """The header as the sheet writes it: always Thai, whatever the page's language,
        so that a sheet reads the same for everyone (errors name the column so too)."""
        return in_thai(self.label)

    def names(self) -> set[str]:
        """Every header this column is known by: Thai, the page's language, English."""
        return {_normal(self.header), _normal(self.label), _normal(self.english), self.key}


@dataclass(frozen=True)
class SheetSpec:
    """A sheet of a workbook: its title (Thai, English accepted) and its columns."""

    title: Any
    english: str
    columns: Sequence[Column]
    examples: Sequence[Sequence[str]] = ()

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    @property
    def sheet_title(self) -> str:
        return in_thai(self.title)


@dataclass
class SheetRow:
    """A data row: its number as Excel shows it and the text of each known column."""

    number: int
    values: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


def planned_action(existing: object | None, changed: object) -> str:
    """What importing a row does to the record it names: "create", "update" or
    "unchanged" (the preview pages' badges and counts)."""
    if existing is None:
        return "create"
    return "update" if changed else "unchanged"


def in_thai(text: object) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _normal(text: object) -> str:
    return " ".join(str(text or "").replace("*", " ").split()).casefold()


def cell_text(value: object) -> str:
    """A cell as text: 3.0 → '3', a number keeps its digits, blanks → ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, int | Decimal):
        return str(value)
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def load_workbook(data: bytes) -> Any:
    """An openpyxl workbook (read-only) from the uploaded bytes, or a Thai SheetError."""
    if not data:
        raise SheetError(_("ไฟล์ว่างเปล่า กรุณาเลือกไฟล์ Excel (.xlsx)"))
    if len(data) > MAX_BYTES:
        raise SheetError(
            _("ไฟล์มีขนาดใหญ่เกินไป รับได้ไม่เกิน %(mb)s MB") % {"mb": MAX_BYTES // 1024 // 1024}
        )
    not_xlsx = _("อ่านไฟล์ไม่ได้: ต้องเป็นไฟล์ Excel แบบ .xlsx (บันทึกจาก Excel หรือ LibreOffice เป็น .xlsx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SheetError(not_xlsx) from None
    if unpacked > MAX_UNPACKED:
        raise SheetError(_("ไฟล์มีข้อมูลมากเกินไป กรุณาแบ่งเป็นหลายไฟล์"))
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken file: each is the same to users
        raise SheetError(not_xlsx) from None


def find_sheet(book: Any, spec: SheetSpec, *, first: bool = False) -> Any | None:
    """The worksheet titled as ``spec`` (Thai or English); with ``first``, else the first
    worksheet. None when there is no such sheet."""
    wanted = {_normal(spec.sheet_title), _normal(spec.title), _normal(spec.english)}
    for sheet in book.worksheets:
        if _normal(sheet.title) in wanted:
            return sheet
    if first and book.worksheets:
        return book.worksheets[0]
    return None


def read_sheet(sheet: Any, spec: SheetSpec, *, allow_empty: bool = False) -> list[SheetRow]:
    """The data rows of ``sheet`` keyed by ``spec``'s columns. Raises SheetError for an
    empty sheet (unless ``allow_empty``), a missing column or too many rows."""
    title = sheet.title
    rows: Iterable[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
    iterator = iter(rows)
    header: tuple[Any, ...] | None = None
    header_number = 0
    try:
        for candidate in iterator:
            header_number += 1
            if any(cell_text(value) for value in candidate):
                header = candidate
                break
        if header is None:
            if allow_empty:
                return []
            raise SheetError(
                _("แผ่นงาน “%(sheet)s” ว่างเปล่า: แถวแรกต้องเป็นหัวคอลัมน์ และมีข้อมูลตั้งแต่แถวที่ 2")
                % {"sheet": title}
            )
        names = {name: column for column in spec.columns for name in column.names()}
        positions: dict[str, int] = {}
        for index, value in enumerate(header):
            column = names.get(_normal(cell_text(value)))
            if column is not None and column.key not in positions:
                positions[column.key] = index
        missing = [
            column.header
            for column in spec.columns
            if column.required and column.key not in positions
        ]
        if missing:
            raise SheetError(
                _("แผ่นงาน “%(sheet)s” ไม่มีคอลัมน์ %(columns)s ในแถวหัวคอลัมน์ (แถวที่ %(row)s)")
                % {
                    "sheet": title,
                    "columns": ", ".join(f"“{name}”" for name in missing),
                    "row": header_number,
                }
            )
        result: list[SheetRow] = []
        for number, values in enumerate(iterator, start=header_number + 1):
            texts = {
                key: cell_text(values[index]) if index < len(values) else ""
                for key, index in positions.items()
            }
            if not any(texts.values()):
                continue
            if len(result) >= MAX_ROWS:
                raise SheetError(
                    _("แผ่นงาน “%(sheet)s” มีข้อมูลเกิน %(limit)s แถว กรุณาแบ่งเป็นหลายไฟล์")
                    % {"sheet": title, "limit": f"{MAX_ROWS:,}"}
                )
            result.append(SheetRow(number, texts))
    except SheetError:
        raise
    except Exception:  # a cell or part that openpyxl cannot read while streaming
        raise SheetError(
            _("อ่านแผ่นงาน “%(sheet)s” ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกจาก Excel ใหม่เป็น .xlsx")
            % {"sheet": title}
        ) from None
    if not result and not allow_empty:
        raise SheetError(
            _("แผ่นงาน “%(sheet)s” ไม่มีข้อมูล: ใส่ข้อมูลตั้งแต่แถวถัดจากหัวคอลัมน์") % {"sheet": title}
        )
    return result


def write_template(specs: Sequence[SheetSpec], instructions: Sequence[str]) -> bytes:
    """A workbook with one sheet per spec (bold headers, example rows, column widths, the
    header row frozen) and a last sheet of instructions. Titles and headers are Thai (the
    format); the instructions come in the page's language."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for spec in specs:
        sheet = book.create_sheet(spec.sheet_title)
        sheet.append([column.header for column in spec.columns])
        for rows in spec.examples:
            sheet.append(list(rows))
        for index, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.font = bold
            cell.fill = fill
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
    notes = book.create_sheet(in_thai(INSTRUCTIONS_TITLE))
    notes.column_dimensions["A"].width = 110
    for line in instructions:
        notes.append([line])
        notes.cell(row=notes.max_row, column=1).alignment = Alignment(wrap_text=True)
    notes.cell(row=1, column=1).font = bold
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
