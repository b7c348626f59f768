"""The review round in a real browser: the head submits indicator 3, the QA officer asks
for one evidence item to be fixed and returns it, the staff replace the file and answer,
the head resubmits, the officer approves with a committee score of 5, and the staff can
no longer edit. Screenshots of each step under test-output/screenshots/."""

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from evidence.models import EvidenceItem, ReviewComment
from indicators.demo import load_demo
from indicators.models import Assessment
from tests.factories import pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COMMENT = "ลายมือชื่อผู้เข้าประชุมไม่ครบ กรุณาแนบฉบับสมบูรณ์"
REPLY = "แนบรายงานการประชุมฉบับที่มีลายมือชื่อครบแล้ว"


@pytest.fixture
def open_as(
    browser: Browser, live_server: LiveServer, login: Callable[[Page, str, str], None]
) -> Iterator[Callable[[str, str], Page]]:
    """open_as(username, password): a fresh signed-in laptop-sized page per person."""
    contexts = []

    def open_page(username: str, password: str) -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale="th-TH", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        login(page, username, password)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_review_flow(
    live_server: LiveServer, open_as: Callable[[str, str], Page], screenshots: Path
) -> None:
    assessment = load_demo().assessment
    page_url = assessment.get_absolute_url()
    item = EvidenceItem.objects.get(
        result__assessment=assessment, result__criterion__order=1, position=1
    )

    # The head submits.
    head = open_as("head", "head-demo-2563")
    head.goto(page_url)
    head.get_by_role("button", name="ส่งผลการประเมินให้เจ้าหน้าที่ประกันคุณภาพ").click()
    expect(head.locator("[data-status]")).to_contain_text("ส่งแล้ว")
    expect(head.locator("#readonly-reason")).to_be_visible()
    head.screenshot(path=screenshots / "review-1-submitted.png")

    # The QA officer sees it waiting, asks for one item to be fixed, and returns it.
    qa = open_as("qa", "qa-demo-2563")
    expect(qa.locator("#pending")).to_contain_text("สำนักพิมพ์")
    qa.locator("#pending").get_by_role("link", name=re.compile("ตัวบ่งชี้ที่ 3")).click()
    expect(qa).to_have_url(re.compile(rf"/assessments/{assessment.pk}/review/"))
    row = qa.locator(f"#item-{item.pk}")
    row.locator("input[name=comment]").fill(COMMENT)
    row.get_by_role("button", name="ต้องแก้ไข").click()
    expect(row).to_have_attribute("data-review-status", "needs_fix")
    expect(row).to_contain_text(COMMENT)
    qa.screenshot(path=screenshots / "review-2-needs-fix.png")
    qa.locator("#return-reason").fill("โปรดแก้ไขหลักฐาน สพ 3-1 (1) ตามความเห็น")
    qa.get_by_role("button", name="ส่งกลับแก้ไข").click()
    expect(qa.locator("[data-status]")).to_contain_text("ส่งกลับแก้ไข")

    # The staff see the comment beside its criterion, replace the file and answer.
    staff = open_as("staff", "staff-demo-2563")
    expect(staff.locator("#pending")).to_contain_text("ลายมือชื่อผู้เข้าประชุมไม่ครบ")
    staff.goto(page_url)
    comments = staff.locator(f"#review-comments-{item.result_id}")
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text("สพ 3-1 (1)")
    evidence_row = staff.locator(f"li#item-{item.pk}")
    expect(evidence_row.locator(".kmt-needs-fix")).to_be_visible()
    staff.screenshot(path=screenshots / "review-3-returned-staff.png", full_page=True)
    evidence_row.locator("a.kmt-replace").click()
    pdf = pdf_bytes("signed minutes")
    staff.locator("input[type=file]").set_input_files(
        {"name": "รายงานการประชุม-1-2563.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    staff.get_by_role("button", name="อัปโหลดไฟล์ใหม่").click()
    expect(staff.get_by_role("alert").first).to_contain_text("แทนที่ไฟล์ของ สพ 3-1 (1) แล้ว")
    evidence_row = staff.locator(f"li#item-{item.pk}")
    expect(evidence_row.locator("a.kmt-open")).to_be_visible()
    expect(evidence_row.locator(".kmt-needs-fix")).to_have_count(0)
    comment = ReviewComment.objects.get()
    answer = staff.locator(f"#comment-{comment.pk}")
    answer.locator("textarea[name=reply]").fill(REPLY)
    answer.get_by_role("button", name="บันทึกคำตอบ").click()
    expect(staff.locator(f"#comment-{comment.pk}")).to_contain_text(REPLY)

    # The head resubmits.
    head.goto(page_url)
    head.get_by_role("button", name="ส่งผลการประเมินให้เจ้าหน้าที่ประกันคุณภาพ").click()
    expect(head.locator("[data-status]")).to_contain_text("ส่งแล้ว")

    # The officer sees the new file and the answer, then approves with 5.
    qa.goto(f"/assessments/{assessment.pk}/review/")
    row = qa.locator(f"#item-{item.pk}")
    expect(row).to_contain_text(REPLY)
    href = row.get_by_role("link", name=re.compile("เปิดไฟล์")).get_attribute("href")
    response = qa.request.get(href)
    assert response.status == 200 and response.body() == pdf
    qa.locator("#committee-score").fill("5")
    qa.get_by_role("button", name="อนุมัติผลการประเมิน").click()
    expect(qa.locator("[data-status]")).to_contain_text("อนุมัติแล้ว")
    expect(qa.locator("[data-committee-score]").first).to_have_text("5.00")
    qa.screenshot(path=screenshots / "review-4-approved.png")

    # The staff can no longer edit: the page says why, and nothing to type in.
    staff.goto(page_url)
    expect(staff.locator("#readonly-reason")).to_contain_text("อนุมัติแล้ว")
    expect(staff.locator("textarea[name=narrative]")).to_have_count(0)
    expect(staff.locator("a.kmt-replace")).to_have_count(0)
    staff.screenshot(path=screenshots / "review-5-approved-staff.png", full_page=True)

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.APPROVED
    assert assessment.committee_score == Decimal("5.00")
    moves = list(assessment.transitions.values_list("to_status", "by__username"))
    assert moves == [
        ("submitted", "head"),
        ("returned", "qa"),
        ("submitted", "head"),
        ("approved", "qa"),
    ]
