"""Every main page, as the people who use it, checked in Chromium by axe-core (WCAG 2.2
A and AA, axe's best practices, and the 24 px target size) on a laptop and on a 390 px
phone, where no page may be wider than the screen either.

axe-core is installed from npm by scripts/bootstrap.sh test (the version pinned in
tests/e2e/package-lock.json) and injected from that file into each page: nothing is
fetched from the network. A failure names the person, the page, the rule and the nodes.

The world: the demo (indicator 3 of the Press office, fiscal 2563) after one review round,
so that the pages show what they show in use: a returned assessment with an item to fix
and open comments for the staff, then the same assessment submitted again for the QA
officer, and a report job of each state for both."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from evidence.models import Activity, EvidenceItem, KnowledgeTopic, Meeting, Person
from indicators.demo import load_demo
from indicators.models import Assessment, ReportJob
from indicators.services.review import evidence_item_review, review_comment_add
from indicators.services.workflow import assessment_return, assessment_submit
from tests.e2e.conftest import DESKTOP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "test-output/node/node_modules/axe-core/axe.min.js"
PHONE_WIDTH = 390
# On a laptop: axe's default rule set (WCAG 2.0-2.2 A/AA and best practices) plus the
# WCAG 2.2 target size (24 px, or enough room around a smaller target), which axe leaves
# off by default. On a phone, the rules whose answer depends on the layout: what the
# laptop run found clean stays clean (same markup, same colours), and the run is quick.
LAPTOP_RULES = {"rules": {"target-size": {"enabled": True}}}
PHONE_RULES = {
    "runOnly": {
        "type": "rule",
        "values": ["target-size", "scrollable-region-focusable", "meta-viewport"],
    }
}
AXE_RUN = """async options => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + " — " + n.failureSummary.replace(/\\s+/g, " ")),
  }));
}"""
PASSWORDS = {
    "staff": "staff-demo-2563",
    "head": "head-demo-2563",
    "qa": "qa-demo-2563",
    "admin": "admin-demo-2563",
}


@dataclass(frozen=True)
class Visit:
    """A page to check: its address and, for a state reached in place (an htmx form that
    opens), what to do there first."""

    url: str
    label: str = ""
    then: Callable[[Page], None] | None = None

    def __str__(self) -> str:
        return f"{self.url} ({self.label})" if self.label else self.url


@dataclass
class World:
    assessment: Assessment
    staff_jobs: list[ReportJob]
    qa_jobs: list[ReportJob]


def _open_add_form(page: Page) -> None:
    page.locator(".kmt-add").first.click()
    expect(page.locator(".kmt-evidence form").first).to_be_visible()


def _open_item_edit_form(page: Page) -> None:
    page.locator(".kmt-edit").first.click()
    expect(page.locator(".kmt-caption-form").first).to_be_visible()


def _jobs(assessment: Assessment, username: str) -> list[ReportJob]:
    """A report job of each state the job page shows, asked for by ``username``."""
    user = get_user_model().objects.get(username=username)
    states = [(ReportJob.Status.RUNNING, 40), (ReportJob.Status.DONE, 100)]
    states.append((ReportJob.Status.FAILED, 10))
    return [
        ReportJob.objects.create(
            kind=ReportJob.Kind.INDICATOR,
            cycle=assessment.indicator.cycle,
            assessment=assessment,
            unit=assessment.unit,
            status=status,
            progress=progress,
            requested_by=user,
            filename="sar.pdf",
        )
        for status, progress in states
    ]


@pytest.fixture
def world() -> World:
    """The demo after a review round: submitted, one item to fix, comments, returned."""
    assessment = load_demo().assessment
    users = get_user_model().objects.in_bulk(["head", "qa"], field_name="username")
    assessment_submit(assessment=assessment, by=users["head"])
    item = EvidenceItem.objects.filter(result__assessment=assessment).first()
    assert item is not None
    evidence_item_review(item=item, by=users["qa"], status="needs_fix", comment="ลายมือชื่อไม่ครบ")
    first = assessment.results.order_by("criterion__order").first()
    review_comment_add(assessment=assessment, by=users["qa"], body="ดี", criterion_result=first)
    assessment_return(assessment=assessment, by=users["qa"], reason="โปรดแก้ไขหลักฐาน สพ 3-1 (1)")
    return World(
        assessment=assessment,
        staff_jobs=_jobs(assessment, "staff"),
        qa_jobs=_jobs(assessment, "qa"),
    )


def _resubmit(world: World) -> None:
    """The head sends the returned assessment again: the QA officer's review page is live."""
    head = get_user_model().objects.get(username="head")
    assessment_submit(assessment=Assessment.objects.get(pk=world.assessment.pk), by=head)


