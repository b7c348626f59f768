"""Archive-grade PDFs: PDF/A-3b and tagged PDF/UA-1 through WeasyPrint's variants, with
the Thai text layer exactly as in the plain PDF (read back with pypdf and pdftotext)."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from indicators.models import Assessment
from indicators.reports import pdf
from tests.factories import ReviewCommentFactory
from tests.pdf_helpers import pdftotext_pages, pypdf_pages

pytestmark = pytest.mark.django_db


def metadata(document: bytes) -> str:
    root = pypdf.PdfReader(io.BytesIO(document)).trailer["/Root"]
    return root["/Metadata"].get_object().get_data().decode()


def test_both_variants_keep_the_text_layer_exact(demo: Assessment, tmp_path: Path) -> None:
    plain = pdf.render_indicator_pdf(assessment=demo)
    with pdf.pdf_variant("pdf/a-3b"):
        archive = pdf.render_indicator_pdf(assessment=demo)
    with pdf.pdf_variant("pdf/ua-1"):
        tagged = pdf.render_indicator_pdf(assessment=demo)
    for document in (archive, tagged):
        assert pypdf_pages(document) == pypdf_pages(plain)
        assert pdftotext_pages(document, tmp_path) == pdftotext_pages(plain, tmp_path)
    assert "ดำเนินงาน" in "".join(pypdf_pages(archive))
    # What makes each what it says it is.
    assert re.search(r'pdfaid:part="3"', metadata(archive))
    assert re.search(r'pdfaid:conformance="B"', metadata(archive))
    root = pypdf.PdfReader(io.BytesIO(tagged)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert re.search(r'pdfuaid:part="1"', metadata(tagged))
    assert "pdfaid" not in (
        pypdf.PdfReader(io.BytesIO(plain)).trailer["/Root"].get("/Metadata") or ""
    )


def test_the_setting_makes_every_pdf_of_the_app_tagged(
    demo: Assessment, settings: SettingsWrapper
) -> None:
    settings.KMT_PDF_VARIANT = "pdf/ua-1"
    document = pdf.render_unit_sar_pdf(unit=demo.unit, cycle=demo.indicator.cycle)
    assert "/StructTreeRoot" in pypdf.PdfReader(io.BytesIO(document)).trailer["/Root"]
    with pdf.pdf_variant(""):  # an explicit plain PDF still wins
        plain = pdf.render_indicator_pdf(assessment=demo)
    assert "/StructTreeRoot" not in pypdf.PdfReader(io.BytesIO(plain)).trailer["/Root"]


def test_render_sar_makes_the_archived_copy(demo: Assessment, tmp_path: Path) -> None:
    target = tmp_path / "archive.pdf"
    call_command(
        "render_sar", "--unit", "สพ", "--year", "2563", "--variant", "pdf/a-3b",
        "--output", str(target), stdout=io.StringIO(),
    )  # fmt: skip
    assert 'pdfaid:part="3"' in metadata(target.read_bytes())
    with pytest.raises(ValueError, match="unknown PDF variant"), pdf.pdf_variant("pdf/x-1a"):
        pass


def test_the_committee_report_and_the_summary_keep_it_too(demo: Assessment, tmp_path: Path) -> None:
    """The committee's report (comments in table cells) and the university summary (a
    unit over two lines) read back the same in both variants as in the plain PDF."""
    demo.committee_score = Decimal("3.00")
    demo.save()
    ReviewCommentFactory(assessment=demo, criterion_result=demo.results.first(), body="ควรแนบคำสั่ง")
    cycle = demo.indicator.cycle
    for render in (
        lambda: pdf.render_committee_pdf(unit=demo.unit, cycle=cycle),
        lambda: pdf.render_university_pdf(cycle=cycle),
    ):
        plain = render()
        assert "".join(pypdf_pages(plain)).strip()
        for variant in pdf.PDF_VARIANTS:
            with pdf.pdf_variant(variant):
                document = render()
            assert pypdf_pages(document) == pypdf_pages(plain), variant
            assert pdftotext_pages(document, tmp_path) == pdftotext_pages(plain, tmp_path)
