"""Reads a SAR indicator page saved as plain text (the seed's layout).

The layout is a Word table saved as text: a heading, the indicator type, the
counting period, the three column headings, then one row per criterion. Each
table cell starts on a line that begins with a tab; lines without a tab go on
with the cell above. A row is: the criterion ("1. ..."), its result narrative,
then its evidence list, one item per line starting with its code
("สพ 3-1 (1) caption"); a code alone followed by a bare URL is a link item.
An output or outcome indicator's measured value (and the data it was computed from)
heads its first narrative, as the app's own PDF and Word write it; it is read back
into the measure, not kept as narrative.

Parsing is pure (text in, dataclasses out) so that a bad file is rejected,
with the line it stumbled on, before anything is written.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from . import limits
from .codes import LEADING_CODE
from .thaidates import BE_OFFSET, THAI_MONTHS_SHORT

HEADINGS = ("เกณฑ์มาตรฐาน", "ผลการดำเนินงานตามเกณฑ์", "รายการเอกสารอ้างอิง")
KIND_LABELS = {
    "กระบวนการ": "process",
    "ผลผลิต": "output",
    "ผลลัพธ์": "outcome",
    "ปัจจัยนำเข้า": "input",
}

_HEADING_RE = re.compile(r"^ตัวบ่งชี้ที่\s*(\d+(?:\.\d+)*)\s+(\S.*?)\s*$")
_KIND_RE = re.compile(r"^ชนิดของตัวบ่งชี้\s+(\S.*?)\s*$")
_PERIOD_RE = re.compile(
    r"^รอบปีที่ใช้นับผลงาน\s*:?\s*(ปีงบประมาณ|ปีการศึกษา)\s*(?:พ\.ศ\.)?\s*(\d{4})"
    r"\s*\((\d{1,2})\s+(\S+)\s+(\d{2})\s*-\s*(\d{1,2})\s+(\S+)\s+(\d{2})\)\s*$"
)
_CRITERION_RE = re.compile(r"^(\d+)\.\s+(\S.*)$", re.DOTALL)
_URL_RE = re.compile(r"^https?://\S+$")
# Assessment.measure_lines, read back: "ผลการดำเนินงาน: 72.50 ร้อยละ" and
# "ผู้ตอบว่าพึงพอใจ 145 จากผู้ตอบทั้งหมด 200".
_NUMBER = r"-?\d+(?:\.\d+)?"
_MEASURE_RE = re.compile(rf"^ผลการดำเนินงาน: (?P<value>{_NUMBER})(?: (?P<unit>\S.*))?$")
_RATIO_RE = re.compile(
    rf"^(?P<num_label>\S.*?) (?P<num>{_NUMBER}) จาก(?P<den_label>\S.*?) (?P<den>{_NUMBER})$"
)


class SarFormatError(ValueError):
    """The file does not follow the layout; ``line`` is 1-based, ``message`` translated."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(_("บรรทัดที่ %(line)s: %(message)s") % {"line": line, "message": message})
        self.line = line
        self.message = message


@dataclass
class ParsedEvidence:
    number: int
    caption: str
    url: str = ""
    line: int = 0


@dataclass
class ParsedCriterion:
    order: int
    text: str
    narrative: str
    evidence: list[ParsedEvidence] = field(default_factory=list)
    line: int = 0
    narrative_line: int = 0


@dataclass
class ParsedMeasure:
    """An output or outcome indicator's value, and its numerator and denominator."""

    value: Decimal
    unit: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    numerator_label: str = ""
    denominator_label: str = ""


@dataclass
class ParsedSar:
    number: str
    title: str
    kind: str
    cycle_kind: str
    year_be: int
    start_date: datetime.date
    end_date: datetime.date
    criteria: list[ParsedCriterion]
    evidence_prefix: str
    period_line: int
    measure: ParsedMeasure | None = None


@dataclass
class _Cell:
    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


def _thai_short_date(day: str, month: str, yy: str, line: int) -> datetime.date:
    if month not in THAI_MONTHS_SHORT:
        raise SarFormatError(
            line, _("ไม่รู้จักชื่อเดือน “%(month)s” (ใช้แบบย่อ เช่น ต.ค.)") % {"month": month}
        )
    year_be = 2500 + int(yy)
    try:
        return datetime.date(year_be - BE_OFFSET, THAI_MONTHS_SHORT.index(month) + 1, int(day))
    except ValueError:
        date = f"{day} {month} {yy}"
        raise SarFormatError(line, _("วันที่ %(date)s ไม่มีอยู่จริง") % {"date": date}) from None


