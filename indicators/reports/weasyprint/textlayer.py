"""Correct text layer for Thai (and other multi-glyph clusters) in WeasyPrint 70 PDFs.

The defect (Kozea/WeasyPrint issue #2841): WeasyPrint maps each glyph id to one Unicode text, set
by the first drawing of that glyph in the whole document, and inside a cluster of several glyphs
gives the cluster's text to one glyph and '' to the others. HarfBuzz's Thai shaper splits SARA AM
(ำ) into NIKHAHIT + SARA AA, so the SARA AA glyph reads "า" (or "ำ") everywhere and copied or
extracted text says "ดาเนินงาน" for "ดำเนินงาน".

The fix, patched into WeasyPrint at run time by ``install()`` (undone by ``uninstall()``):

1. after a line is drawn, its clusters' texts are shared over their glyphs from the end;
2. every (glyph, text) pair gets its own character code: the glyph id for the first text seen,
   else an alias code above the font's glyph ids, with the same width and its own ToUnicode entry;
3. a /CIDToGIDMap stream sends aliases back to their glyphs (Encoding stays /Identity-H);
4. clusters holding glyphs without text are wrapped in ``/Span <</ActualText ...>> BDC ... EMC``
   so that viewers reading ActualText (poppler, PDFium, MuPDF) do not invent characters.

Only character codes change, never glyphs or positions: pages look exactly the same.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pydyf
from weasyprint.draw import text as draw_text
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.pdf.fonts import Font
from weasyprint.text.ffi import ffi, pango

from .patching import WeasyPrintPatches

__all__ = ["install", "installed", "is_installed", "uninstall"]

# The patches rely on WeasyPrint internals (draw/text.py and pdf/fonts.py) of this exact release.
_MAX_CODE = 0xFFFF  # Identity-H codes are two bytes
_HEX_STRING = re.compile(rb"<([0-9a-f]*)>")
_EMPTY = pango.PANGO_GLYPH_EMPTY
_UNKNOWN = pango.PANGO_GLYPH_UNKNOWN_FLAG


@dataclass
class _FontCodes:
    """Character codes given to one WeasyPrint ``Font``."""

    codes: dict[tuple[int, str], int] = field(default_factory=dict)  # (glyph, text) -> code
    aliases: dict[int, int] = field(default_factory=dict)  # alias code -> glyph


# Kept beside the fonts rather than on them, and dropped with them.
_FONT_CODES: weakref.WeakKeyDictionary[Font, _FontCodes] = weakref.WeakKeyDictionary()


class _Glyph(NamedTuple):
    font: Font
    glyph: int  # what WeasyPrint wrote: glyph id, or its code for a missing glyph
    written: bytes  # that code as written in the TJ array
    text: str
    fixed: bool  # keep WeasyPrint's code (bitmap font, missing glyph)
    opens: str | None  # ActualText of a span opening before this glyph
    closes: bool  # a span closes after this glyph


def _share_from_end(text: str, count: int) -> list[str]:
    """Split ``text`` into ``count`` consecutive parts, one character each from the end.

    "้ำ" drawn as [NIKHAHIT+MAI THO, SARA AA] gives ['้', 'ำ']; "ำ" drawn as [NIKHAHIT, SARA AA]
    gives ['', 'ำ']. Reading the parts in drawing order always gives back ``text``.
    """
    head = max(len(text) - (count - 1), 0)
    tail = list(text[head:])
    return [""] * (count - 1 - len(tail)) + [text[:head], *tail]


def _line_glyphs(stream: Any, textbox: Any) -> list[_Glyph]:
    """Glyphs of the line just drawn, in the order WeasyPrint wrote their codes."""
    first_line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    glyphs: list[_Glyph] = []
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        item, glyph_string = glyph_item.item, glyph_item.glyphs
        font, _ = stream.add_font(item.analysis.font)  # cached: the Font WeasyPrint just used
        count = glyph_string.num_glyphs
        ids = [info.glyph for info in glyph_string.glyphs[0:count]]
        clusters = ffi.unpack(glyph_string.log_clusters, count)
        rtl = bool(item.analysis.level % 2)
        start = 0
        while start < count:
            end = start + 1
            while end < count and clusters[end] == clusters[start]:
                end += 1
            # Same bounds as WeasyPrint: a cluster's text ends where the next cluster begins.
            text_end = (end == count and not rtl) or (start == 0 and rtl)
            limit = item.length if text_end else clusters[start - 1 if rtl else end]
            text = utf8[item.offset + clusters[start] : item.offset + limit].decode()
            cluster_ids = [glyph_id for glyph_id in ids[start:end] if glyph_id != _EMPTY]
            start = end
            if len(cluster_ids) == 1 and not (font.bitmap or cluster_ids[0] & _UNKNOWN):
                # Most clusters: one glyph, one text, nothing to share.
                written = b"%04x" % cluster_ids[0]
                glyphs.append(_Glyph(font, cluster_ids[0], written, text, False, None, False))
                continue
            if not cluster_ids:
                continue
            if rtl:  # keep WeasyPrint's sharing: whole text on the first glyph drawn
                texts = [text] + [""] * (len(cluster_ids) - 1)
            else:
                texts = _share_from_end(text, len(cluster_ids))
            fixed = font.bitmap or any(glyph_id & _UNKNOWN for glyph_id in cluster_ids)
            span = text if text and "" in texts and not fixed else None
            last = len(cluster_ids) - 1
            for index, (glyph_id, glyph_text) in enumerate(zip(cluster_ids, texts, strict=True)):
                if glyph_id & _UNKNOWN:  # WeasyPrint already gave it a code: get it back
                    glyph_id = font.get_unused_glyph_id(glyph_id - _UNKNOWN)
                written = b"%02x" % glyph_id if font.bitmap else b"%04x" % glyph_id
                opens = span if index == 0 else None
                closes = span is not None and index == last
                glyphs.append(_Glyph(font, glyph_id, written, glyph_text, fixed, opens, closes))
    return glyphs


def _code(glyph: _Glyph) -> int:
    """Character code drawing ``glyph.glyph`` and reading ``glyph.text``."""
    font, glyph_id, text = glyph.font, glyph.glyph, glyph.text
    state = _FONT_CODES.get(font)
    if state is None:
        state = _FONT_CODES[font] = _FontCodes()
    if (code := state.codes.get((glyph_id, text))) is not None:
        return code
    current = font.to_unicode.get(glyph_id)
    if current is None or state.codes.get((glyph_id, current)) != glyph_id:
        # Not claimed yet: WeasyPrint's entry (if any) was written while drawing this very line,
        # with the unshared cluster text. The glyph id itself takes this text.
        font.to_unicode[glyph_id] = text
        state.codes[glyph_id, text] = glyph_id
        return glyph_id
    # Aliases and WeasyPrint's codes for missing glyphs share the codes after the glyph ids
    # (see _get_unused_glyph_id), so they never collide.
    code = font.glyph_count + len(font.missing) + len(state.aliases)
    if code > _MAX_CODE:
        return glyph_id  # out of codes: draw right, read the first text
    state.aliases[code] = glyph_id
    state.codes[glyph_id, text] = code
    font.to_unicode[code] = text
    font.widths[code] = font.widths[glyph_id]
    return code


def _actual_text(text: str) -> bytes:
    return (
        b"/Span <</ActualText <FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">>> BDC"
    )


def _is_show_text(item: object) -> bool:
    return isinstance(item, bytes) and item.startswith(b"[") and item.endswith(b"] TJ")


def _rewrite(items: list[Any], glyphs: list[_Glyph]) -> list[Any]:
    """``items`` with new codes, TJ arrays split around ActualText spans.

    Splitting a TJ array into consecutive TJ operators moves nothing: numbers and glyph widths
    advance the text matrix the same way.
    """
    output: list[Any] = []
    array: list[bytes] = []  # the TJ array being rebuilt

    def flush() -> None:
        if array:
            output.append(b"[" + b"".join(array) + b"] TJ")
            array.clear()

    position = 0
    for item in items:
        if not _is_show_text(item):
            output.append(item)  # Tf, Ts, Tm: kept in place
            continue
        for index, part in enumerate(_HEX_STRING.split(item[1:-4])):
            if index % 2 == 0 or not part:
                # Numbers, and the empty strings WeasyPrint puts between two numbers.
                array.append(part if index % 2 == 0 else b"<>")
                continue
            for _ in range(len(part) // len(glyphs[position].written)):  # one font per TJ
                glyph = glyphs[position]
                if glyph.opens is not None:
                    flush()
                    output.append(_actual_text(glyph.opens))
                code = glyph.written
                if not glyph.fixed and (new_code := _code(glyph)) != glyph.glyph:
                    code = b"%04x" % new_code
                array.append(b"<" + code + b">")
                if glyph.closes:
                    flush()
                    output.append(b"EMC")
                position += 1
        flush()
    return output


def _written_codes(items: list[Any]) -> bytes:
    return b"".join(b"".join(_HEX_STRING.findall(item)) for item in items if _is_show_text(item))


def _draw_first_line(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's ``draw_first_line``, then the new codes written over its glyph ids."""
    start = len(stream.stream)
    emojis = _patches.originals["draw_first_line"](stream, textbox, *args, **kwargs)
    items = stream.stream[start:]
    if not any(_is_show_text(item) for item in items):
        return emojis  # nothing drawn
    glyphs = _line_glyphs(stream, textbox)
    # Only rewrite what we understand: the codes walked must be exactly the codes written.
    if _written_codes(items) == b"".join(glyph.written for glyph in glyphs):
        stream.stream[start:] = _rewrite(items, glyphs)
    return emojis


