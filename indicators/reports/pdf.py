"""The SAR as PDF: pure functions, data in, bytes out.

Each renderer reads what it needs in a fixed number of queries (prefetching,
never a query per row), fills a Django template under
``templates/indicators/reports/`` and hands the HTML to WeasyPrint with a
locked-down URL fetcher (``fetcher.py``). The SAR is an official Thai
document, so it is always rendered in Thai, whatever the reader's language.

WeasyPrint 70 loses SARA AM (ำ) and marks before it in the PDF's text layer;
``indicators.reports.weasyprint.textlayer`` fixes that and is installed once, here, so that
every report gets the fix (see the README, section Reports).
"""

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any, NamedTuple

import weasyprint
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject

from evidence.models import EvidenceItem
from indicators.charts import score_bar_chart
from indicators.models import Assessment, CriterionResult, Cycle, Unit
from indicators.reports.weasyprint import justify as distributed_justify
from indicators.reports.weasyprint import textlayer
from indicators.review import CriterionReview, review_context
from indicators.scoring import mean_score

from .fetcher import BASE_URL, StaticOnlyURLFetcher
from .summary import university_summary_data

# At import, on purpose: both patch internals of the pinned WeasyPrint 70.0 and
# refuse any other version, so a wrong install fails loudly at start-up rather
# than printing reports with a broken text layer.
textlayer.install()
distributed_justify.install()  # acts only where the CSS asks (justify=True below)

PDF_MIMETYPE = "application/pdf"
Progress = Callable[[int, int], None]


class ReportFile(NamedTuple):
    """What a view or command needs to hand a report out (as pretix's renderers)."""

    filename: str
    mimetype: str
    content: bytes


# -- data ---------------------------------------------------------------------------


def assessments_for_report() -> QuerySet[Assessment]:
    """Assessments with everything an indicator page reads, in four queries."""
    items = EvidenceItem.objects.select_related("document").order_by("position")
    results = (
        CriterionResult.objects.select_related("criterion")
        .order_by("criterion__order")
        .prefetch_related(Prefetch("evidence_items", queryset=items))
    )
    return Assessment.objects.select_related("unit", "indicator__cycle").prefetch_related(
        Prefetch("results", queryset=results)
    )


@dataclass
class UnitSar:
    unit: Unit
    assessments: list[Assessment]
    mean: Decimal | None
    chart: SafeString | None

    @property
    def evidence(self) -> list[EvidenceItem]:
        return [
            item
            for assessment in self.assessments
            for result in assessment.results.all()
            for item in result.evidence_items.all()
        ]


def unit_sar_data(*, unit: Unit, cycle: Cycle) -> UnitSar:
    assessments = list(
        assessments_for_report()
        .filter(unit=unit, indicator__cycle=cycle)
        .order_by("indicator__sort_key")
    )
    for assessment in assessments:
        assessment.unit = unit  # already known: no need to read it again per row
    scores = [assessment.self_score for assessment in assessments]
    chart = None
    if assessments:
        chart = score_bar_chart(
            [
                (f"{translation.gettext('ตัวบ่งชี้ที่')} {a.indicator.number}", a.self_score)
                for a in assessments
            ],
            title=translation.gettext("คะแนนการประเมินตนเองรายตัวบ่งชี้"),
        )
    return UnitSar(unit=unit, assessments=assessments, mean=mean_score(scores), chart=chart)


@dataclass
class CommitteeIndicator:
    """One indicator as the committee judged it: its criteria with the unit's and the
    committee's marks and the comments on each criterion and evidence item."""

    assessment: Assessment
    criteria: list[CriterionReview]
    general_comments: list[Any]
    committee_met: int


@dataclass
class CommitteeReport:
    unit: Unit
    indicators: list[CommitteeIndicator]
    self_mean: Decimal | None
    committee_mean: Decimal | None