def _cells(lines: list[str], start: int) -> list[_Cell]:
    """Split the table into cells: a tab at a line's start opens a new cell."""
    cells: list[_Cell] = []
    pending_blank = 0
    for index in range(start, len(lines)):
        raw = lines[index]
        number = index + 1
        if not raw.strip():
            pending_blank += 1
            continue
        if "\t" in raw and not raw.split("\t", 1)[0].strip():
            cells.append(_Cell(number, [raw.split("\t", 1)[1]]))
        elif cells:
            # A blank line inside a cell is a paragraph break the author typed.
            cells[-1].lines.extend([""] * pending_blank)
            cells[-1].lines.append(raw)
        else:
            raise SarFormatError(number, _("ข้อความอยู่นอกตาราง (แต่ละช่องต้องขึ้นต้นด้วยแท็บ)"))
        pending_blank = 0
    return cells


def _evidence(cell: _Cell, prefix: str, number: str, order: int) -> list[ParsedEvidence]:
    items: list[ParsedEvidence] = []
    for offset, raw in enumerate(cell.lines):
        line = cell.line + offset
        text = raw.strip()
        if not text:
            continue
        match = LEADING_CODE.match(text)
        if match:
            code_prefix, code_number, code_order, item = match.groups()[:4]
            expected = f"{prefix} {number}-{order} ({len(items) + 1})"
            if (code_prefix, code_number, int(code_order), int(item)) != (
                prefix,
                number,
                order,
                len(items) + 1,
            ):
                message = _("รหัสเอกสาร “%(found)s” ควรเป็น %(expected)s")
                found = text.split(")")[0] + ")"
                raise SarFormatError(line, message % {"found": found, "expected": expected})
            items.append(ParsedEvidence(int(item), match.group(5) or "", line=line))
        elif not items:
            raise SarFormatError(line, _("รายการเอกสารอ้างอิงต้องขึ้นต้นด้วยรหัส เช่น สพ 3-1 (1)"))
        elif _URL_RE.match(text) and not items[-1].url:
            items[-1].url = text
        else:
            items[-1].caption = f"{items[-1].caption}\n{raw.rstrip()}".strip("\n")
    return items


def _check_lengths(title: str, title_line: int, criteria: list[ParsedCriterion]) -> None:
    """The app's length limits (``indicators.limits``), checked before anything is
    written so that an over-long cell is refused with its line."""

    def check(text: str, limit: int, line: int, what: str) -> None:
        if len(text) > limit:
            raise SarFormatError(
                line,
                _("%(what)s ยาว %(length)s ตัวอักษร เกินกำหนด %(limit)s ตัวอักษร")
                % {"what": what, "length": len(text), "limit": limit},
            )

    check(title, limits.INDICATOR_TITLE, title_line, _("ชื่อตัวบ่งชี้"))
    for criterion in criteria:
        check(criterion.text, limits.CRITERION, criterion.line, _("เกณฑ์มาตรฐาน"))
        narrative = _("ผลการดำเนินงานตามเกณฑ์")
        check(criterion.narrative, limits.NARRATIVE, criterion.narrative_line, narrative)
        for item in criterion.evidence:
            check(item.caption, limits.CAPTION, item.line, _("รายการเอกสารอ้างอิง"))
            check(item.url, limits.URL, item.line, _("ลิงก์"))


def heading_number(text: str) -> tuple[int, str] | None:
    """The line and the indicator number of the page's heading, if it starts with one:
    to tell a page of another indicator before its codes are read (they carry its number)."""
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if line.strip():
            match = _HEADING_RE.match(line.strip())
            return (number, match.group(1)) if match else None
    return None