def _get_unused_glyph_id(font: Font, codepoint: int) -> int:
    """WeasyPrint's code for a missing glyph, not colliding with alias codes."""
    state = _FONT_CODES.get(font)
    if state and state.aliases and codepoint not in font.missing:
        code = font.glyph_count + len(font.missing) + len(state.aliases)
        if code <= _MAX_CODE:  # else WeasyPrint warns and uses its last code
            font.missing[codepoint] = code
    return _patches.originals["get_unused_glyph_id"](font, codepoint)


def _build_vector_font_dictionary(
    font_dictionary: pydyf.Dictionary,
    pdf: pydyf.PDF,
    font: Font,
    widths: dict[int, float],
    compress: bool,
    reference: bytes,
    pdf_version: Any,
) -> None:
    """WeasyPrint's CIDFont dictionary, plus a /CIDToGIDMap sending aliases to their glyphs."""
    state = _FONT_CODES.get(font)
    if state is None:
        _patches.originals["build_vector_font_dictionary"](
            font_dictionary, pdf, font, widths, compress, reference, pdf_version
        )
        return
    aliases = state.aliases
    if widths is not font.widths:
        # full_fonts or form fields: WeasyPrint read widths and ToUnicode from the font file,
        # which knows neither aliases nor shared cluster texts.
        for code, glyph_id in aliases.items():
            widths.setdefault(code, widths[glyph_id])
        _append_to_unicode(pdf.objects[_number(font_dictionary["ToUnicode"])], font.to_unicode)
    _patches.originals["build_vector_font_dictionary"](
        font_dictionary, pdf, font, widths, compress, reference, pdf_version
    )
    if not aliases:
        return
    # Codes of missing glyphs go to .notdef; WeasyPrint's Encoding already sends them to CID 0.
    cid_to_gid = [cid if cid < font.glyph_count else 0 for cid in range(max(aliases) + 1)]
    for code, glyph_id in aliases.items():
        cid_to_gid[code] = glyph_id
    mapping = pydyf.Stream(
        [b"".join(gid.to_bytes(2, "big") for gid in cid_to_gid)], compress=compress
    )
    pdf.add_object(mapping)
    pdf.objects[_number(font_dictionary["DescendantFonts"][0])]["CIDToGIDMap"] = mapping.reference


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _append_to_unicode(cmap: pydyf.Stream, to_unicode: dict[int, str]) -> None:
    """Add entries at the end of a ToUnicode CMap: pypdf and poppler let later entries win."""
    entries = [
        f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode()
        for code, text in to_unicode.items()
    ]
    blocks: list[bytes] = []
    for start in range(0, len(entries), 100):  # at most 100 entries per block
        batch = entries[start : start + 100]
        blocks += [f"{len(batch)} beginbfchar".encode(), *batch, b"endbfchar"]
    end = cmap.stream.index(b"endcmap")
    cmap.stream[end:end] = blocks


_patches = WeasyPrintPatches(
    label="indicators.reports.weasyprint.textlayer",
    patches={
        "draw_first_line": (draw_text, "draw_first_line", _draw_first_line),
        "get_unused_glyph_id": (Font, "get_unused_glyph_id", _get_unused_glyph_id),
        "build_vector_font_dictionary": (
            pdf_fonts,
            "_build_vector_font_dictionary",
            _build_vector_font_dictionary,
        ),
    },
    upgrade_note=(
        "check the fix against the new release (is Kozea/WeasyPrint#2841 fixed?) "
        "before changing the pin"
    ),
)
install = _patches.install
uninstall = _patches.uninstall
is_installed = _patches.is_installed


@contextmanager
def installed(enabled: bool = True) -> Iterator[None]:
    """Render with (or, ``enabled=False``, without) the fix, then restore the previous state."""
    was_installed = is_installed()
    if enabled:
        install()
    else:
        uninstall()
    try:
        yield
    finally:
        if was_installed:
            install()
        else:
            uninstall()
