"""The assignment matrix of a cycle: QA administrators only, one post, all or nothing."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from indicators.models import Assessment, CriterionResult, Cycle, Indicator, Unit
from tests.factories import (
    AssessmentFactory,
    CriterionFactory,
    CycleFactory,
    IndicatorFactory,
    QAAdminFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(unit: Unit) -> Cycle:
    cycle = CycleFactory(year_be=2567)
    for number in ("1", "2"):
        indicator = IndicatorFactory(cycle=cycle, number=number)
        for order in (1, 2, 3):
            CriterionFactory(indicator=indicator, order=order)
    return cycle


@pytest.fixture
def qa_admin(db: None) -> User:
    return QAAdminFactory(username="dora")


def _url(cycle: Cycle) -> str:
    return reverse("indicators:assignments", args=[cycle.pk])


def _post(units: list[Unit], indicators: list[Indicator], cells: list[tuple]) -> dict:
    return {
        "units": ",".join(str(unit.pk) for unit in units),
        "indicators": ",".join(str(indicator.pk) for indicator in indicators),
        "cell": [f"{unit.pk}-{indicator.pk}" for unit, indicator in cells],
    }


def test_only_qa_administrators_open_the_matrix(
    client: Client,
    year: Cycle,
    staff: User,
    head: User,
    qa_officer: User,
    outsider: User,
    qa_admin: User,
) -> None:
    for user in (staff, head, qa_officer, outsider):
        client.force_login(user)
        response = client.get(_url(year))
        assert response.status_code == 403, user
        assert "เฉพาะผู้ดูแลระบบประกันคุณภาพ" in response.content.decode()
        units, indicators = list(Unit.objects.all()), list(year.indicators.all())
        assert client.post(_url(year), _post(units, indicators, [])).status_code == 403
    assert not Assessment.objects.exists()
    client.force_login(qa_admin)
    content = client.get(_url(year)).content.decode()
    assert "มอบหมายตัวบ่งชี้ให้หน่วยงาน" in content
    assert "สำนักพิมพ์" in content and "ตัวบ่งชี้ที่ 2" in content
    assert "js/assignments.js" in content and "<script>" not in content
    assert client.get(reverse("indicators:assignments", args=[999_999])).status_code == 404


def test_checkboxes_assign_and_the_page_shows_them_checked(
    client: Client, year: Cycle, unit: Unit, qa_admin: User
) -> None:
    other = UnitFactory(name="สำนักบรรณสารสนเทศ")
    one, two = year.indicators.order_by("sort_key")
    client.force_login(qa_admin)
    data = _post([unit, other], [one, two], [(unit, one), (unit, two), (other, two)])
    response = client.post(_url(year), data)
    assert response.status_code == 302
    assert Assessment.objects.count() == 3 and CriterionResult.objects.count() == 9
    content = client.get(_url(year)).content.decode()
    assert "มอบหมายเพิ่ม 3 รายการ" in content
    assert content.count(" checked") == 3
    # With JavaScript the page posts one packed field; unchecking removes the empty one.
    packed = {**data, "cell": [], "cells": f"{unit.pk}-{one.pk},{unit.pk}-{two.pk}"}
    assert client.post(_url(year), packed).status_code == 302
    cells = set(Assessment.objects.values_list("unit_id", "indicator_id"))
    assert cells == {(unit.pk, one.pk), (unit.pk, two.pk)}


def test_a_refused_unassignment_writes_nothing_and_names_the_cell(
    client: Client, year: Cycle, unit: Unit, qa_admin: User
) -> None:
    other = UnitFactory(name="สำนักบรรณสารสนเทศ")
    one, two = year.indicators.order_by("sort_key")
    client.force_login(qa_admin)
    client.post(_url(year), _post([unit, other], [one, two], [(unit, one), (other, one)]))
    written = Assessment.objects.get(unit=unit, indicator=one)
    written.results.filter(criterion__order=1).update(narrative="ดำเนินการแล้ว")
    before = sorted(Assessment.objects.values_list("pk", flat=True))
    # Uncheck both, check a new one: refused as a whole.
    response = client.post(_url(year), _post([unit, other], [one, two], [(other, two)]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "ยกเลิกการมอบหมายไม่ได้ 1 รายการ" in content
    assert "เขียนผลการดำเนินงานแล้ว 1 ข้อ" in content
    assert content.count("data-refused") == 1
    assert sorted(Assessment.objects.values_list("pk", flat=True)) == before
    # The boxes stay as the administrator left them, to fix and save again.
    assert f'value="{other.pk}-{two.pk}"' in content
    assert content.count(" checked") == 1


def test_a_page_out_of_date_is_refused(
    client: Client, year: Cycle, unit: Unit, qa_admin: User
) -> None:
    one = year.indicators.order_by("sort_key").first()
    client.force_login(qa_admin)
    for data in (
        {},
        {**_post([unit], [one], []), "units": f"{unit.pk},999999"},
        {**_post([unit], [one], []), "cell": ["x-y"]},
        {**_post([unit], [one], []), "cells": f"{unit.pk}-{one.pk + 1000}"},
        {**_post([unit], [one], []), "indicators": "99999999999999999999"},
    ):
        response = client.post(_url(year), data)
        assert response.status_code == 200, data
        assert 'id="assignment-errors"' in response.content.decode()
    assert not Assessment.objects.exists()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_matrix_queries_do_not_grow_with_units_and_indicators(
    client: Client,
    year: Cycle,
    qa_admin: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(qa_admin)
    small = _queries(client, _url(year))
    indicators = [IndicatorFactory(cycle=year, number=f"5.{n}") for n in range(1, 14)]
    units = UnitFactory.create_batch(59)
    Assessment.objects.bulk_create(
        Assessment(unit=unit, indicator=indicator) for unit in units for indicator in indicators
    )
    assert Unit.objects.count() == 60 and year.indicators.count() == 15
    with django_assert_max_num_queries(small):
        response = client.get(_url(year))
    assert response.content.decode().count('name="cell"') == 60 * 15
    # Session, user, permissions, cycle, units, indicators, assessments, and the navbar's
    # unread notifications.
    assert small <= 9


def test_a_full_matrix_saves_in_one_post(client: Client, year: Cycle, qa_admin: User) -> None:
    UnitFactory.create_batch(59)
    for n in range(1, 14):
        IndicatorFactory(cycle=year, number=f"5.{n}")
    units, indicators = list(Unit.objects.all()), list(year.indicators.all())
    client.force_login(qa_admin)
    data = _post(units, indicators, [])
    data["cells"] = ",".join(f"{u.pk}-{i.pk}" for u in units for i in indicators)
    assert client.post(_url(year), data).status_code == 302
    assert Assessment.objects.filter(indicator__cycle=year).count() == 900
    # Indicators 1 and 2 have three criteria each.
    assert CriterionResult.objects.count() == 60 * 2 * 3


def test_home_links_the_matrix_for_qa_administrators(
    client: Client, year: Cycle, unit: Unit, qa_admin: User, qa_officer: User, staff: User
) -> None:
    AssessmentFactory(unit=unit, indicator=year.indicators.first())
    client.force_login(qa_admin)
    assert _url(year) in client.get(reverse("home")).content.decode()
    for user in (qa_officer, staff):
        client.force_login(user)
        assert _url(year) not in client.get(reverse("home")).content.decode()
