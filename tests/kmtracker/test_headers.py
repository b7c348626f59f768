"""Security headers: a Content-Security-Policy with no inline script or style, and
templates that do not need one."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from indicators.models import ReportJob

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Never served to a browser by the app: the PDF reports (WeasyPrint reads their
# <style>), the evidence ZIP's index page (opened from disk) and e-mail bodies.
NOT_WEB = {
    "evidence/bundle_index.html",
    "indicators/reports/base_pdf.html",
    "indicators/reports/indicator.html",
    "indicators/reports/unit_sar.html",
    "indicators/reports/university.html",
    "indicators/reports/_indicator.html",
    "indicators/reports/_unit_sar.html",
    "indicators/reports/_sar_cover.html",
    "indicators/reports/_sar_contents.html",
    "indicators/reports/_sar_summary.html",
    "indicators/reports/_sar_evidence_index.html",
    "indicators/reports/sar_front.html",
    "indicators/reports/sar_part.html",
    "indicators/reports/sar_page_numbers.html",
    "indicators/reports/_mark.html",
}
INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "on… handler": re.compile(r"\s on[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "<style>": re.compile(r"<style\b", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "hx-on (needs eval)": re.compile(r"\shx-on", re.IGNORECASE),
}
COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def policy(client: Client, url: str) -> dict[str, list[str]]:
    header = client.get(url)["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_policy_without_inline(client: Client) -> None:
    csp = policy(client, reverse("login"))
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    flat = " ".join(v for values in csp.values() for v in values)
    assert "unsafe-inline" not in flat and "unsafe-eval" not in flat and "*" not in flat


def test_error_pages_carry_the_policy_too(client: Client) -> None:
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]


def test_no_template_needs_inline_script_or_style() -> None:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in NOT_WEB:
            continue
        text = COMMENTS.sub("", path.read_text(encoding="utf-8"))
        found += [f"{name}: {what}" for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == [], "move it to static/js/kmtracker.js or static/css/kmtracker.css"


def test_the_not_web_templates_exist() -> None:
    assert all((TEMPLATES / name).exists() for name in NOT_WEB)


def test_pdfs_go_without_the_page_csp(client: Client, assessment: Any, staff: Any) -> None:
    """Browsers' PDF viewers may refuse a PDF served under object-src 'none'."""
    client.force_login(staff)
    client.post(reverse("indicators:assessment_pdf", args=[assessment.pk]))
    job = ReportJob.objects.get()
    url = reverse("indicators:report_job_download", args=[job.pk])
    response = client.get(url, {"inline": "1"})
    b"".join(response.streaming_content)  # read to the end: the test client closes it
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in response.headers
    page = client.get(reverse("indicators:assessment", args=[assessment.pk]))
    assert "Content-Security-Policy" in page.headers