def parse_sar(text: str) -> ParsedSar:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    position = 0

    def next_line(missing: str) -> tuple[int, str]:
        """The next line that is not blank; SarFormatError ``missing`` at the end."""
        nonlocal position
        while position < len(lines) and not lines[position].strip():
            position += 1
        if position >= len(lines):
            raise SarFormatError(len(lines), missing)
        position += 1
        return position, lines[position - 1].strip()

    number_line, heading = next_line(_("ไฟล์จบก่อนพบหัวเรื่องตัวบ่งชี้"))
    heading_match = _HEADING_RE.match(heading)
    if not heading_match:
        raise SarFormatError(number_line, _("ต้องขึ้นต้นด้วย “ตัวบ่งชี้ที่ <เลข> <ชื่อตัวบ่งชี้>”"))
    indicator_number, title = heading_match.groups()

    kind_line, kind_text = next_line(_("ไฟล์จบก่อนพบชนิดของตัวบ่งชี้"))
    kind_match = _KIND_RE.match(kind_text)
    if not kind_match or kind_match.group(1) not in KIND_LABELS:
        message = _("ต้องเป็น “ชนิดของตัวบ่งชี้ %(kinds)s”") % {"kinds": "/".join(KIND_LABELS)}
        raise SarFormatError(kind_line, message)

    period_line, period_text = next_line(_("ไฟล์จบก่อนพบรอบปีที่ใช้นับผลงาน"))
    period = _PERIOD_RE.match(period_text)
    if not period:
        raise SarFormatError(
            period_line,
            _("ต้องเป็น “รอบปีที่ใช้นับผลงาน : ปีงบประมาณ พ.ศ.2563 (1 ต.ค. 62 - 30 ก.ย. 63)”"),
        )
    label, year, d1, m1, y1, d2, m2, y2 = period.groups()
    start = _thai_short_date(d1, m1, y1, period_line)
    end = _thai_short_date(d2, m2, y2, period_line)
    if end <= start:
        raise SarFormatError(period_line, _("วันสิ้นสุดรอบต้องอยู่หลังวันเริ่มต้น"))

    cells = _cells(lines, position)
    if [cell.text for cell in cells[:3]] != list(HEADINGS):
        line = cells[0].line if cells else period_line + 1
        message = _("ไม่พบหัวตาราง %(headings)s") % {"headings": " | ".join(HEADINGS)}
        raise SarFormatError(line, message)

    criteria: list[ParsedCriterion] = []
    prefix = ""
    state = "row"  # what the next cell may be: a criterion, or a narrative
    for cell in cells[3:]:
        text = cell.text
        criterion_match = _CRITERION_RE.match(text)
        code_match = LEADING_CODE.match(cell.lines[0].strip())
        expected_order = len(criteria) + 1
        if state == "row":
            if not criterion_match or int(criterion_match.group(1)) != expected_order:
                raise SarFormatError(
                    cell.line,
                    _("ควรเป็นเกณฑ์ข้อที่ %(order)s “%(order)s. …”") % {"order": expected_order},
                )
            criteria.append(
                ParsedCriterion(expected_order, criterion_match.group(2), "", line=cell.line)
            )
            state = "narrative"
        elif state == "narrative" and not code_match:
            criteria[-1].narrative, criteria[-1].narrative_line = text, cell.line
            state = "evidence"
        elif code_match:
            if state == "done":
                raise SarFormatError(cell.line, _("พบรายการเอกสารอ้างอิงซ้ำในเกณฑ์เดียวกัน"))
            prefix = prefix or code_match.group(1)
            criteria[-1].evidence = _evidence(cell, prefix, indicator_number, criteria[-1].order)
            state = "done"
        elif criterion_match and int(criterion_match.group(1)) == expected_order:
            criteria.append(
                ParsedCriterion(expected_order, criterion_match.group(2), "", line=cell.line)
            )
            state = "narrative"
        else:
            message = _("ควรเป็นรายการเอกสารอ้างอิง หรือเกณฑ์ข้อที่ %(order)s")
            raise SarFormatError(cell.line, message % {"order": expected_order})
    if not criteria:
        raise SarFormatError(len(lines), _("ไม่พบเกณฑ์มาตรฐานในตาราง"))
    _check_lengths(title, number_line, criteria)
    kind = KIND_LABELS[kind_match.group(1)]
    measure = _read_measure(criteria[0]) if kind in ("output", "outcome") else None

    return ParsedSar(
        number=indicator_number,
        title=title,
        kind=kind,
        cycle_kind="fiscal" if label == "ปีงบประมาณ" else "academic",
        year_be=int(year),
        start_date=start,
        end_date=end,
        criteria=criteria,
        evidence_prefix=prefix,
        period_line=period_line,
        measure=measure,
    )


def _read_measure(criterion: ParsedCriterion) -> ParsedMeasure | None:
    """The value line (and the ratio line under it) at the head of the narrative, taken
    out of it; None, the narrative untouched, when it does not start with one."""
    lines = criterion.narrative.split("\n")
    value = _MEASURE_RE.match(lines[0])
    if value is None:
        return None
    measure = ParsedMeasure(Decimal(value["value"]), value["unit"] or "")
    rest = lines[1:]
    ratio = _RATIO_RE.match(rest[0]) if rest else None
    if ratio is not None and Decimal(ratio["den"]) > 0 <= Decimal(ratio["num"]):
        measure.numerator, measure.denominator = Decimal(ratio["num"]), Decimal(ratio["den"])
        # The SAR writes ตัวตั้ง / ตัวหาร where the indicator names neither.
        if (ratio["num_label"], ratio["den_label"]) != ("ตัวตั้ง", "ตัวหาร"):
            measure.numerator_label = ratio["num_label"]
            measure.denominator_label = ratio["den_label"]
        rest = rest[1:]
    criterion.narrative = "\n".join(rest).strip()
    return measure
