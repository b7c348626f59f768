"""The QA administrator, in a real browser, sets up a new cycle from the navbar: types
its dates in the Buddhist era, copies last year's indicator set, adds an output
indicator and rewords the criterion it comes with; screenshots of the pages."""

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from indicators.models import Cycle, Indicator
from tests.factories import QAAdminFactory, UnitFactory, sar_assessment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_qa_administrator_sets_up_a_cycle(
    live_server: LiveServer,
    page: Page,
    login: Callable[[Page, str, str], None],
    screenshots: Path,
) -> None:
    last_year = sar_assessment(unit=UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ"))
    QAAdminFactory(username="ada")
    login(page, "ada", "password")

    page.get_by_role("link", name="ตั้งค่ารอบปีและตัวบ่งชี้").click()
    page.get_by_role("link", name="สร้างรอบปีใหม่").click()
    page.get_by_label("ประเภทรอบ").select_option("academic")
    page.get_by_label("ปี พ.ศ.").fill("2564")
    start = page.get_by_label("วันเริ่มต้น")
    expect(start).to_have_attribute("placeholder", "วว/ดด/ปปปป")
    expect(start).to_have_attribute("type", "text")  # never the Gregorian date picker
    # The slashes come by themselves while typing (static/js/thaidate.js).
    start.press_sequentially("01062564")
    expect(start).to_have_value("01/06/2564")
    page.get_by_label("วันสิ้นสุด").fill("31 พฤษภาคม 2565")
    page.screenshot(path=screenshots / "setup-cycle-form.png", full_page=True)
    page.get_by_role("button", name="บันทึก").click()

    cycle = Cycle.objects.get(kind="academic", year_be=2564)
    assert (cycle.start_date, cycle.end_date) == (
        datetime.date(2021, 6, 1),
        datetime.date(2022, 5, 31),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("ปีการศึกษา 2564")
    page.locator("select[name=source]").select_option(str(last_year.indicator.cycle_id))
    page.get_by_role("button", name="คัดลอก", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("คัดลอกจาก")
    expect(page.get_by_role("link", name=last_year.indicator.title)).to_be_visible()

    page.get_by_role("link", name="เพิ่มตัวบ่งชี้", exact=True).click()
    page.get_by_label("ตัวบ่งชี้ที่").fill("4")
    page.get_by_label("ชื่อตัวบ่งชี้").fill("ร้อยละของบุคลากรที่นำความรู้ไปใช้")
    page.get_by_label("ชนิดของตัวบ่งชี้").select_option("output")
    page.get_by_label("ค่าที่ได้คะแนนเต็ม 5").fill("80")
    page.get_by_role("button", name="บันทึก").click()
    # The unit is missing: a Thai error on the field, nothing saved.
    expect(page.get_by_text("ต้องระบุหน่วยของผลการดำเนินงาน")).to_be_visible()
    assert not Indicator.objects.filter(cycle=cycle, number="4").exists()
    page.get_by_label("หน่วยของผลการดำเนินงาน").fill("ร้อยละ")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_role("alert").first).to_contain_text("บันทึกตัวบ่งชี้ที่ 4 แล้ว")

    # An output indicator comes with its one criterion (what is measured): reword it.
    measure = page.get_by_role("listitem").filter(has_text="ร้อยละของบุคลากรที่นำความรู้ไปใช้")
    measure.get_by_role("link", name="แก้ไข").click()
    page.get_by_role("textbox", name=re.compile("เกณฑ์มาตรฐาน")).fill("มีการสำรวจการนำความรู้ไปใช้")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.get_by_role("listitem").filter(has_text="มีการสำรวจการนำความรู้ไปใช้")).to_be_visible()
    page.screenshot(path=screenshots / "setup-indicator.png", full_page=True)
    indicator = Indicator.objects.get(cycle=cycle, number="4")
    assert list(indicator.criteria.values_list("order", "text")) == [(1, "มีการสำรวจการนำความรู้ไปใช้")]
    page.get_by_role("link", name=re.compile("ปีการศึกษา 2564")).first.click()
    page.screenshot(path=screenshots / "setup-cycle.png", full_page=True)
