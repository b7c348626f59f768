"""A unit's annual SAR joined from its stored parts (sections.py) with pypdf.

Only the small front matter (cover, contents, summary) is laid out afresh; the
indicators' sections and the evidence index come from storage, laid out again first if
their data changed since (so the PDF is never older than the data it is made from), in
other processes while the front matter is laid out here. The stored parts carry no page
numbers: each page gets its number stamped from a sheet of numbers laid out by
WeasyPrint with the same stylesheet, so the numbers look as in a SAR laid out whole and
the Thai text layer of the page is untouched. The contents are told each part's first
page; the outline (bookmarks) is rebuilt part by part under the cover's title; the
contents' links are added back.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

import weasyprint
from django.conf import settings
from django.utils import translation
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import Destination, Fit, IndirectObject, NameObject, TextStringObject

from indicators.models import Cycle, Unit

from . import pdf
from .fetcher import BASE_URL, StaticOnlyURLFetcher
from .sections import lay_out_part, part_fingerprint, parts_render, section_specs

# WeasyPrint measures in CSS pixels, PDF in points.
POINTS_PER_PX = 0.75


@lru_cache(maxsize=4)
def page_number_sheets(count: int, stylesheet: str) -> bytes:
    """`count` pages with nothing on them but their page number, as the SAR prints it.
    Kept per process (the worker lives long): the same sheets serve every SAR."""
    html = pdf.report_html(
        "indicators/reports/sar_page_numbers.html",
        {"pages": range(count), "document_title": "", "document_author": ""},
    )
    return lay_out_part(html)


def _sheets(count: int) -> PdfReader:
    rounded = -(-count // 64) * 64  # a few sizes, so the cache is reused
    # The fingerprint of nothing stands for the stylesheet (and WeasyPrint) in the key.
    return PdfReader(BytesIO(page_number_sheets(rounded, part_fingerprint(""))))


# How many pages each unit's front matter took when last laid out in this process.
_front_lengths: dict[tuple[int, int, bool], int] = {}


@dataclass
class ContentsLink:
    page: int  # 0-based, in the front matter
    rect: tuple[float, float, float, float]  # PDF points
    target: str  # the anchor's name


def _front(
    *,
    sar: pdf.UnitSar,
    cycle: Cycle,
    part_pages: list[int],
    justify: bool,
    fetcher: StaticOnlyURLFetcher | None,
) -> tuple[bytes, list[ContentsLink]]:
    """Cover, contents and summary; the contents' page numbers depend on how many pages
    these take, so they are laid out again until the count holds (once, nearly always)."""
    key = (sar.unit.pk, cycle.pk, justify)
    length = _front_lengths.get(key, 3)  # last time's count: right nearly always
    for _attempt in range(5):
        start = length + 1
        for assessment, pages in zip(sar.assessments, part_pages, strict=False):
            assessment.sar_page = start  # type: ignore[attr-defined]
            start += pages
        html = pdf.report_html(
            "indicators/reports/sar_front.html",
            {
                "sar": sar,
                "cycle": cycle,
                "evidence_index_page": start,
                "document_title": f"รายงานการประเมินตนเอง {sar.unit.name} {cycle}",
                "document_author": sar.unit.name,
            },
            justify=justify,
        )
        document = weasyprint.HTML(
            string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyURLFetcher()
        ).render()
        if len(document.pages) == length:
            break
        length = len(document.pages)
    else:
        raise RuntimeError("the SAR's front matter does not settle on a page count")
    _front_lengths[key] = length
    links = _take_outside_links(document)
    return document.write_pdf(), links


def _take_outside_links(document: weasyprint.Document) -> list[ContentsLink]:
    """The contents' links to parts laid out elsewhere: taken out of the front matter
    (WeasyPrint would call them broken) and put back on the joined PDF."""
    anchors = {name for page in document.pages for name in page.anchors}
    taken = []
    for number, page in enumerate(document.pages):
        height = page.height * POINTS_PER_PX
        kept = []
        for link in page.links:
            link_type, target, rect, _box = link
            if link_type == "internal" and target not in anchors:
                x1, y1, x2, y2 = (value * POINTS_PER_PX for value in rect)
                taken.append(ContentsLink(number, (x1, height - y2, x2, height - y1), target))
            else:
                kept.append(link)
        page.links[:] = kept
    return taken


def _copy_outline(
    writer: PdfWriter,
    reader: PdfReader,
    items: Sequence[object],
    *,
    offset: int,
    parent: IndirectObject | None,
) -> IndirectObject | None:
    """The part's bookmarks, nested as they were, on the joined PDF's pages; returns
    the first top-level one (the cover's title, under which the parts go)."""
    first = last = None
    for item in items:
        if isinstance(item, list):
            _copy_outline(writer, reader, item, offset=offset, parent=last)
            continue
        assert isinstance(item, Destination)
        page = (reader.get_destination_page_number(item) or 0) + offset
        fit = Fit.xyz(left=item.left, top=item.top) if item.top is not None else Fit.fit()
        last = writer.add_outline_item(
            title=item.title or "", page_number=page, parent=parent, fit=fit
        )
        first = first or last
    return first


def render_unit_sar_pdf(
    *,
    unit: Unit,
    cycle: Cycle,
    fetcher: StaticOnlyURLFetcher | None = None,
    justify: bool = False,
) -> bytes:
    """The annual SAR of one unit, as pdf.render_unit_sar_pdf lays it out whole, joined
    from its stored parts."""
    with translation.override("th"):
        sar = pdf.unit_sar_data(unit=unit, cycle=cycle)
        specs = section_specs(sar=sar, cycle=cycle, justify=justify)

    def lay_out_front(part_pages: list[int]) -> tuple[bytes, list[ContentsLink]]:
        return _front(sar=sar, cycle=cycle, part_pages=part_pages, justify=justify, fetcher=fetcher)

    # The front matter is laid out while the changed parts are, with the page counts
    # they had; again only if a part's count changed (its contents' numbers with it).
    parts, early = parts_render(specs, fetcher=fetcher, meanwhile=lay_out_front)
    front, links = early or lay_out_front([part.pages for part in parts])
    writer = PdfWriter()
    front_reader = PdfReader(BytesIO(front))
    writer.append(front_reader, import_outline=False)
    title = _copy_outline(writer, front_reader, front_reader.outline, offset=0, parent=None)
    offset = len(front_reader.pages)
    sheets = _sheets(offset + sum(part.pages for part in parts))
    starts: dict[str, int] = {}
    for spec, part in zip(specs, parts, strict=True):
        reader = PdfReader(BytesIO(part.content))
        writer.append(reader, import_outline=False)
        for index in range(len(reader.pages)):
            writer.pages[offset + index].merge_page(sheets.pages[offset + index])
        _copy_outline(writer, reader, reader.outline, offset=offset, parent=title)
        anchor = (
            f"indicator-{spec.assessment.pk}"
            if spec.assessment is not None
            else f"evidence-index-{unit.pk}"
        )
        starts[anchor] = offset
        offset += len(reader.pages)
    for link in links:
        if link.target in starts:
            writer.add_annotation(
                link.page, Link(rect=link.rect, target_page_index=starts[link.target])
            )
    writer.add_metadata(
        {
            "/Title": f"รายงานการประเมินตนเอง {unit.name} {cycle}",
            "/Author": unit.name,
            "/Creator": "KM Tracker",
        }
    )
    # pypdf has no setter for the document language; the catalog entry is all it takes.
    writer._root_object[NameObject("/Lang")] = TextStringObject("th")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def unit_sar_report(*, unit: Unit, cycle: Cycle, justify: bool = False) -> pdf.ReportFile:
    """The unit's SAR for the job page: joined from stored parts, or laid out whole where
    an archive variant is asked for (pypdf would not keep PDF/A or PDF/UA whole)."""
    if settings.KMT_PDF_VARIANT:
        return pdf.unit_sar_report(unit=unit, cycle=cycle, justify=justify)
    name = f"SAR {unit.evidence_prefix} {cycle.get_kind_display()} {cycle.year_be}.pdf"
    return pdf.ReportFile(
        name, pdf.PDF_MIMETYPE, render_unit_sar_pdf(unit=unit, cycle=cycle, justify=justify)
    )
