"""The Thai text layer of WeasyPrint PDFs, with and without the fix in
``indicators.reports.weasyprint.textlayer``.

Text is extracted with pypdf (reads ToUnicode only) and ``pdftotext -raw`` (poppler: ToUnicode
and ActualText, in content-stream order); whitespace is removed on both sides, since Thai line
breaks add breaks. Plain ``pdftotext`` (without -raw) re-sorts marks by position: not used.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from random import Random

import fontpkg_sarabun
import pypdf
import pytest
import weasyprint
from PIL import Image
from weasyprint.urls import URLFetcher, URLFetcherResponse

from indicators.demo import SEED_FILE
from indicators.reports.weasyprint import textlayer

FONTS = fontpkg_sarabun.ROOT / "files"
FAMILY = "KMT Sarabun Test"  # checked in the PDF: a failed @font-face would fall back silently
SAMPLE = "กำหนด น้ำ การ ค่ำ ที่"
LATIN = "KM Tracker report, 2563 (Bold: ผลการดำเนินงาน)"


def seed_path() -> Path:
    return Path(os.environ.get("KMT_SEED_FILE", SEED_FILE))


def fold(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page(paragraphs: list[str], font_url: str = FONTS.as_uri() + "/", bold_every: int = 0) -> str:
    """HTML page in Thai with Sarabun regular and bold from @font-face."""
    body = "".join(
        f"<p><b>{html.escape(text)}</b></p>"
        if bold_every and index % bold_every == bold_every - 1
        else f"<p>{html.escape(text)}</p>"
        for index, text in enumerate(paragraphs)
    )
    return f"""<!doctype html><html lang="th"><head><style>
      @font-face {{ font-family: "{FAMILY}"; src: url({font_url}Sarabun-Regular.ttf); }}
      @font-face {{
        font-family: "{FAMILY}"; font-weight: bold; src: url({font_url}Sarabun-Bold.ttf);
      }}
      @page {{ size: A4; margin: 2cm 2cm 2cm 3cm; }}
      body {{ font-family: "{FAMILY}"; font-size: 16pt; line-height: 1.5; }}
    </style></head><body>{body}</body></html>"""


def render(document: str, fixed: bool, **kwargs: object) -> bytes:
    options = {key: kwargs.pop(key) for key in ("full_fonts",) if key in kwargs}
    with textlayer.installed(fixed):
        pdf = weasyprint.HTML(string=document, **kwargs).write_pdf(**options)
    assert isinstance(pdf, bytes)
    return pdf


def pypdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for pdf_page in reader.pages
        for font in pdf_page["/Resources"]["/Font"].values()
    }
    assert fonts and all(FAMILY.replace(" ", "-") in font for font in fonts), fonts
    return "".join(pdf_page.extract_text() for pdf_page in reader.pages)


def needs(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def pdftotext_raw(pdf: bytes, tmp_path: Path) -> str:
    tool = needs("pdftotext")
    (tmp_path / "in.pdf").write_bytes(pdf)
    result = subprocess.run(
        [tool, "-raw", "-enc", "UTF-8", str(tmp_path / "in.pdf"), "-"],
        check=True,
        capture_output=True,
    )
    assert not result.stderr, result.stderr  # poppler complains about broken fonts or CMaps
    return result.stdout.decode()


def pixels(pdf: bytes, tmp_path: Path, name: str) -> list[bytes]:
    """Every page rasterised at 50 dpi, as decoded RGB pixels."""
    tool = needs("pdftoppm")
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        [tool, "-r", "50", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)],
        check=True,
        capture_output=True,
    )
    images = []
    for png in sorted(tmp_path.glob(f"{name}-*.png")):
        with Image.open(png) as image:
            images.append(image.convert("RGB").tobytes())
    assert images
    return images


def mark_syllables() -> list[str]:
    """Consonants (plain, ascender, descender) with every vowel mark, tone mark and ำ."""
    consonants = "กขคนบปฝฟญฎฐสอห"
    vowels = ["", "ั", "ิ", "ี", "ึ", "ื", "ุ", "ู"]
    tones = ["", "่", "้", "๊", "๋"]
    words = []
    for consonant in consonants:
        for vowel in vowels:
            final = "ง" if vowel == "ั" else ""
            words += [consonant + vowel + tone + final for tone in tones]
        words += [consonant + tone + "ำ" for tone in tones]  # ำ, น้ำ, ค่ำ, ก๊ำ, ก๋ำ
        words += [consonant + "็น", consonant + "์", "เ" + consonant + "็ก", consonant + "ิ์"]
    # Shuffled, so that glyphs are first drawn in varied roles.
    Random(2841).shuffle(words)
    return words


@pytest.fixture(autouse=True)
def _restore_weasyprint() -> Iterator[None]:
    # The project installs the fix once for every report (indicators.reports.pdf): leave
    # WeasyPrint as this test found it, so that later tests in the run still get the fix.
    was_installed = textlayer.is_installed()
    yield
    if was_installed:
        textlayer.install()
    else:
        textlayer.uninstall()


@pytest.fixture(scope="module")
def seed_paragraphs() -> list[str]:
    seed = seed_path().read_text(encoding="utf-8")
    return [SAMPLE, LATIN, *(line for line in seed.splitlines() if line.strip())]


@pytest.fixture(scope="module")
def seed_pdfs(seed_paragraphs: list[str]) -> dict[bool, bytes]:
    document = page(seed_paragraphs, bold_every=5)
    return {fixed: render(document, fixed) for fixed in (False, True)}


@pytest.fixture(scope="module")
def marks_pdf() -> bytes:
    words = mark_syllables()
    paragraphs = [" ".join(words[start : start + 40]) for start in range(0, len(words), 40)]
    return render(page(paragraphs, bold_every=2), fixed=True)


def test_seed_has_sara_am(seed_paragraphs: list[str]) -> None:
    assert "".join(seed_paragraphs[2:]).count("ำ") == 91


def test_seed_text_with_pypdf(seed_pdfs: dict[bool, bytes], seed_paragraphs: list[str]) -> None:
    source = fold("".join(seed_paragraphs))
    text = fold(pypdf_text(seed_pdfs[True]))
    assert text.count("ำ") == source.count("ำ")
    assert text == source


def test_seed_text_with_pdftotext(
    seed_pdfs: dict[bool, bytes], seed_paragraphs: list[str], tmp_path: Path
) -> None:
    source = fold("".join(seed_paragraphs))
    text = fold(pdftotext_raw(seed_pdfs[True], tmp_path))
    assert text.count("ำ") == source.count("ำ")
    assert text == source


def test_defect_without_fix(
    seed_pdfs: dict[bool, bytes], seed_paragraphs: list[str], tmp_path: Path
) -> None:
    # Proves the tests above can fail: WeasyPrint alone loses or invents ำ.
    source = fold("".join(seed_paragraphs))
    text = fold(pypdf_text(seed_pdfs[False]))
    assert "ดำเนินงาน" in source
    assert "ดำเนินงาน" not in text
    assert text.count("ำ") != source.count("ำ")
    if shutil.which("pdftotext"):
        assert fold(pdftotext_raw(seed_pdfs[False], tmp_path)) != source


def test_pages_look_the_same(seed_pdfs: dict[bool, bytes], tmp_path: Path) -> None:
    without, with_fix = (pixels(seed_pdfs[fixed], tmp_path, str(fixed)) for fixed in (False, True))
    assert len(without) == len(with_fix) > 1
    assert without == with_fix


def test_mark_combinations(marks_pdf: bytes, tmp_path: Path) -> None:
    source = fold("".join(mark_syllables()))
    assert len(mark_syllables()) > 500
    assert len(pypdf.PdfReader(io.BytesIO(marks_pdf)).pages) > 1
    assert fold(pypdf_text(marks_pdf)) == source
    assert fold(pdftotext_raw(marks_pdf, tmp_path)) == source


def test_actual_text_spans(seed_pdfs: dict[bool, bytes]) -> None:
    # pypdf ignores them; PDFium and MuPDF need them not to invent a character for NIKHAHIT.
    spans = 0
    for pdf_page in pypdf.PdfReader(io.BytesIO(seed_pdfs[True])).pages:
        content = pdf_page.get_contents()
        assert content is not None
        data = content.get_data()
        assert data.count(b" BDC") == data.count(b"EMC")
        spans += data.count(b"/Span <</ActualText <FEFF0E33>>> BDC")
    assert spans > 0
    assert b"ActualText" not in seed_pdfs[False]


def test_missing_glyphs_after_aliases(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    # WeasyPrint gives characters no font has codes after the glyph ids, like the aliases.
    # It then writes an Encoding CMap that pypdf misreads, with or without the fix: use poppler.
    paragraphs = ["กำหนด การ", "\ue000 ดำเนินงาน \ue001", "ค่ำ น้ำ ที่ \ue000 การ"]
    document = page(paragraphs)
    pdf = render(document, fixed=True)
    assert ".notdef glyph rendered" in caplog.text
    assert fold(pdftotext_raw(pdf, tmp_path)) == fold("".join(paragraphs))
    assert pixels(pdf, tmp_path, "fixed") == pixels(render(document, False), tmp_path, "unfixed")


class StaticFetcher(URLFetcher):
    """Serves fonts under static:/ like the project's static files."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith("static:/fonts/"):
            body = (FONTS / url.removeprefix("static:/fonts/")).read_bytes()
            return URLFetcherResponse(url, body, {"Content-Type": "font/ttf"})
        return super().fetch(url, headers)