def committee_data(*, unit: Unit, cycle: Cycle) -> CommitteeReport:
    """The committee's report of one unit: both scores of every indicator, the comments."""
    assessments = list(
        assessments_for_report()
        .filter(unit=unit, indicator__cycle=cycle)
        .order_by("indicator__sort_key")
    )
    indicators = []
    for assessment in assessments:
        assessment.unit = unit
        review = review_context(assessment, list(assessment.results.all()))
        indicators.append(
            CommitteeIndicator(
                assessment=assessment,
                criteria=review["criteria"],
                general_comments=review["general_comments"],
                committee_met=review["committee_met_count"],
            )
        )
    return CommitteeReport(
        unit=unit,
        indicators=indicators,
        self_mean=mean_score(a.self_score for a in assessments),
        committee_mean=mean_score(a.committee_score for a in assessments),
    )


# -- rendering ----------------------------------------------------------------------


# WeasyPrint's archive and accessibility variants (README, "Archive-grade PDFs"): the
# Thai text layer is the same in each, which the tests read back.
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")
_variant: ContextVar[str] = ContextVar("pdf_variant", default="")


@contextmanager
def pdf_variant(variant: str) -> Iterator[None]:
    """PDFs made inside the block are of ``variant`` ("" for plain PDF); outside it,
    settings.KMT_PDF_VARIANT decides."""
    if variant and variant not in PDF_VARIANTS:
        raise ValueError(f"unknown PDF variant {variant!r}")
    token = _variant.set(variant or "plain")
    try:
        yield
    finally:
        _variant.reset(token)


def html_to_pdf(html: str, *, fetcher: StaticOnlyURLFetcher | None = None) -> bytes:
    """WeasyPrint with the locked-down fetcher; static URLs resolve through BASE_URL."""
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyURLFetcher()
    )
    variant = _variant.get() or settings.KMT_PDF_VARIANT
    if variant and variant != "plain":
        # WeasyPrint 70 opens its sRGB profile for PDF/A without closing it; the file is
        # closed as the document goes, which is all the warning would say.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            return document.write_pdf(pdf_variant=variant)
    return document.write_pdf()


def report_html(template: str, context: dict[str, object], *, justify: bool = False) -> str:
    """``justify``: Thai distributed justification of the narrative text (else left aligned)."""
    with translation.override("th"):
        return render_to_string(
            template,
            {
                "university_name": settings.KMT_UNIVERSITY_NAME,
                "printed_on": timezone.localdate(),
                "distributed": justify,
                **context,
            },
        )


def indicator_html(*, assessment: Assessment, justify: bool = False) -> str:
    assessment = assessments_for_report().get(pk=assessment.pk)
    indicator = assessment.indicator
    title = f"{assessment.unit.name} ตัวบ่งชี้ที่ {indicator.number} {indicator.title}"
    return report_html(
        "indicators/reports/indicator.html",
        {
            "assessment": assessment,
            "document_title": title,
            "document_author": assessment.unit.name,
        },
        justify=justify,
    )


def unit_sar_html(*, unit: Unit, cycle: Cycle, justify: bool = False) -> str:
    with translation.override("th"):
        sar = unit_sar_data(unit=unit, cycle=cycle)
    return report_html(
        "indicators/reports/unit_sar.html",
        {
            "sar": sar,
            "cycle": cycle,
            "document_title": f"รายงานการประเมินตนเอง {unit.name} {cycle}",
            "document_author": unit.name,
        },
        justify=justify,
    )


def committee_html(*, unit: Unit, cycle: Cycle, justify: bool = False) -> str:
    with translation.override("th"):
        report = committee_data(unit=unit, cycle=cycle)
    return report_html(
        "indicators/reports/committee.html",
        {
            "report": report,
            "cycle": cycle,
            "document_title": f"รายงานผลการตรวจประเมินของคณะกรรมการ {unit.name} {cycle}",
            "document_author": settings.KMT_UNIVERSITY_NAME,
        },
        justify=justify,
    )


def university_html(*, cycle: Cycle, justify: bool = False) -> str:
    with translation.override("th"):
        summary = university_summary_data(cycle=cycle)
    name = settings.KMT_UNIVERSITY_NAME
    return report_html(
        "indicators/reports/university.html",
        {
            "summary": summary,
            "cycle": cycle,
            "document_title": f"สรุปผลการประเมินตนเอง {name} {cycle}",
            "document_author": name,
        },
        justify=justify,
    )


