"""The SAR PDFs give back, character for character, the Thai text that went in.

Expected strings come from the SAR pages saved as text themselves (the seed and
tests/data/sar_library_2564.txt), not from the database: what the user wrote must
come back out of the PDF, through both pypdf and `pdftotext -raw`. And how the indicator
page looks: A4, Sarabun, bookmarks, and not a pixel changed by the text-layer fix.
"""

import io
import subprocess
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from PIL import Image

from indicators.models import Assessment
from indicators.reports import assembly, pdf
from indicators.reports.weasyprint import textlayer
from tests.conftest import DATA_DIR, REPO_ROOT
from tests.pdf_helpers import (
    fold,
    occurs_across_pages,
    pdftotext_pages,
    pypdf_pages,
    sar_cells,
    strip_furniture,
    tool,
    visible_text,
)

pytestmark = pytest.mark.django_db

LIBRARY_SAR = DATA_DIR / "sar_library_2564.txt"
TABLE_HEADER = "เกณฑ์มาตรฐาน ผลการดำเนินงานตามเกณฑ์ รายการเอกสารอ้างอิง"


def extracted_pages(document: bytes, tmp_path: Path, running_title: str) -> dict[str, list[str]]:
    return {
        reader: strip_furniture(pages, running_title=running_title, table_header=TABLE_HEADER)
        for reader, pages in (
            ("pdftotext -raw", pdftotext_pages(document, tmp_path)),
            ("pypdf", pypdf_pages(document)),
        )
    }


def assert_gives_back(source: str, assessment: Assessment, tmp_path: Path) -> None:
    cells = sar_cells(source)
    assert cells.criteria and cells.narratives and cells.evidence_lines
    document = pdf.render_indicator_pdf(assessment=assessment)
    drawn = visible_text(pdf.indicator_html(assessment=assessment))
    for reader, pages in extracted_pages(document, tmp_path, assessment.unit.name).items():
        missing = [text[:40] for text in cells.all if not occurs_across_pages(text, pages)]
        assert not missing, (reader, missing)
        # Every ำ that was drawn is read back, no more, no fewer (none lost, none invented).
        text = "".join(pages)
        assert text.count("ำ") == fold(drawn).count("ำ") > 0, reader
        assert "ดาเนินงาน" not in text, reader


def test_demo_indicator_3_gives_back_the_seed(
    demo: Assessment, seed_text: str, tmp_path: Path
) -> None:
    cells = sar_cells(seed_text)
    assert (len(cells.criteria), len(cells.narratives), len(cells.evidence_lines)) == (5, 5, 32)
    assert_gives_back(seed_text, demo, tmp_path)


def test_imported_library_page_gives_back_its_text(db: None, tmp_path: Path) -> None:
    call_command(
        "import_sar",
        str(LIBRARY_SAR),
        "--unit-prefix",
        "สบ",
        "--unit-name",
        "สำนักบรรณสารสนเทศ",
        "--year",
        "2564",
        "--cycle-kind",
        "academic",
        stdout=StringIO(),
    )
    assessment = Assessment.objects.get(unit__evidence_prefix="สบ")
    assert_gives_back(LIBRARY_SAR.read_text(encoding="utf-8"), assessment, tmp_path)


# The unit's SAR laid out whole, and joined from parts laid out on their own (assembly.py).
UNIT_SAR_RENDERERS = pytest.mark.parametrize(
    "render_unit_sar", [pdf.render_unit_sar_pdf, assembly.render_unit_sar_pdf]
)


@UNIT_SAR_RENDERERS
def test_the_unit_sar_holds_every_indicator_page_and_the_evidence_index(
    demo: Assessment, seed_text: str, tmp_path: Path, render_unit_sar: Callable[..., bytes]
) -> None:
    unit, cycle = demo.unit, demo.indicator.cycle
    document = render_unit_sar(unit=unit, cycle=cycle)
    text = fold("".join(pypdf_pages(document)))
    cells = sar_cells(seed_text)
    for criterion in cells.criteria:
        assert fold(criterion)[:30] in text
    # The evidence index lists every item once more, code and caption on one row.
    for line in cells.evidence_lines:
        if not line.startswith("http"):
            assert text.count(fold(line)) >= 1, line
    for heading in ("สารบัญ", "สรุปผลการประเมินตนเอง", "ดัชนีเอกสารอ้างอิง", "ระดับคุณภาพ"):
        assert heading in text
    assert "ดีมาก" in text  # 5 criteria met: 5.00, the top Thai quality level


def test_without_the_text_layer_fix_the_same_check_fails(
    demo: Assessment, seed_text: str, tmp_path: Path
) -> None:
    """Proves the checks above can fail: WeasyPrint alone loses the SARA AM."""
    with textlayer.installed(False):
        with pytest.raises(AssertionError):
            assert_gives_back(seed_text, demo, tmp_path)
        raw = fold("".join(pypdf_pages(pdf.render_indicator_pdf(assessment=demo))))
    assert "ดาเนินงาน" in raw and "ดำเนินงาน" not in raw


# --- How the indicator page looks -------------------------------------------------------


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


@UNIT_SAR_RENDERERS
def test_a4_sarabun_metadata_and_bookmarks(
    demo: Assessment, render_unit_sar: Callable[..., bytes]
) -> None:
    unit, cycle = demo.unit, demo.indicator.cycle
    reader = pypdf.PdfReader(io.BytesIO(render_unit_sar(unit=unit, cycle=cycle)))
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
