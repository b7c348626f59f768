"""Every control that sends an htmx request is disabled while it runs (hx-disabled-elt)
and every htmx submit button shows the busy spinner with its Thai text; the indicator
and review pages carry the live region, the per-criterion jump links and the script
that does the focus work.

The templates are read as text: an htmx attribute on any tag, in any template, is
found here, including the ones no view test renders."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from indicators.models import Assessment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TAG = re.compile(r"<(?P<name>[a-z]+)\b(?P<attrs>[^<>]*(?:\{[%{][^}]*[%}]\}[^<>]*)*)>", re.S)
HTMX_REQUEST = re.compile(r"\bhx-(?:get|post|put|patch|delete)=")
POLLING = re.compile(r'hx-trigger="every ')


def htmx_tags() -> list[tuple[str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in TAG.finditer(path.read_text()):
            if HTMX_REQUEST.search(tag["attrs"]) and not POLLING.search(tag["attrs"]):
                found.append((str(path.relative_to(TEMPLATES)), tag[0]))
    return found


def test_the_scan_sees_the_htmx_controls() -> None:
    files = {name for name, _tag in htmx_tags()}
    assert {
        "indicators/_narrative.html",
        "evidence/_item_add.html",
        "indicators/review.html",
    } <= files
    assert len(htmx_tags()) >= 15


@pytest.mark.parametrize(("template", "tag"), htmx_tags())
def test_every_htmx_control_is_disabled_while_it_runs(template: str, tag: str) -> None:
    assert "hx-disabled-elt=" in tag, f"{template}: {tag}"


def test_every_htmx_form_button_shows_that_it_is_busy() -> None:
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        # A <noscript> button is for browsers without htmx.
        text = re.sub(r"<noscript>.*?</noscript>", "", path.read_text(), flags=re.S)
        for form in re.finditer(r"<form\b[^>]*\bhx-post=.*?</form>", text, re.S):
            for button in re.finditer(r"<button\b[^>]*type=\"submit\".*?</button>", form[0], re.S):
                # The up/down arrows are too small for a spinner; they are disabled.
                if (
                    "_busy.html" not in button[0]
                    and "kmt-up" not in button[0]
                    and "kmt-down" not in button[0]
                ):
                    missing.append(f"{path.relative_to(TEMPLATES)}: {button[0][:80]}")
    assert missing == []


@pytest.mark.django_db
def test_indicator_page_has_live_region_jump_links_and_busy_controls(
    client: Client, staff: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert '<div id="kmt-live" class="visually-hidden" aria-live="polite"' in html
    assert "js/swaps.js" in html
    results = list(assessment.results.order_by("criterion__order"))
    for result in results:
        link = f'href="#criterion-{result.pk}-title" data-kmt-jump>'
        assert link in html
        assert f'id="criterion-{result.pk}-title"' in html
    narrative_form = re.search(r'<form[^>]*hx-post="[^"]*narrative[^"]*"[^>]*>', html)
    assert narrative_form and 'hx-disabled-elt="find button"' in narrative_form[0]
    assert html.count('class="visually-hidden">กำลังบันทึก…</span>') >= len(results)
    assert 'data-kmt-drop="form.kmt-add-upload"' in html


@pytest.mark.django_db
def test_review_page_has_jump_links(
    client: Client, qa_officer: User, assessment: Assessment
) -> None:
    client.force_login(qa_officer)
    html = client.get(reverse("indicators:review", args=[assessment.pk])).content.decode()
    for result in assessment.results.all():
        assert f'href="#result-{result.pk}-title" data-kmt-jump>' in html
        assert f'id="result-{result.pk}-title"' in html
    assert '<div id="kmt-live"' in html
