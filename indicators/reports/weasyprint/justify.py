"""Thai distributed justification (as Word's "Thai distributed") for WeasyPrint 70 PDFs.

``text-align: justify`` in WeasyPrint widens only spaces, which Thai hardly has: justified Thai
lines get a few big gaps. Official Thai documents spread a line's extra width evenly between
grapheme clusters instead. Elements ask for it in CSS with ``text-align: justify;
--kmt-text-justify: distribute`` (a custom property standing in for ``text-justify:
inter-character``, which WeasyPrint does not know); the last line of a paragraph and lines ending
in a preserved line break stay at the start, as ``text-align: justify`` already does.

Why not the obvious ways:

* Pango's letter-spacing attribute (what CSS ``letter-spacing`` uses) spreads at Pango's own
  cursor positions: with Pango 1.50 it opened gaps inside "ดำ" and "น้ำ", between base and ำ.
* Re-laying out lines or forking ``layout/inline.py`` is far more code than what is needed.

What ``install()`` patches instead (two small hooks, nothing else of WeasyPrint changes):

1. ``layout.inline.justify_line``, the step ``text-align: justify`` already calls for every
   non-last line: for lines asking for distribution it counts the starts of grapheme clusters
   (the rule of ``_joins``) in the line's text boxes, gives each box a spacing per cluster and
   moves the boxes after it, as WeasyPrint does for word spacing. Gaps stop at 0.08 em, where
   poppler starts to see word breaks; what is left goes to the line's spaces (WeasyPrint's own
   word spacing), and a line with no space then stays a little short;
2. ``text.line_break.Layout.get_first_line``: when a text box with such a spacing is drawn,
   the first glyph of each grapheme cluster (but the box's first) is moved right and widened
   by the spacing in Pango's shaped line, as Pango itself does for letter spacing. Glyph ids
   and clusters are untouched and the marks after a base move with it, so marks and ำ stay on
   their base and the text layer (``textlayer.py``) reads exactly the same text. Spacing put
   before a base (rather than after a cluster's last glyph, often a mark with its own offset)
   also keeps each gap in the PDF's TJ arrays small, so pypdf sees no word break there.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi

from .patching import WeasyPrintPatches

__all__ = ["CSS_PROPERTY", "install", "is_installed", "uninstall"]

CSS_PROPERTY = "--kmt-text-justify"  # value: distribute
_STYLE_KEY = CSS_PROPERTY.replace("-", "_")  # how WeasyPrint keys custom properties
_MARKS = {"Mn", "Mc", "Me"}
# Gaps from this share of the font size up would make text extractors see word breaks inside Thai
# words (poppler at 0.1 em, pypdf at 0.95 of the font's space width).
_MAX_SPACING_EM = 0.08


def _joins(character: str) -> bool:
    """Whether ``character`` belongs to the grapheme cluster before it (no spacing before it).

    Marks (above/below vowels, tone marks), SARA AM and LAO AM (spacing marks that Unicode keeps
    in the cluster but whose general category is Lo), joiners and variation selectors.
    """
    return (
        character in "\u0e33\u0eb3\u200c\u200d"
        or unicodedata.category(character) in _MARKS
        or "\ufe00" <= character <= "\ufe0f"
    )


def _opportunities(layout: line_break.Layout) -> Iterator[Any]:
    """First glyphs of the grapheme clusters on the first line of ``layout``, but the first."""
    first_line = _patches.originals["get_first_line"](layout)[0]
    utf8 = layout.text.encode()
    first = True
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        offset = glyph_item.item.offset
        glyph_string = glyph_item.glyphs
        count = glyph_string.num_glyphs
        clusters = ffi.unpack(glyph_string.log_clusters, count)
        for index in range(count):
            if index and clusters[index] == clusters[index - 1]:
                continue  # same HarfBuzz cluster: never split
            start = offset + clusters[index]
            character = utf8[start : start + 4].decode(errors="ignore")[:1]
            if character and not _joins(character):
                if not first:
                    yield glyph_string.glyphs + index
                first = False


def _distributed(style: Any) -> bool:
    value = style[_STYLE_KEY]
    return bool(value) and getattr(value[0], "value", None) == "distribute"


def _text_boxes(box: Any) -> Iterator[Any]:
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _shift(box: Any, spacing: dict[int, float], x_advance: float) -> float:
    """Move ``box`` by ``x_advance``, widen its text boxes; the advance for what follows."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        extra = spacing.get(id(box), 0.0)
        box.width += extra
        return x_advance + extra
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        start = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _shift(child, spacing, x_advance)
        box.width += x_advance - start
        return x_advance
    box.translate(x_advance, 0)  # atomic inline (image, inline-block)
    return x_advance


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Distribute ``extra_width`` between the grapheme clusters of ``line``."""
    if not _distributed(line.style) or line.style["direction"] == "rtl":
        _patches.originals["justify_line"](context, line, extra_width)
        return
    texts = list(_text_boxes(line))
    counts = []
    gaps = len(texts) - 1  # between two text boxes
    for box in texts:
        layout = line_break.create_layout(box.text, box.style, context, None, 0)
        counts.append(sum(1 for _ in _opportunities(layout)))
        gaps += counts[-1]
    if gaps <= 0:
        return
    # Wider gaps between clusters would read as word breaks in extracted text (poppler breaks
    # words at 0.1 em): what they cannot take goes to the spaces, as WeasyPrint's justify does.
    spacing = min(
        [extra_width / gaps] + [_MAX_SPACING_EM * box.style["font_size"] for box in texts]
    )
    spaces = inline.count_expandable_spaces(line)
    word_spacing = (extra_width - spacing * gaps) / spaces if spaces else 0.0
    widths: dict[int, float] = {}
    for index, (box, found) in enumerate(zip(texts, counts, strict=True)):
        layout = line_break.create_layout(box.text, box.style, context, None, word_spacing)
        layout.kmt_spacing = round(spacing * TO_UNITS)
        layout.deactivate()
        box.pango_layout, box.justification_spacing = layout, word_spacing
        between = spacing if index < len(texts) - 1 else 0.0  # gap after this box
        widths[id(box)] = (
            found * layout.kmt_spacing / TO_UNITS
            + inline.count_expandable_spaces(box) * word_spacing
            + between
        )
    _shift(line, widths, 0.0)


def _get_first_line(layout: line_break.Layout) -> tuple[Any, int | None]:
    """Pango's first line, its cluster-ending glyphs widened once for distributed lines."""
    first_line, index = _patches.originals["get_first_line"](layout)
    spacing = getattr(layout, "kmt_spacing", 0)
    key = (layout.layout, layout.text)
    if spacing and getattr(layout, "kmt_spaced", None) != key:
        for glyph in _opportunities(layout):
            glyph.geometry.x_offset += spacing
            glyph.geometry.width += spacing
        layout.kmt_spaced = key  # the line stays shaped until the text or layout changes
    return first_line, index


_patches = WeasyPrintPatches(
    label="indicators.reports.weasyprint.justify",
    patches={
        "justify_line": (inline, "justify_line", _justify_line),
        "get_first_line": (line_break.Layout, "get_first_line", _get_first_line),
    },
    upgrade_note=(
        "check layout/inline.py and text/line_break.py of the new release before changing the pin"
    ),
)
install = _patches.install
uninstall = _patches.uninstall
is_installed = _patches.is_installed
