""" "Thai distributed" justification (indicators/reports/weasyprint/justify.py) as an option
of the SAR PDFs.

The text layer must stay exact with it (same extracted text, every ำ), the lines of a justified
paragraph must end at the column's right edge but the last, and marks must stay on their base.
"""

import re
import subprocess
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
import weasyprint
from django.core.management import call_command
from django.templatetags.static import static
from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import FROM_UNITS, ffi

from indicators.models import Assessment
from indicators.reports import pdf
from indicators.reports.fetcher import BASE_URL, StaticOnlyURLFetcher
from indicators.reports.weasyprint import justify
from tests.pdf_helpers import fold, pdftotext_pages, pypdf_pages, sar_cells, tool

WIDTH_PT = 453  # the text width of an A4 page with the SAR's margins (16 cm)
# poppler ends a line's box at the font width of its last glyph, often a mark drawn back over
# its base: up to a point past the advance that Pango ends the line with.
TOLERANCE_PT = 1.0


def folded_texts(document: bytes, tmp_path: Path) -> dict[str, str]:
    return {
        "pdftotext -raw": fold("".join(pdftotext_pages(document, tmp_path))),
        "pypdf": fold("".join(pypdf_pages(document))),
    }


@pytest.mark.django_db
def test_text_layer_is_the_same_with_distributed_justification(
    demo: Assessment, tmp_path: Path
) -> None:
    plain = pdf.render_indicator_pdf(assessment=demo)
    justified = pdf.render_indicator_pdf(assessment=demo, justify=True)
    assert justified != plain
    assert 'class="thai-distributed"' in pdf.indicator_html(assessment=demo, justify=True)
    plain_texts = folded_texts(plain, tmp_path)  # exact: see test_reports_text.py
    for reader, text in folded_texts(justified, tmp_path).items():
        assert text == plain_texts[reader], reader
        assert text.count("ำ") == plain_texts[reader].count("ำ") > 0, reader
    # Not even a word break more: gaps between clusters stay below the readers' word spacing.
    words = [re.sub(r"\s+", " ", page) for page in pypdf_pages(justified)]
    assert words == [re.sub(r"\s+", " ", page) for page in pypdf_pages(plain)]


def paragraph_html(text: str, *, distributed: bool) -> str:
    body = ' class="thai-distributed"' if distributed else ""
    return (
        f'<html lang="th"><head><link rel="stylesheet" href="{static("css/sar-pdf.css")}">'
        f"<style>p {{ width: {WIDTH_PT}pt }}</style></head>"
        f'<body{body}><p class="multiline text">{text}</p></body></html>'
    )


def line_extents(document: bytes, tmp_path: Path) -> list[tuple[float, float]]:
    """(left, right) of each drawn line of the first page, top to bottom, from poppler's boxes."""
    source = tmp_path / "paragraph.pdf"
    source.write_bytes(document)
    xhtml = subprocess.run(
        [tool("pdftotext"), "-f", "1", "-l", "1", "-bbox", str(source), "-"],
        check=True,
        capture_output=True,
    ).stdout.decode()
    lines: dict[float, list[float]] = defaultdict(list)
    word = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">'
    for x_min, y_min, x_max in re.findall(word, xhtml):
        if float(y_min) < 700:  # not the page number
            lines[round(float(y_min))] += [float(x_min), float(x_max)]
    return [(min(xs), max(xs)) for _, xs in sorted(lines.items())]


@pytest.fixture
def long_narrative_line(seed_text: str) -> str:
    """The longest line of the seed's narratives: one Thai paragraph of several lines."""
    return max(
        (line for narrative in sar_cells(seed_text).narratives for line in narrative.splitlines()),
        key=len,
    )


