"""Printing a page prints its content: Chromium's own print of the indicator page (to
PDF, read back with pdftotext) has the criteria and evidence, with where each link goes,
and none of the navigation, buttons or form controls."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page

from evidence.services.items import evidence_item_add_upload
from indicators.demo import load_demo
from tests.factories import pdf_bytes
from tests.pdf_helpers import pdftotext_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_indicator_page_prints_content_not_controls(
    page: Page, login: Callable[[Page, str, str], None], tmp_path: Path
) -> None:
    demo = load_demo().assessment
    result = demo.results.order_by("criterion__order").first()
    assert result is not None
    item, _ = evidence_item_add_upload(
        result=result,
        upload=SimpleUploadedFile("minutes.pdf", pdf_bytes("minutes")),
        content_type="application/pdf",
        caption="Minutes",
        by=get_user_model().objects.get(username="staff"),
    )
    link = demo.results.get(evidence_items__url__startswith="http").evidence_items.exclude(url="")
    login(page, "staff", "staff-demo-2563")
    page.goto(demo.get_absolute_url())
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert page.locator("button:visible, select:visible, input[type=file]:visible").count() == 0
    text = " ".join(pdftotext_pages(page.pdf(format="A4"), tmp_path))
    assert "การพัฒนาหน่วยงานสู่องค์การการเรียนรู้" in text  # the indicator
    # The narrative being edited prints whole, not cut at the box's height: its last words.
    ending = "".join(result.narrative.split())[-40:]
    assert ending in "".join(text.split()), ending
    assert item.code in text and item.document is not None
    assert item.document.get_absolute_url() in text  # where the file is, on paper
    assert link.get().url in text
    for control in ("ออกจากระบบ", "การแจ้งเตือน", "เปิดไฟล์", "แก้ไขการเชื่อมโยง"):
        assert control not in text, control
