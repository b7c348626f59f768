"""Shared end-to-end fixtures: Debian's Chromium driven by Playwright (sync API)
against pytest-django's live server, bound to 127.0.0.1 only, never the network."""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/bootstrap.sh test")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser: Browser, live_server: LiveServer, **options: object) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="th-TH", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A laptop-sized page (1280 wide)."""
    yield from _page(browser, live_server, viewport=DESKTOP)


@pytest.fixture
def phone_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A phone-sized page (375 wide, touch)."""
    yield from _page(
        browser, live_server, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def login() -> Callable[[Page, str, str], None]:
    """login(page, username, password): signs in through the Thai login page."""

    def sign_in(page: Page, username: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("ชื่อผู้ใช้").fill(username)
        page.get_by_label("รหัสผ่าน").fill(password)
        page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    return sign_in
