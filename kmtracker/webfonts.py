"""The web pages' fonts as WOFF2, made from the TTF files that the PDF reports use.

Sarabun arrives as TTF in a pinned PyPI package (fontpkg-sarabun). Browsers get
the same glyphs as WOFF2, about half the bytes; WeasyPrint keeps the TTF (its Thai
text-layer fix needs glyf tables). The conversion is fontTools with Brotli, both
pinned in requirements.txt, so the same inputs give the same bytes every time.
`manage.py build_webfonts` (run by scripts/bootstrap.sh) writes them into
settings.KMT_WEBFONTS_DIR, which STATICFILES_DIRS serves under fonts/sarabun/.
"""

import shutil
from pathlib import Path

from fontTools.ttLib import TTFont

# The faces static/css/kmtracker.css declares (bold italic is synthesised).
WEB_FACES = ("Sarabun-Regular", "Sarabun-Bold", "Sarabun-Italic")


def build_webfonts(*, source: Path, target: Path) -> list[Path]:
    """Writes <face>.woff2 for each web face, and the font's licence (OFL-1.1, which
    must travel with the fonts) as OFL.txt; returns the files written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for face in WEB_FACES:
        # recalcTimestamp off: the head table keeps its date, so the bytes never change.
        font = TTFont(source / "files" / f"{face}.ttf", recalcTimestamp=False)
        font.flavor = "woff2"
        destination = target / f"{face}.woff2"
        # Written beside and renamed, so a server never reads half a font.
        partial = destination.with_suffix(".woff2.part")
        font.save(partial, reorderTables=True)
        partial.replace(destination)
        written.append(destination)
    licence = target / "OFL.txt"
    shutil.copyfile(source / "LICENSE", licence)
    written.append(licence)
    return written