def test_lines_end_at_the_right_edge_but_the_last(long_narrative_line: str, tmp_path: Path) -> None:
    fetcher = StaticOnlyURLFetcher()
    plain = line_extents(
        pdf.html_to_pdf(paragraph_html(long_narrative_line, distributed=False), fetcher=fetcher),
        tmp_path,
    )
    lines = line_extents(
        pdf.html_to_pdf(paragraph_html(long_narrative_line, distributed=True), fetcher=fetcher),
        tmp_path,
    )
    assert len(lines) == len(plain) >= 4
    left = lines[0][0]
    right = left + WIDTH_PT
    # Without the option the lines are ragged ...
    assert max(right - end for _, end in plain[:-1]) > 5
    # ... with it every line but the last ends at the right edge, all starting at the left one.
    for start, end in lines[:-1]:
        assert abs(start - left) < TOLERANCE_PT and abs(end - right) < TOLERANCE_PT
    last_start, last_end = lines[-1]
    assert abs(last_start - left) < TOLERANCE_PT
    assert last_end == pytest.approx(plain[-1][1], abs=TOLERANCE_PT)  # left aligned, unspread
    assert last_end < right - 5


def first_justified_box(text: str) -> boxes.TextBox:
    html = weasyprint.HTML(
        string=paragraph_html(text, distributed=True),
        base_url=BASE_URL,
        url_fetcher=StaticOnlyURLFetcher(),
    )
    page = html.render().pages[0]._page_box
    stack = [page]
    while stack:
        box = stack.pop(0)
        if isinstance(box, boxes.LineBox) and box.element_tag == "p":
            return next(child for child in box.children if isinstance(child, boxes.TextBox))
        stack.extend(getattr(box, "children", []))
    raise AssertionError("no line")


def glyph_positions(box: boxes.TextBox) -> list[tuple[int, str, float]]:
    """(cluster, character starting the cluster, x where the glyph is drawn) for a drawn box."""
    box.pango_layout.reactivate(box.style)
    first_line, _ = box.pango_layout.get_first_line()
    utf8 = box.pango_layout.text.encode()
    positions: list[tuple[int, str, float]] = []
    pen = 0
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        glyphs = glyph_item.glyphs
        clusters = ffi.unpack(glyphs.log_clusters, glyphs.num_glyphs)
        for info, cluster in zip(glyphs.glyphs[0 : glyphs.num_glyphs], clusters, strict=True):
            start = glyph_item.item.offset + cluster
            character = utf8[start : start + 4].decode(errors="ignore")[:1]
            x = (pen + info.geometry.x_offset) * FROM_UNITS
            positions.append((start, character, x))
            pen += info.geometry.width
    box.pango_layout.deactivate()
    return positions


@pytest.mark.django_db
def test_marks_and_sara_am_stay_on_their_base(long_narrative_line: str) -> None:
    text = f"น้ำดำเนินงานที่เพื่อนำ {long_narrative_line}"
    box = first_justified_box(text)
    spaced = glyph_positions(box)
    spacing = box.pango_layout.kmt_spacing
    assert spacing > 0
    box.pango_layout.kmt_spacing = 0  # the same line, drawn without the spacing
    unspaced = glyph_positions(box)
    moves = [a[2] - b[2] for a, b in zip(spaced, unspaced, strict=True)]
    characters = [character for _, character, _ in spaced]
    assert "ำ" in characters and "่" in characters
    for index in range(1, len(moves)):
        same_cluster = spaced[index][0] == spaced[index - 1][0]
        character = characters[index]
        if same_cluster or unicodedata.category(character) == "Mn" or character == "ำ":
            # Glyphs of a cluster, above/below vowels, tone marks and SARA AM move with the
            # glyph before them: only the gaps between grapheme clusters grow.
            assert moves[index] == pytest.approx(moves[index - 1], abs=1e-6), index
    assert len(set(moves)) > 10  # and they do grow: the line was spread


def test_install_is_idempotent_and_checks_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    assert justify.is_installed()  # by indicators.reports.pdf
    justify.install()
    assert justify.is_installed()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match="70.0"):
        justify.install()


@pytest.mark.django_db
def test_render_sar_justify_flag(demo: Assessment, tmp_path: Path) -> None:
    plain, justified = tmp_path / "plain.pdf", tmp_path / "justified.pdf"
    for output, flags in ((plain, []), (justified, ["--justify"])):
        call_command(
            "render_sar", "--unit", demo.unit.evidence_prefix, "--year",
            str(demo.indicator.cycle.year_be), "--indicator", str(demo.indicator.number),
            "--output", str(output), *flags,
        )  # fmt: skip
    assert plain.read_bytes() != justified.read_bytes()
    assert folded_texts(plain.read_bytes(), tmp_path) == folded_texts(
        justified.read_bytes(), tmp_path
    )
