"""Text typed by users can never make the renderer read a file or a URL."""

import io
from collections.abc import Callable

import pypdf
import pytest
from weasyprint.urls import URLFetchingError, fetch

from evidence.models import EvidenceItem
from indicators.models import Assessment
from indicators.reports import assembly, pdf
from indicators.reports.fetcher import REPORT_ORIGIN, RefusedURL, StaticOnlyURLFetcher
from tests.pdf_helpers import fold, pypdf_pages

pytestmark = pytest.mark.django_db

FILE_IMG = '<img src="file:///etc/passwd">'
HTTP_IMG = '<img src="http://127.0.0.1:9/x.png">'
JS_LINK = '<a href="javascript:alert(1)">คลิก</a>'
CSS_IMPORT = "<style>@import url(http://127.0.0.1:9/x.css);</style>"


@pytest.fixture
def poisoned(demo: Assessment) -> Assessment:
    """Markup typed into a narrative, a caption, strengths and a link item."""
    result = demo.results.order_by("criterion__order").first()
    assert result is not None
    result.narrative = f"ดำเนินงาน {FILE_IMG} {HTTP_IMG} {JS_LINK}"
    result.save()
    item = result.evidence_items.order_by("position").first()
    assert item is not None
    item.caption = f"{CSS_IMPORT} {HTTP_IMG}"
    item.save()
    # The model's URLField refuses it in a form; the renderer must not trust that.
    EvidenceItem.objects.filter(pk=result.evidence_items.order_by("position").last().pk).update(
        url="javascript:alert(1)", document=None
    )
    demo.strengths = FILE_IMG
    demo.save()
    return demo


def test_user_markup_fetches_nothing_and_prints_as_text(poisoned: Assessment) -> None:
    fetcher = StaticOnlyURLFetcher()
    document = pdf.render_indicator_pdf(assessment=poisoned, fetcher=fetcher)
    # The fetcher saw only the stylesheet and the fonts, and refused nothing.
    assert fetcher.requested and not fetcher.refused
    assert all(url.startswith(f"{REPORT_ORIGIN}/static/") for url in fetcher.requested)
    assert {url.rsplit("/", 1)[1] for url in fetcher.requested} == {
        "sar-pdf.css",
        "Sarabun-Regular.ttf",
        "Sarabun-Bold.ttf",
    }
    text = fold("".join(pypdf_pages(document)))
    for typed in (FILE_IMG, HTTP_IMG, JS_LINK, CSS_IMPORT, "javascript:alert(1)"):
        assert fold(typed) in text, typed
    # No link in the PDF goes anywhere but the web.
    reader = pypdf.PdfReader(io.BytesIO(document))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                assert str(action["/URI"]).startswith(("http://", "https://")), action


@pytest.mark.parametrize("render", [pdf.render_unit_sar_pdf, assembly.render_unit_sar_pdf])
def test_the_unit_sar_of_poisoned_data_fetches_nothing_either(
    poisoned: Assessment, render: Callable[..., bytes]
) -> None:
    """Laid out whole, or joined from parts laid out on their own."""
    fetcher = StaticOnlyURLFetcher()
    render(unit=poisoned.unit, cycle=poisoned.indicator.cycle, fetcher=fetcher)
    assert not fetcher.refused
    assert all(url.startswith(f"{REPORT_ORIGIN}/static/") for url in fetcher.requested)


def test_markup_in_the_template_itself_would_be_refused_too() -> None:
    """Defence in depth: even HTML that asks for files and URLs gets nothing."""
    fetcher = StaticOnlyURLFetcher()
    html = (
        f'<html lang="th"><body>{FILE_IMG}{HTTP_IMG}{CSS_IMPORT}'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        f'<img src="{REPORT_ORIGIN}/static/../../../../etc/passwd">'
        '<link rel="stylesheet" href="/static/css/sar-pdf.css"></body></html>'
    )
    pdf.html_to_pdf(html, fetcher=fetcher)
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://127.0.0.1:9/x.png" in fetcher.refused
    assert "http://127.0.0.1:9/x.css" in fetcher.refused
    assert any(url.startswith("data:") for url in fetcher.refused)
    assert f"{REPORT_ORIGIN}/static/css/sar-pdf.css" in fetcher.requested
    assert f"{REPORT_ORIGIN}/static/css/sar-pdf.css" not in fetcher.refused


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.com/static/css/sar-pdf.css",
        "data:text/plain,secret",
        "ftp://127.0.0.1/x",
        f"{REPORT_ORIGIN}/media/evidence/1/secret.pdf",
        f"{REPORT_ORIGIN}/static/../kmtracker/settings/base.py",
        f"{REPORT_ORIGIN}/static/%2e%2e/kmtracker/settings/base.py",
        f"{REPORT_ORIGIN}/static/css/../../manage.py",
        f"{REPORT_ORIGIN}/static/nothing-here.css",
        f"{REPORT_ORIGIN}/static/",
        "http://kmtracker.invalid/static/css/sar-pdf.css",
    ],
)
def test_the_fetcher_refuses(url: str) -> None:
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    with pytest.raises(URLFetchingError), fetch(fetcher, url):
        pass  # as WeasyPrint calls it: an error it logs, never a file
    assert fetcher.refused == [url, url]


def test_the_fetcher_serves_static_files() -> None:
    fetcher = StaticOnlyURLFetcher()
    with fetch(fetcher, f"{REPORT_ORIGIN}/static/fonts/sarabun/Sarabun-Regular.ttf") as font:
        assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
