"""Reads a SAR indicator page from a Word file (.docx, python-docx) or a text file in any
of the encodings Word saves, into the text layout that ``sar_text.parse_sar`` reads.

A .docx holds the page as Thai SARs lay it out: the heading, the indicator type and the
counting period as paragraphs, then the three-column table (เกณฑ์มาตรฐาน |
ผลการดำเนินงานตามเกณฑ์ | รายการเอกสารอ้างอิง), one row per criterion. Rows that Word
split over a page (the criterion cell merged down, or left empty in the continuing row)
are joined back; an evidence list may be one paragraph per item or line breaks in one
paragraph. Any other table (the outcome table under it) is left alone. What the reader
cannot place is refused with the place named (table row, paragraph) in the user's
language, before anything is written.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from django.utils.translation import gettext as _
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from .codes import LEADING_CODE
from .sar_text import HEADINGS


class SarFileError(ValueError):
    """A file that cannot be read as a SAR page; the message (gettext, Thai first) names
    the place."""


@dataclass
class _Row:
    number: int  # the table row (1 = the header), as Word shows it
    cells: list[list[str]] = field(default_factory=lambda: [[], [], []])
    # Each line's table row: a row Word carried over adds lines from the next one.
    origins: list[list[int]] = field(default_factory=lambda: [[], [], []])


@dataclass(frozen=True)
class SarDocxText:
    """A .docx page in the text layout, with where in the file each line came from
    (``places[i]`` for line i + 1, in the language active when it was read), so that an
    error can name the place."""

    text: str
    places: list[str]


def decode_sar_text(data: bytes) -> str:
    """Text as Word saves it: UTF-8 (with or without its mark), "Unicode Text" (UTF-16
    with its mark), or Thai "Plain Text" (Windows-874 / TIS-620)."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SarFileError(
            _("ไฟล์ Word รุ่นเก่า (.doc) อ่านไม่ได้: บันทึกจาก Word เป็น .docx หรือเป็นข้อความ UTF-8")
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SarFileError(_("ไฟล์ข้อความ UTF-16 เสียหาย อ่านไม่ได้")) from None
    if b"\x00" in data:
        raise SarFileError(_("ไม่ใช่ไฟล์ข้อความ: บันทึกเป็น .docx หรือข้อความ UTF-8, Unicode, Windows-874"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")
    except UnicodeDecodeError as error:
        raise SarFileError(
            _(
                "อ่านไฟล์ข้อความไม่ได้ (ไบต์ที่ %(byte)s): บันทึกเป็น UTF-8, Unicode "
                "หรือข้อความภาษาไทย (Windows-874)"
            )
            % {"byte": error.start}
        ) from None


def _blocks(document: Any) -> Iterator[Paragraph | Table]:
    """The body's paragraphs and tables, in their order."""
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(element, document)
        elif tag == "tbl":
            yield Table(element, document)


def _cell_lines(cell: Any) -> list[str]:
    """A cell's text, a line per paragraph and per line break; tabs (which start a cell
    in the text layout) become spaces."""
    lines: list[str] = []
    for paragraph in cell.paragraphs:
        lines.extend(paragraph.text.replace("\t", " ").split("\n"))
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _is_sar_table(table: Table) -> bool:
    if not table.rows:
        return False
    header = [" ".join(cell.text.split()) for cell in _unique(table.rows[0].cells)]
    return header[:3] == list(HEADINGS)


def _unique(cells: Any) -> list[Any]:
    """A row's cells with each merged (spanned) cell once."""
    seen: list[Any] = []
    for cell in cells:
        if not seen or cell._tc is not seen[-1]._tc:
            seen.append(cell)
    return seen


def _rows(table: Table) -> list[_Row]:
    rows: list[_Row] = []
    previous_first: Any = None
    for number, row in enumerate(table.rows[1:], start=2):
        cells = _unique(row.cells)
        if len(cells) != 3:
            raise SarFileError(
                _("ตารางแถวที่ %(row)s: มี %(cells)s ช่อง ตารางต้องมี 3 ช่อง (%(headings)s)")
                % {"row": number, "cells": len(cells), "headings": " | ".join(HEADINGS)}
            )
        texts = [_cell_lines(cell) for cell in cells]
        # A row Word carried over to the next page: the criterion merged down, or empty.
        carried = cells[0]._tc is previous_first or not any(t.strip() for t in texts[0])
        if carried and rows:
            for column in (1, 2):
                if any(line.strip() for line in texts[column]):
                    rows[-1].cells[column].extend(texts[column])
                    rows[-1].origins[column].extend([number] * len(texts[column]))
        elif carried:
            if any(any(line.strip() for line in text) for text in texts):
                raise SarFileError(_("ตารางแถวที่ %(row)s: ไม่มีเกณฑ์มาตรฐานในช่องแรก") % {"row": number})
        else:
            rows.append(_Row(number, texts, [[number] * len(text) for text in texts]))
        previous_first = cells[0]._tc
    return rows


def docx_to_sar_text(data: bytes) -> str:
    """The page in the text layout of ``parse_sar``, or SarFileError naming the place."""
    return docx_to_sar(data).text


def _paragraph_place(number: int) -> str:
    return _("ย่อหน้าที่ %(paragraph)s") % {"paragraph": number}


def _row_place(number: int, column: int | None = None) -> str:
    """A table row, or one of its cells named by the column's heading (the file's own,
    so in Thai in either language)."""
    if column is None:
        return _("ตารางแถวที่ %(row)s") % {"row": number}
    return _("ตารางแถวที่ %(row)s ช่อง “%(column)s”") % {"row": number, "column": HEADINGS[column]}


def docx_to_sar(data: bytes) -> SarDocxText:
    """The page in the text layout with each line's place in the file (table row and
    column, or paragraph), or SarFileError naming the place."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError):
        raise SarFileError(
            _("ไฟล์ Word เสียหายหรือไม่ใช่ไฟล์ .docx (บันทึกจาก Word เป็น “เอกสาร Word (.docx)”)")
        ) from None
    before: list[str] = []
    table: Table | None = None
    for block in _blocks(document):
        if isinstance(block, Paragraph):
            if table is None and block.text.strip():
                before.append(" ".join(block.text.split("\t")).strip())
        elif table is None and _is_sar_table(block):
            table = block
    if table is None:
        return _paragraph_layout(before)
    lines = [*before, *(f"\t{heading}" for heading in HEADINGS), ""]
    places = [_paragraph_place(n) for n in range(1, len(before) + 1)]
    places += [_row_place(1)] * (len(HEADINGS) + 1)
    for row in _rows(table):
        for column, cell in enumerate(row.cells):
            if not any(line.strip() for line in cell):
                continue
            lines.append(f"\t{cell[0]}")
            lines.extend(cell[1:])
            places += [_row_place(n, column) for n in row.origins[column]]
        lines.append("")
        places.append(_row_place(row.number))
    return SarDocxText("\n".join(lines), places)


def _paragraph_layout(paragraphs: list[str]) -> SarDocxText:
    """The same page written as paragraphs (no table): after the three headings, each
    criterion ("1. ..."), then its narrative (any number of paragraphs), then its
    evidence lines (each starting with its code), in order."""
    try:
        start = paragraphs.index(HEADINGS[0])
    except ValueError:
        raise SarFileError(
            _("ไม่พบตาราง “%(headings)s” และไม่พบย่อหน้า “%(first)s” ที่ขึ้นต้นส่วนของเกณฑ์")
            % {"headings": " | ".join(HEADINGS), "first": HEADINGS[0]}
        ) from None
    if paragraphs[start : start + 3] != list(HEADINGS):
        raise SarFileError(
            _("ย่อหน้าที่ %(paragraph)s: หลัง “%(first)s” ต้องเป็น “%(second)s” และ “%(third)s”")
            % {
                "paragraph": start + 1,
                "first": HEADINGS[0],
                "second": HEADINGS[1],
                "third": HEADINGS[2],
            }
        )
    lines = [*paragraphs[:start], *(f"\t{heading}" for heading in HEADINGS), ""]
    places = [_paragraph_place(n) for n in range(1, start + 4)] + [_paragraph_place(start + 3)]
    expected = 1
    part = ""  # what the last paragraph belonged to: criterion, narrative, evidence
    for number, text in enumerate(paragraphs[start + 3 :], start=start + 4):
        places += [_paragraph_place(number)] * (2 if re.match(rf"^{expected}\.\s", text) else 1)
        if re.match(rf"^{expected}\.\s", text):
            lines.extend(["", f"\t{text}"])
            expected, part = expected + 1, "criterion"
        elif LEADING_CODE.match(text):
            lines.append(text if part == "evidence" else f"\t{text}")
            part = "evidence"
        elif part == "criterion":
            lines.append(f"\t{text}")
            part = "narrative"
        elif part in ("narrative", "evidence"):
            lines.append(text)
        else:
            lines.append(f"\t{text}")  # parse_sar names the line it cannot place
    return SarDocxText("\n".join(lines), places)
