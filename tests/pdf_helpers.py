"""Reading the SAR PDFs back, for the report tests.

Text is read two ways: `pdftotext -raw` (poppler: ToUnicode and ActualText, in
content-stream order) and pypdf (ToUnicode only). Plain `pdftotext` re-sorts marks
by position even in a correct file, so it is not used. Thai line breaks add
whitespace, so comparisons fold all whitespace away on both sides.
"""

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest

_CODE_LINE = re.compile(r"^\S+ \d+(?:\.\d+)*-\d+ \(\d+\)")
_NUMBERED = re.compile(r"^\d+\.\s")


def fold(text: str) -> str:
    return re.sub(r"\s+", "", text)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} (poppler-utils) is missing: scripts/bootstrap.sh installs it")
    return path


def pdftotext_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    source = tmp_path / "extract.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        [tool("pdftotext"), "-raw", "-enc", "UTF-8", str(source), "-"],
        check=True,
        capture_output=True,
    )
    assert not result.stderr, result.stderr  # poppler complains about broken fonts or CMaps
    pages = result.stdout.decode().split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pypdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def strip_furniture(pages: list[str], *, running_title: str, table_header: str) -> list[str]:
    """Each page's text, folded, without what WeasyPrint repeats on every page.

    Every page ends with its margin boxes (running title, then page number), and a
    page on which the criteria table goes on starts with the repeated table header.
    The furniture must be where it belongs: a page without it fails the test.
    """
    header, title = fold(table_header), fold(running_title)
    body = []
    for number, page in enumerate(pages, start=1):
        text = fold(page)
        footer = f"{title}{number}"
        assert text.endswith(footer), (number, text[-80:])
        text = text.removesuffix(footer)
        if number > 1:
            text = text.removeprefix(header)
        body.append(text)
    return body


def occurs_across_pages(expected: str, pages: list[str]) -> bool:
    """Whether `expected` (folded) is in the text, allowing it to be cut only by page breaks.

    A table cell that runs over a page break is drawn in pieces: its first piece on
    one page (followed there by the pieces of the cells beside it), the rest on the
    next. So the string must be found as: a piece on some page, then the rest going
    on in the pages that follow, each piece whole.
    """
    target = fold(expected)
    for start in range(len(pages)):
        rest, index = target, start
        while rest and index < len(pages):
            size = _longest_prefix_in(rest, pages[index])
            if size == 0:
                break
            rest, index = rest[size:], index + 1
        if not rest:
            return True
    return False


def _longest_prefix_in(text: str, page: str) -> int:
    low, high = 0, len(text)  # prefixes present are monotone in length: bisect
    while low < high:
        middle = (low + high + 1) // 2
        if text[:middle] in page:
            low = middle
        else:
            high = middle - 1
    return low


@dataclass
class SarCells:
    """The cells of a SAR page saved as text, read here independently of the importer."""

    criteria: list[str] = field(default_factory=list)
    narratives: list[str] = field(default_factory=list)
    evidence_lines: list[str] = field(default_factory=list)

    @property
    def all(self) -> list[str]:
        return [*self.criteria, *self.narratives, *self.evidence_lines]


def sar_cells(text: str) -> SarCells:
    """Cells start on a line beginning with a tab; other lines go on with the cell above.
    A numbered cell is a criterion unless it comes right after one (then it is the
    narrative, as criterion 4's "1. สำนักพิมพ์ ..." in the seed)."""
    table = text.split("รายการเอกสารอ้างอิง", 1)[1].split("\n", 1)[1]
    cells: list[str] = []
    for line in table.split("\n"):
        if line.startswith("\t"):
            cells.append(line[1:])
        elif cells:
            cells[-1] += "\n" + line
    found = SarCells()
    after_criterion = False
    for cell in (cell.strip() for cell in cells):
        if _CODE_LINE.match(cell):
            found.evidence_lines += [line.strip() for line in cell.split("\n") if line.strip()]
            after_criterion = False
        elif _NUMBERED.match(cell) and not after_criterion:
            found.criteria.append(cell)
            after_criterion = True
        else:
            found.narratives.append(cell)
            after_criterion = False
    return found


class _VisibleText(HTMLParser):
    """The text of an HTML body as drawn: no <head>, no hidden running title."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._in_body = True
        classes = (dict(attrs).get("class") or "").split()
        if self._skip or "running-title" in classes:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._in_body and not self._skip:
            self.parts.append(data)


def visible_text(document: str) -> str:
    parser = _VisibleText()
    parser.feed(document)
    return "".join(parser.parts)  # character references are already converted