def render_indicator_pdf(
    *,
    assessment: Assessment,
    fetcher: StaticOnlyURLFetcher | None = None,
    justify: bool = False,
) -> bytes:
    """One indicator page, as the seed SAR page lays it out."""
    return html_to_pdf(indicator_html(assessment=assessment, justify=justify), fetcher=fetcher)


def render_unit_sar_pdf(
    *,
    unit: Unit,
    cycle: Cycle,
    fetcher: StaticOnlyURLFetcher | None = None,
    justify: bool = False,
) -> bytes:
    """The annual SAR of one unit: cover, contents, summary, indicators, evidence index."""
    return html_to_pdf(unit_sar_html(unit=unit, cycle=cycle, justify=justify), fetcher=fetcher)


def render_committee_pdf(*, unit: Unit, cycle: Cycle, justify: bool = False) -> bytes:
    """The committee's report of one unit: scores beside the unit's, comments."""
    return html_to_pdf(committee_html(unit=unit, cycle=cycle, justify=justify))


def render_university_pdf(
    *, cycle: Cycle, fetcher: StaticOnlyURLFetcher | None = None, justify: bool = False
) -> bytes:
    """Every unit's indicator scores side by side, with the means."""
    return html_to_pdf(university_html(cycle=cycle, justify=justify), fetcher=fetcher)


def render_all_units_sar_pdf(
    *, cycle: Cycle, progress: Progress | None = None, justify: bool = False
) -> bytes:
    """Every unit's annual SAR in one PDF, unit by unit (so progress is real and
    only one unit's layout is in memory at a time), joined with pypdf."""
    units = list(
        Unit.objects.filter(assessments__indicator__cycle=cycle).distinct().order_by("name")
    )
    writer = PdfWriter()
    for index, unit in enumerate(units, start=1):
        part = render_unit_sar_pdf(unit=unit, cycle=cycle, justify=justify)
        writer.append(BytesIO(part), outline_item=unit.name)
        if progress:
            progress(index, len(units))
    writer.add_metadata(
        {
            "/Title": f"รายงานการประเมินตนเองทุกหน่วยงาน {cycle}",
            "/Author": settings.KMT_UNIVERSITY_NAME,
        }
    )
    # pypdf has no setter for the document language; the catalog entry is all it takes.
    writer._root_object[NameObject("/Lang")] = TextStringObject("th")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


# -- files for views and commands ---------------------------------------------------


def indicator_report(*, assessment: Assessment, justify: bool = False) -> ReportFile:
    unit, indicator = assessment.unit, assessment.indicator
    name = f"SAR {unit.evidence_prefix} {indicator.cycle.year_be} ตัวบ่งชี้ที่ {indicator.number}.pdf"
    return ReportFile(
        name, PDF_MIMETYPE, render_indicator_pdf(assessment=assessment, justify=justify)
    )


def unit_sar_report(*, unit: Unit, cycle: Cycle, justify: bool = False) -> ReportFile:
    name = f"SAR {unit.evidence_prefix} {cycle.get_kind_display()} {cycle.year_be}.pdf"
    return ReportFile(
        name, PDF_MIMETYPE, render_unit_sar_pdf(unit=unit, cycle=cycle, justify=justify)
    )


def committee_report(*, unit: Unit, cycle: Cycle, justify: bool = False) -> ReportFile:
    name = f"ผลการตรวจประเมิน {unit.evidence_prefix} {cycle.get_kind_display()} {cycle.year_be}.pdf"
    return ReportFile(
        name, PDF_MIMETYPE, render_committee_pdf(unit=unit, cycle=cycle, justify=justify)
    )


def university_report(*, cycle: Cycle, justify: bool = False) -> ReportFile:
    name = f"สรุปผลการประเมินตนเอง {cycle.get_kind_display()} {cycle.year_be}.pdf"
    return ReportFile(name, PDF_MIMETYPE, render_university_pdf(cycle=cycle, justify=justify))


def all_units_report(
    *, cycle: Cycle, progress: Progress | None = None, justify: bool = False
) -> ReportFile:
    name = f"SAR ทุกหน่วยงาน {cycle.get_kind_display()} {cycle.year_be}.pdf"
    return ReportFile(
        name,
        PDF_MIMETYPE,
        render_all_units_sar_pdf(cycle=cycle, progress=progress, justify=justify),
    )