def staff_visits(world: World) -> list[Visit]:
    assessment = world.assessment
    unit = assessment.unit
    item = EvidenceItem.objects.filter(result__assessment=assessment).order_by("pk").first()
    meeting = Meeting.objects.filter(unit=unit).first()
    activity = Activity.objects.filter(unit=unit).first()
    person = Person.objects.filter(unit=unit).first()
    topic = KnowledgeTopic.objects.filter(unit=unit).first()
    assert item and meeting and activity and person and topic
    page = assessment.get_absolute_url()
    return [
        Visit("/", "my work"),
        Visit(unit.get_absolute_url()),
        Visit(page),
        Visit(page, "evidence form open", _open_add_form),
        Visit(page, "caption form open", _open_item_edit_form),
        # The pages behind the in-place forms, for a browser without JavaScript.
        Visit(f"/evidence/results/{item.result_id}/add/"),
        Visit(f"/evidence/items/{item.pk}/edit/"),
        Visit(f"/evidence/items/{item.pk}/replace/"),
        Visit(f"/evidence/items/{item.pk}/links/"),
        Visit(f"/assessments/{assessment.pk}/history/"),
        Visit(f"/evidence/records/{unit.pk}/"),
        Visit(f"/evidence/records/{unit.pk}/meetings/"),
        Visit(meeting.get_absolute_url()),
        Visit(f"/evidence/records/{unit.pk}/meetings/add/"),
        Visit(f"/evidence/records/{unit.pk}/people/"),
        Visit(f"/evidence/people/{person.pk}/"),
        Visit(f"/evidence/records/{unit.pk}/target-groups/add/"),
        Visit(f"/evidence/records/{unit.pk}/activities/"),
        Visit(activity.get_absolute_url()),
        Visit(f"/evidence/records/{unit.pk}/topics/"),
        Visit(f"/evidence/topics/{topic.pk}/"),
        Visit(f"/evidence/topics/{topic.pk}/rename/"),
        Visit("/notifications/"),
        *(Visit(job.get_absolute_url(), job.status) for job in world.staff_jobs),
    ]


def qa_visits(world: World) -> list[Visit]:
    assessment = world.assessment
    unit = assessment.unit
    cycle = assessment.indicator.cycle
    return [
        Visit("/", "my work"),
        Visit("/dashboard/"),
        Visit(f"/dashboard/{cycle.pk}/?unit={unit.pk}", "filtered"),
        Visit(f"/assessments/{assessment.pk}/review/"),
        Visit(assessment.get_absolute_url()),
        Visit(f"/assessments/{assessment.pk}/history/"),
        Visit(unit.get_absolute_url()),
        Visit(f"/evidence/records/{unit.pk}/"),
        Visit(f"/evidence/records/{unit.pk}/meetings/"),
        Visit(f"/evidence/records/{unit.pk}/people/"),
        Visit(f"/evidence/records/{unit.pk}/activities/"),
        Visit("/notifications/"),
        *(Visit(job.get_absolute_url(), job.status) for job in world.qa_jobs),
    ]


def admin_visits(world: World) -> list[Visit]:
    assessment = world.assessment
    cycle = assessment.indicator.cycle
    criterion = assessment.results.order_by("criterion__order").first()
    assert criterion is not None
    return [
        Visit("/", "my work"),
        Visit("/setup/cycles/"),
        Visit("/setup/cycles/add/"),
        Visit(f"/setup/cycles/{cycle.pk}/"),
        Visit(f"/setup/cycles/{cycle.pk}/edit/"),
        Visit(f"/setup/cycles/{cycle.pk}/copy/"),
        Visit(f"/setup/cycles/{cycle.pk}/indicators/add/"),
        Visit(f"/setup/indicators/{assessment.indicator_id}/"),
        Visit(f"/setup/criteria/{criterion.criterion_id}/"),
        Visit(f"/cycles/{cycle.pk}/indicators/import/"),
        Visit("/units/import/"),
        Visit(f"/cycles/{cycle.pk}/assignments/"),
        Visit(f"/units/{assessment.unit_id}/members/"),
    ]


ANONYMOUS = [Visit("/accounts/login/"), Visit("/accounts/password_reset/")]