@pytest.mark.parametrize(
    "font_url, kwargs",
    [
        ("", {"base_url": FONTS.as_uri() + "/"}),
        ("static:/fonts/", {"url_fetcher": StaticFetcher()}),
    ],
    ids=["relative-url", "url-fetcher"],
)
def test_font_urls(font_url: str, kwargs: dict[str, object], tmp_path: Path) -> None:
    paragraphs = [SAMPLE, LATIN, SAMPLE]
    pdf = render(page(paragraphs, font_url, bold_every=2), fixed=True, **kwargs)
    assert fold(pypdf_text(pdf)) == fold("".join(paragraphs))
    assert fold(pdftotext_raw(pdf, tmp_path)) == fold("".join(paragraphs))


def test_full_fonts(tmp_path: Path) -> None:
    # WeasyPrint then writes widths and ToUnicode from the font file.
    paragraphs = [SAMPLE, LATIN, "การดำเนินงาน น้ำ"]
    document = page(paragraphs, bold_every=2)
    pdf = render(document, fixed=True, full_fonts=True)
    assert fold(pypdf_text(pdf)) == fold("".join(paragraphs))
    assert fold(pdftotext_raw(pdf, tmp_path)) == fold("".join(paragraphs))
    unfixed = render(document, fixed=False, full_fonts=True)
    assert pixels(pdf, tmp_path, "fixed") == pixels(unfixed, tmp_path, "unfixed")


def test_install_is_idempotent_and_undone() -> None:
    from weasyprint.draw import text as draw_text

    textlayer.uninstall()  # the project installs it on import of indicators.reports.pdf
    original = draw_text.draw_first_line
    textlayer.install()
    patched = draw_text.draw_first_line
    textlayer.install()
    assert draw_text.draw_first_line is patched is not original
    assert textlayer.is_installed()
    textlayer.uninstall()
    textlayer.uninstall()
    assert draw_text.draw_first_line is original
    assert not textlayer.is_installed()


def test_version_is_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    textlayer.uninstall()
    # A context, so that the real version is back before the autouse fixture reinstalls.
    with monkeypatch.context() as patch:
        patch.setattr(weasyprint, "__version__", "71.0")
        with pytest.raises(RuntimeError, match="70.0"):
            textlayer.install()
        assert not textlayer.is_installed()
