"""A unit's staff member, in a real browser: sign in, open indicator 3, write,
upload a PDF, move it to the top, open it again; screenshots at laptop and phone width."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from indicators.demo import load_demo
from indicators.models import CriterionResult
from tests.factories import pdf_bytes
from tests.pdf_helpers import pypdf_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARRATIVE = "ทดสอบการบันทึกผลการดำเนินงาน: กำหนดประเด็นความรู้ประจำปี 2563 แล้ว"


def test_staff_flow(
    live_server: LiveServer,
    page: Page,
    phone_page: Page,
    login: Callable[[Page, str, str], None],
    screenshots: Path,
) -> None:
    assessment = load_demo().assessment
    first_result = CriterionResult.objects.get(assessment=assessment, criterion__order=1)
    old_captions = list(
        first_result.evidence_items.order_by("position").values_list("caption", flat=True)
    )

    login(page, "staff", "staff-demo-2563")
    page.get_by_role("link", name=re.compile("ตัวบ่งชี้ที่ 3")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "ตัวบ่งชี้ที่ 3 การพัฒนาหน่วยงานสู่องค์การการเรียนรู้"
    )
    expect(page.get_by_text("ปีงบประมาณ พ.ศ.2563 (1 ต.ค. 62 - 30 ก.ย. 63)")).to_be_visible()

    # Criterion 1: change the narrative and save it in place.
    criterion = page.locator(f"#criterion-{first_result.pk}")
    criterion.locator("textarea[name=narrative]").fill(NARRATIVE)
    criterion.get_by_role("button", name="บันทึกผลการดำเนินงาน").click()
    expect(criterion.get_by_role("status")).to_contain_text("บันทึกแล้ว")
    first_result.refresh_from_db()
    assert first_result.narrative == NARRATIVE

    # Upload a real PDF: it becomes สพ 3-1 (9).
    pdf = pdf_bytes("e2e")
    criterion.get_by_role("link", name="เพิ่มเอกสารอ้างอิง").click()
    upload_form = criterion.locator("form.kmt-add-upload")
    upload_form.locator("input[type=file]").set_input_files(
        {"name": "คำสั่งแต่งตั้งคณะทำงาน.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    upload_form.locator("textarea[name=caption]").fill("คำสั่งแต่งตั้งคณะทำงาน (ฉบับใหม่)")
    upload_form.get_by_role("button", name="อัปโหลดและเพิ่ม").click()
    new_item = criterion.locator("li.evidence-item", has_text="คำสั่งแต่งตั้งคณะทำงาน (ฉบับใหม่)")
    expect(new_item.locator(".evidence-code")).to_have_text("สพ 3-1 (9)")

    # Move it up to first place, one step at a time; codes renumber at every step.
    for position in range(8, 0, -1):
        new_item.locator("button.kmt-up").click()
        expect(new_item.locator(".evidence-code")).to_have_text(f"สพ 3-1 ({position})")
    items = criterion.locator("li.evidence-item")
    expect(items).to_have_count(9)
    expect(items.nth(0).locator(".evidence-code")).to_have_text("สพ 3-1 (1)")
    expect(items.nth(1).locator(".evidence-code")).to_have_text("สพ 3-1 (2)")
    expect(items.nth(1).locator(".evidence-caption")).to_have_text(old_captions[0])
    expect(items.nth(8).locator(".evidence-code")).to_have_text("สพ 3-1 (9)")
    expect(items.nth(8).locator(".evidence-caption")).to_have_text(old_captions[7])

    # Open it again: the protected download gives back the very bytes uploaded.
    href = new_item.locator("a.kmt-open").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == pdf

    page.reload()
    page.screenshot(path=screenshots / "indicator-desktop.png", full_page=True)

    # Print: the button records a report job (here the test's immediate queue has made
    # it already) and the job page, in a new tab, offers the PDF with the new narrative.
    with page.expect_popup() as popup:
        page.get_by_role("button", name="พิมพ์ตัวบ่งชี้นี้ (PDF)").click()
    job_page = popup.value
    open_pdf = job_page.get_by_role("link", name="เปิด PDF")
    expect(open_pdf).to_be_visible()
    printed = job_page.request.get(open_pdf.get_attribute("href") or "")
    assert printed.headers["content-type"] == "application/pdf"
    assert NARRATIVE[:20] in "".join(pypdf_pages(printed.body())).replace("\n", "")
    job_page.close()

    login(phone_page, "staff", "staff-demo-2563")
    phone_page.goto(assessment.get_absolute_url())
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("ตัวบ่งชี้ที่ 3")
    # Nothing sticks out sideways at phone width.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.screenshot(path=screenshots / "indicator-phone.png", full_page=True)
