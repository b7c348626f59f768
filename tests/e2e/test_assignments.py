"""The assignment matrix in a real browser: the "all units" box of a column and the one
packed field the page posts, under the Content-Security-Policy."""

from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from indicators.models import Assessment, CriterionResult
from tests.factories import (
    CriterionFactory,
    CycleFactory,
    IndicatorFactory,
    QAAdminFactory,
    UnitFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_all_units_of_a_column_in_one_save(
    live_server: LiveServer, page: Page, login: Callable[[Page, str, str], None]
) -> None:
    cycle = CycleFactory(year_be=2567)
    one = IndicatorFactory(cycle=cycle, number="1")
    two = IndicatorFactory(cycle=cycle, number="2")
    for order in (1, 2):
        CriterionFactory(indicator=two, order=order)
    units = [UnitFactory(name=f"หน่วยงาน {n}") for n in range(1, 6)]
    QAAdminFactory(username="dora")
    refused: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", on_console)
    login(page, "dora", "password")
    page.goto(f"/cycles/{cycle.pk}/assignments/")
    toggle = page.locator(f'input[data-kmt-assign-all="{two.pk}"]')
    expect(toggle).to_be_visible()
    toggle.check()
    column = page.locator(f'input[name="cell"][data-kmt-col="{two.pk}"]')
    expect(column).to_have_count(5)
    for index in range(5):
        expect(column.nth(index)).to_be_checked()
    # One box of the other column: its "all units" box shows "some" (indeterminate).
    page.locator(f"#cell-{units[0].pk}-{one.pk}").check()
    assert page.locator(f'input[data-kmt-assign-all="{one.pk}"]').evaluate("e => e.indeterminate")
    page.get_by_role("button", name="บันทึกการมอบหมาย").click()
    expect(page.get_by_text("มอบหมายเพิ่ม 6 รายการ")).to_be_visible()
    cells = set(Assessment.objects.values_list("unit_id", "indicator_id"))
    assert cells == {(unit.pk, two.pk) for unit in units} | {(units[0].pk, one.pk)}
    assert CriterionResult.objects.count() == 5 * 2
    expect(toggle).to_be_checked()
    assert refused == []
