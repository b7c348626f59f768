"""Keyboard only, in Chromium: jump to criterion 2 of indicator 3, write and save its
narrative, attach a file; after every step the focus is where the user works and the
outcome is read out by the page's live region."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from indicators.demo import load_demo
from indicators.models import CriterionResult
from tests.factories import pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARRATIVE = "เขียนด้วยแป้นพิมพ์อย่างเดียว: ทบทวนแผนการจัดการความรู้ทุกไตรมาส"


def focused(page: Page, selector: str) -> bool:
    """Whether the focused element is (inside the page) the one the selector names."""
    return bool(
        page.evaluate("s => document.activeElement === document.querySelector(s)", selector)
    )


def tab_to(page: Page, selector: str, *, most: int) -> int:
    """Presses Tab until the element is focused; fails after ``most`` presses."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return presses
    raise AssertionError(f"{selector} not reached in {most} Tab presses")


def test_keyboard_only(
    live_server: LiveServer, page: Page, login: Callable[[Page, str, str], None]
) -> None:
    assessment = load_demo().assessment
    second = CriterionResult.objects.get(assessment=assessment, criterion__order=2)
    criterion = f"#criterion-{second.pk}"
    codes_before = second.evidence_items.count()

    login(page, "staff", "staff-demo-2563")
    page.goto(assessment.get_absolute_url())
    live = page.locator("#kmt-live")

    # Jump to criterion 2: its heading takes the focus, the next Tab goes inside it.
    jump = page.get_by_role("link", name="เกณฑ์ข้อ 2", exact=True)
    tab_to(page, f'a[data-kmt-jump][href="{criterion}-title"]', most=60)
    expect(jump).to_be_focused()
    page.keyboard.press("Enter")
    assert focused(page, f"{criterion}-title")
    assert page.evaluate("() => location.hash") == f"{criterion}-title"

    # Its narrative editor is a few presses away; write and save with the keyboard.
    textarea = f"{criterion} textarea[name=narrative]"
    assert tab_to(page, textarea, most=6) <= 6
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(NARRATIVE)
    save = f"#narrative-{second.pk} button[type=submit]"
    tab_to(page, save, most=2)
    page.keyboard.press("Enter")
    expect(live).to_contain_text("บันทึกแล้ว")
    expect(page.locator(save)).to_be_focused()  # the new button, after the swap
    second.refresh_from_db()
    assert second.narrative == NARRATIVE

    # "+ เพิ่มเอกสารอ้างอิง": the form opens with the focus in its file input.
    add = f"#evidence-{second.pk} a.kmt-add"
    assert tab_to(page, add, most=10) <= 10
    page.keyboard.press("Enter")
    file_input = page.locator(f"#evidence-{second.pk} form.kmt-add-upload input[type=file]")
    expect(file_input).to_be_focused()
    file_input.set_input_files(
        {"name": "แผนการจัดการความรู้.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("kb")}
    )
    upload = f"#evidence-{second.pk} form.kmt-add-upload button[type=submit]"
    tab_to(page, upload, most=3)
    page.keyboard.press("Enter")

    # Added: read out with its code, and the focus is on the new item.
    code = f"สพ 3-2 ({codes_before + 1})"
    expect(live).to_have_text(re.compile(re.escape(f"เพิ่มหลักฐาน {code} แล้ว")))
    item = second.evidence_items.get(position=codes_before + 1)
    assert item.document is not None and item.document.original_name == "แผนการจัดการความรู้.pdf"
    expect(page.locator(f"#item-{item.pk}")).to_be_focused()
    # Tab goes on from there, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate(
        f"() => document.querySelector('#item-{item.pk}').contains(document.activeElement)"
    )
