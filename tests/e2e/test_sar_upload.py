"""A unit's staff member imports the indicator page from its Word file in a real browser:
upload, see what changes beside what the app holds, confirm."""

import io
import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from indicators.demo import load_demo
from indicators.models import CriterionResult
from indicators.reports import word

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARRATIVE = "ปรับจากไฟล์ Word: กำหนดบุคลากรกลุ่มเป้าหมาย 15 คน จากทุกฝ่ายของสำนักพิมพ์"


def test_staff_imports_the_page_from_word(
    live_server: LiveServer,
    page: Page,
    login: Callable[[Page, str, str], None],
    screenshots: Path,
) -> None:
    assessment = load_demo().assessment
    document = docx.Document(io.BytesIO(word.indicator_document(assessment=assessment)))
    document.tables[0].rows[2].cells[1].text = NARRATIVE  # criterion 2's narrative
    data = io.BytesIO()
    document.save(data)

    login(page, "staff", "staff-demo-2563")
    page.goto(assessment.get_absolute_url())
    page.get_by_role("link", name="นำเข้าจากไฟล์ Word").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("นำเข้าจากไฟล์ Word")
    page.locator("input[type=file]").set_input_files(
        {
            "name": "SAR ตัวบ่งชี้ที่ 3.docx",
            "mimeType": "application/octet-stream",
            "buffer": data.getvalue(),
        }  # fmt: skip
    )
    page.get_by_role("button", name="ตรวจสอบก่อนนำเข้า").click()

    changed = page.locator("#kmt-sar-criterion-2")
    expect(changed).to_have_attribute("data-status", "changed")
    expect(changed.locator("ins")).not_to_have_count(0)
    for order in (1, 3, 4, 5):
        expect(page.locator(f"#kmt-sar-criterion-{order}")).to_have_attribute("data-status", "same")
    page.screenshot(path=str(screenshots / "sar-upload-preview.png"), full_page=True)
    result = CriterionResult.objects.get(assessment=assessment, criterion__order=2)
    assert result.narrative != NARRATIVE  # nothing written before the confirmation

    page.get_by_role("button", name="ยืนยันการนำเข้า").click()
    expect(page).to_have_url(re.compile(rf"/assessments/{assessment.pk}/$"))
    expect(page.get_by_text(re.compile("นำเข้าจากไฟล์แล้ว"))).to_be_visible()
    result.refresh_from_db()
    assert result.narrative == NARRATIVE
