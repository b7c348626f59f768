"""The web pages get Sarabun as WOFF2, made reproducibly from the package's TTF;
the PDF keeps the TTF."""

import re
from pathlib import Path

import fontpkg_sarabun
from django.conf import settings
from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont

from kmtracker.webfonts import WEB_FACES, build_webfonts

STATIC = Path(settings.BASE_DIR) / "static"


def test_the_same_ttf_gives_the_same_woff2(tmp_path: Path) -> None:
    first = build_webfonts(source=fontpkg_sarabun.ROOT, target=tmp_path / "a")
    second = build_webfonts(source=fontpkg_sarabun.ROOT, target=tmp_path / "b")
    assert [p.name for p in first] == [f"{face}.woff2" for face in WEB_FACES] + ["OFL.txt"]
    for one, other in zip(first, second, strict=True):
        assert one.read_bytes() == other.read_bytes(), one.name
    assert "SIL Open Font License" in (tmp_path / "a" / "OFL.txt").read_text()


def test_the_woff2_holds_the_ttf_glyphs_in_fewer_bytes(tmp_path: Path) -> None:
    [regular, *_] = build_webfonts(source=fontpkg_sarabun.ROOT, target=tmp_path)
    ttf_path = fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf"
    woff2, ttf = TTFont(regular), TTFont(ttf_path)
    assert woff2.flavor == "woff2" and regular.read_bytes()[:4] == b"wOF2"
    assert woff2.getBestCmap() == ttf.getBestCmap()
    assert ord("ก") in woff2.getBestCmap() and ord("ำ") in woff2.getBestCmap()
    assert woff2.getGlyphOrder() == ttf.getGlyphOrder()
    assert regular.stat().st_size < ttf_path.stat().st_size * 0.6


def test_pages_load_woff2_and_the_pdf_keeps_ttf() -> None:
    page_fonts = re.findall(
        r'url\("\.\./(fonts/[^"]+)"\)', (STATIC / "css/kmtracker.css").read_text()
    )
    assert page_fonts == [f"fonts/sarabun/{face}.woff2" for face in WEB_FACES]
    for font in page_fonts:
        found = finders.find(font)  # built by scripts/bootstrap.sh into KMT_WEBFONTS_DIR
        assert found and Path(str(found)).read_bytes()[:4] == b"wOF2", font
    pdf_fonts = re.findall(r'url\("\.\./(fonts/[^"]+)"\)', (STATIC / "css/sar-pdf.css").read_text())
    assert pdf_fonts and all(font.endswith(".ttf") for font in pdf_fonts)