@pytest.fixture
def sweep(
    browser: Browser, live_server: LiveServer, login: Callable[[Page, str, str], None]
) -> Iterator[Callable[..., list[str]]]:
    """sweep(username, visits, phone=False): one browser session signed in as username
    (None: signed out) that checks each page in turn; returns what is wrong, one line per
    failure."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run scripts/bootstrap.sh test")
    contexts = []

    def check(username: str | None, visits: list[Visit], *, phone: bool = False) -> list[str]:
        options: dict[str, Any] = {"viewport": DESKTOP}
        if phone:
            options = {
                "viewport": {"width": PHONE_WIDTH, "height": 844},
                "device_scale_factor": 2,
                "is_mobile": True,
                "has_touch": True,
            }
        # The page's Content-Security-Policy refuses inline scripts, and axe is one.
        context = browser.new_context(
            base_url=live_server.url, locale="th-TH", bypass_csp=True, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if username is not None:
            login(page, username, PASSWORDS[username])
        who = username or "signed out"
        problems = []
        for visit in visits:
            response = page.goto(visit.url)
            assert response is not None and response.ok, f"{who}: {visit} answered {response}"
            if visit.then is not None:
                visit.then(page)
            # Judge the page at rest: while a request runs (and htmx settles the swap)
            # its control is dimmed and disabled on purpose.
            expect(page.locator(".htmx-request")).to_have_count(0)
            page.add_script_tag(path=AXE)
            rules = PHONE_RULES if phone else LAPTOP_RULES
            for violation in page.evaluate(AXE_RUN, rules):
                problems.append(f"{who}: {visit}: {violation['id']} ({violation['help']})")
                problems.extend(f"    {node}" for node in violation["nodes"])
            if phone:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE_WIDTH:
                    problems.append(f"{who}: {visit}: {width} px wide on a {PHONE_WIDTH} px phone")
                    problems.extend(f"    {wide}" for wide in page.evaluate(WIDER_THAN_SCREEN))
        return problems

    yield check
    for context in contexts:
        context.close()


# The elements that stick out on the right, outside any box that scrolls: what to fix.
WIDER_THAN_SCREEN = """() => {
  const scrolls = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !scrolls(el))
    .slice(0, 8)
    .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " +
         (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60));
}"""


def _all_roles(world: World, sweep: Callable[..., list[str]], *, phone: bool) -> list[str]:
    problems = sweep(None, ANONYMOUS, phone=phone)
    problems += sweep("staff", staff_visits(world), phone=phone)
    # The head sees what the staff see, and the button that sends the assessment.
    problems += sweep("head", [Visit(world.assessment.get_absolute_url())], phone=phone)
    _resubmit(world)
    problems += sweep("qa", qa_visits(world), phone=phone)
    problems += sweep("admin", admin_visits(world), phone=phone)
    return problems


def test_axe_finds_nothing_on_any_main_page(world: World, sweep: Callable[..., list[str]]) -> None:
    problems = _all_roles(world, sweep, phone=False)
    assert not problems, "axe-core, 1280 px wide:\n" + "\n".join(problems)


def test_every_main_page_fits_a_phone(world: World, sweep: Callable[..., list[str]]) -> None:
    """390 px: nothing wider than the screen (long links and codes wrap, tables scroll in
    their own box), and axe's layout rules again (tap targets of 24 px, scrolling boxes
    reachable by keyboard), since the layout differs."""
    problems = _all_roles(world, sweep, phone=True)
    assert not problems, f"{PHONE_WIDTH} px phone:\n" + "\n".join(problems)


def test_the_skip_link_leads_past_the_navigation(page: Page, world: World, login: Any) -> None:
    """The first Tab on a page shows "ข้ามไปยังเนื้อหา"; following it, the next Tab is in the
    content, not in the navigation bar."""
    login(page, "staff", PASSWORDS["staff"])
    page.goto(world.assessment.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="ข้ามไปยังเนื้อหา")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert page.evaluate("document.activeElement.closest('nav.navbar') === null")


def test_a_page_that_breaks_a_rule_is_reported(
    world: World, sweep: Callable[..., list[str]], live_server: LiveServer
) -> None:
    """The check itself can fail: an unlabelled field and a too-wide box are caught."""
    broken = Visit("/accounts/login/", "broken on purpose", _break_the_page)
    problems = sweep(None, [broken])
    assert any(re.search(r": label \(", line) for line in problems), problems
    problems = sweep(None, [broken], phone=True)
    assert any("px wide on a 390 px phone" in line for line in problems), problems


def _break_the_page(page: Page) -> None:
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.insertAdjacentHTML("beforeend", '<input type="text" name="nameless">');
          const wide = document.createElement("div");
          wide.style.width = "800px";
          wide.textContent = "กว้างเกินจอ";
          main.append(wide);
        }"""
    )
