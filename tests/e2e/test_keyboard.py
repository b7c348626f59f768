"""Keyboard only, in Chromium: jump to criterion 2 of indicator 3, write and save its
narrative, attach a file; after every step the focus is where the user works and the
outcome is read out by the page's live region."""

import base64
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from indicators.demo import load_demo
from indicators.models import Assessment, CriterionResult
from tests.factories import pdf_bytes, set_status

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


SEEN_WHILE_BUSY = """() => {
  window.kmtSeen = [];
  document.addEventListener("htmx:beforeSend", (event) => {
    const button = event.detail.elt.querySelector("button[type=submit]");
    const busy = button && button.querySelector(".kmt-busy");
    window.kmtSeen.push({
      disabled: Boolean(button && button.disabled),
      spinner: busy ? getComputedStyle(busy).display : "none",
      text: busy ? busy.textContent.trim() : "",
    });
  });
  window.kmtProgress = [];
  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = event.target;
    const bar = form.querySelector && form.querySelector("progress[data-kmt-upload-progress]");
    if (bar) window.kmtProgress.push({hidden: bar.hidden, value: bar.value});
  });
}"""

DROP_FILES = """([zoneId, files]) => {
  const transfer = new DataTransfer();
  for (const [name, base64] of files) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
  }
  const zone = document.getElementById(zoneId);
  for (const type of ["dragenter", "dragover", "drop"]) {
    const options = {dataTransfer: transfer, bubbles: true, cancelable: true};
    zone.dispatchEvent(new DragEvent(type, options));
  }
}"""


def test_busy_buttons_progress_and_dropped_files(
    live_server: LiveServer, page: Page, login: Callable[[Page, str, str], None]
) -> None:
    assessment = load_demo().assessment
    first = CriterionResult.objects.get(assessment=assessment, criterion__order=1)
    count = first.evidence_items.count()
    login(page, "staff", "staff-demo-2563")
    page.goto(assessment.get_absolute_url())
    page.evaluate(SEEN_WHILE_BUSY)
    live = page.locator("#kmt-live")

    # While the narrative is saved its button is disabled and shows the spinner.
    page.locator(f"#narrative-{first.pk} button[type=submit]").click()
    expect(live).to_contain_text("บันทึกแล้ว")
    assert page.evaluate("() => window.kmtSeen") == [
        {"disabled": True, "spinner": "inline-block", "text": "กำลังบันทึก…"}
    ]
    expect(page.locator(f"#narrative-{first.pk} button[type=submit]")).to_be_enabled()

    # Two PDFs dropped onto the criterion's evidence: the form opens, both go up at once.
    files = [
        ["รายงาน ก.pdf", base64.b64encode(pdf_bytes("drop-a")).decode()],
        ["รายงาน ข.pdf", base64.b64encode(pdf_bytes("drop-b")).decode()],
    ]
    page.evaluate(DROP_FILES, [f"evidence-{first.pk}", files])
    codes = f"สพ 3-1 ({count + 1}), สพ 3-1 ({count + 2})"
    expect(live).to_have_text(f"เพิ่มหลักฐาน {codes} แล้ว")
    captions = list(
        first.evidence_items.filter(position__gt=count)
        .order_by("position")
        .values_list("caption", flat=True)
    )
    assert captions == ["รายงาน ก", "รายงาน ข"]
    progress = page.evaluate("() => window.kmtProgress")
    assert progress and all(not step["hidden"] for step in progress)
    assert progress[-1]["value"] == 100

    # A plain form that opens a new tab (the PDF): its button is disabled for a moment.
    print_button = page.locator("button.kmt-pdf")
    with page.expect_popup() as popup:
        print_button.click()
    expect(print_button).to_be_disabled()
    popup.value.close()
    expect(print_button).to_be_enabled()


def test_review_page_by_keyboard(
    live_server: LiveServer, page: Page, login: Callable[[Page, str, str], None]
) -> None:
    assessment = set_status(load_demo().assessment, Assessment.Status.SUBMITTED)
    second = CriterionResult.objects.get(assessment=assessment, criterion__order=2)
    login(page, "qa", "qa-demo-2563")
    page.goto(f"/assessments/{assessment.pk}/review/")

    # Jump to criterion 2, then on to its comment box.
    tab_to(page, f'a[data-kmt-jump][href="#result-{second.pk}-title"]', most=40)
    page.keyboard.press("Enter")
    assert focused(page, f"#result-{second.pk}-title")
    box = f"#comment-body-{second.pk}"
    tab_to(page, box, most=80)  # past the review forms of each evidence item
    page.keyboard.insert_text("ขอหลักฐานการประชุมไตรมาสที่ 2 เพิ่ม")
    button = f"#result-{second.pk} form[data-kmt-reset-on-success] button[type=submit]"
    tab_to(page, button, most=1)
    page.keyboard.press("Enter")

    # Added, read out, and the focus stays on the button that sent it.
    expect(page.locator("#kmt-live")).to_have_text("เพิ่มความเห็นแล้ว")
    expect(page.locator(f"#comments-result-{second.pk}")).to_contain_text("ไตรมาสที่ 2")
    expect(page.locator(button)).to_be_focused()
    assert second.comments.filter(body__contains="ไตรมาสที่ 2").exists()
