"""The Content-Security-Policy in a real browser: no page breaks it (no inline script
or style is refused), and what used to be inline (the cycle switch, resetting the
comment form, the progress bar's width) still works from static/js/kmtracker.js."""

import re
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from indicators.demo import load_demo
from indicators.models import Assessment, ReportJob
from indicators.services.cycles import cycle_start_from

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(
    browser: Browser, live_server: LiveServer, login: Callable[[Page, str, str], None]
) -> Iterator[Callable[[str, str], tuple[Page, list[str]]]]:
    """open_as(username, password): a signed-in page and the CSP refusals it logs."""
    contexts = []

    def open_page(username: str, password: str) -> tuple[Page, list[str]]:
        context = browser.new_context(base_url=live_server.url, locale="th-TH")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        refused: list[str] = []

        def on_console(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text:
                refused.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        login(page, username, password)
        return page, refused

    yield open_page
    for context in contexts:
        context.close()


def test_pages_keep_the_policy(
    live_server: LiveServer, open_as: Callable[[str, str], tuple[Page, list[str]]]
) -> None:
    assessment = load_demo().assessment
    unit, cycle = assessment.unit, assessment.indicator.cycle
    newer = cycle_start_from(source=cycle, year_be=2564).cycle

    staff, refused = open_as("staff", "staff-demo-2563")
    for url in ["/", assessment.get_absolute_url(), f"/assessments/{assessment.pk}/history/"]:
        staff.goto(url)
    # The cycle switch is a link per cycle (it was a select with onchange="this.form.submit()").
    staff.goto(f"/units/{unit.pk}/")
    staff.locator("#cycle-switcher").get_by_role("link", name=str(newer)).click()
    expect(staff).to_have_url(re.compile(rf"\?cycle={newer.pk}$"))
    # A refusal's "back" link (it was javascript:history.back()).
    review = f"/assessments/{assessment.pk}/review/"  # refused to staff: the 403 page
    staff.evaluate("url => { window.location.href = url }", review)  # with a referrer
    expect(staff).to_have_url(re.compile(re.escape(review)))
    staff.get_by_role("link", name="ย้อนกลับ").click()
    expect(staff).to_have_url(re.compile(rf"/units/{unit.pk}/\?cycle="))
    assert refused == []

    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    qa, refused = open_as("qa", "qa-demo-2563")
    qa.goto(f"/assessments/{assessment.pk}/review/")
    # The comment form empties itself once htmx saved it (it was hx-on::after-request).
    box = qa.locator(f"#comment-body-{assessment.results.order_by('criterion__order')[0].pk}")
    box.fill("ตรวจแล้ว")
    box.locator("xpath=ancestor::form").get_by_role("button", name="เพิ่มความเห็น").click()
    expect(qa.locator(".list-group-item, li, div").filter(has_text="ตรวจแล้ว").first).to_be_visible()
    expect(box).to_have_value("")
    # The progress bar's width comes from data-kmt-progress (it was style="width: …%").
    job = ReportJob.objects.create(
        kind=ReportJob.Kind.UNIVERSITY,
        cycle=cycle,
        status=ReportJob.Status.RUNNING,
        progress=40,
        requested_by=get_user_model().objects.get(username="qa"),
    )
    qa.goto(f"/reports/jobs/{job.pk}/")
    expect(qa.locator("[data-kmt-progress]")).to_have_attribute("style", "width: 40%;")
    assert refused == []
