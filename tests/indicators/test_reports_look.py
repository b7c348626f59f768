"""How the indicator page looks, and that the text-layer fix changes nothing on it."""

import io
import subprocess
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from indicators.models import Assessment
from indicators.reports import pdf
from indicators.reports.weasyprint import textlayer
from tests.conftest import REPO_ROOT
from tests.pdf_helpers import tool

pytestmark = pytest.mark.django_db

OUTPUT = REPO_ROOT / "test-output" / "pdf"


def first_page_png(document: bytes, name: str) -> Path:
    """Page 1 at 100 dpi, kept under test-output/pdf/ to be looked at."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    source = OUTPUT / f"{name}.pdf"
    source.write_bytes(document)
    subprocess.run(
        [tool("pdftoppm"), "-r", "100", "-f", "1", "-l", "1", "-singlefile", "-png"]
        + [str(source), str(OUTPUT / name)],
        check=True,
        capture_output=True,
    )
    return OUTPUT / f"{name}.png"


def test_page_one_is_pixel_identical_with_and_without_the_fix(demo: Assessment) -> None:
    with textlayer.installed(True):
        fixed = pdf.render_indicator_pdf(assessment=demo)
    with textlayer.installed(False):
        unfixed = pdf.render_indicator_pdf(assessment=demo)
    assert fixed != unfixed  # the text layer differs...
    with (
        Image.open(first_page_png(fixed, "indicator-3")) as with_fix,
        Image.open(first_page_png(unfixed, "indicator-3-without-fix")) as without_fix,
    ):
        assert with_fix.size == without_fix.size
        # ...the pixels do not.
        assert with_fix.convert("RGB").tobytes() == without_fix.convert("RGB").tobytes()
        # A4 at 100 dpi, and not a blank page.
        assert with_fix.size == (827, 1170)
        assert with_fix.convert("L").getextrema()[0] < 64


def test_a4_sarabun_metadata_and_bookmarks(demo: Assessment) -> None:
    unit, cycle = demo.unit, demo.indicator.cycle
    reader = pypdf.PdfReader(io.BytesIO(pdf.render_unit_sar_pdf(unit=unit, cycle=cycle)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Only Sarabun, from the app's static files (no system font is called Sarabun here).
    assert fonts and all(font.split("+")[-1].startswith("Sarabun") for font in fonts), fonts
    assert reader.metadata is not None
    assert reader.metadata.title == f"รายงานการประเมินตนเอง {unit.name} {cycle}"
    assert reader.metadata.author == unit.name
    assert reader.trailer["/Root"]["/Lang"] == "th"

    def titles(outline: list[object]) -> list[str]:
        found: list[str] = []
        for entry in outline:
            found += titles(entry) if isinstance(entry, list) else [entry.title]
        return found

    bookmarks = titles(reader.outline)
    assert f"ตัวบ่งชี้ที่ 3 {demo.indicator.title}" in bookmarks
    criteria = [title for title in bookmarks if title.startswith("ข้อ ")]
    assert [title.split(".")[0] for title in criteria] == [f"ข้อ {n}" for n in range(1, 6)]
    # The contents page gives the indicator's real page number (target-counter).
    contents = reader.pages[1].extract_text()
    indicator_page = next(
        number
        for number, page in enumerate(reader.pages, start=1)
        if "ชนิดของตัวบ่งชี้" in page.extract_text()
    )
    entry = contents.split(demo.indicator.title, 1)[1].split("\n", 1)[0]
    assert entry.replace(".", "").split() == [str(indicator_page)], entry
