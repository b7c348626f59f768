"""Deadlines on the pages: set on the cycle and indicator setup pages in Buddhist-era
dates; shown as due or overdue on home, the unit page and the dashboard."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time
from pytest_django import DjangoAssertNumQueries

from indicators.models import Assessment, Cycle
from tests.factories import (
    AssessmentFactory,
    CriterionResultFactory,
    IndicatorFactory,
    QAAdminFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

DUE = datetime.date(2024, 12, 15)  # 15 ธ.ค. 2567


def _set(assessment: Assessment, submission: datetime.date | None = DUE) -> Cycle:
    cycle = assessment.indicator.cycle
    cycle.submission_deadline = submission
    cycle.review_deadline = DUE + datetime.timedelta(days=14)
    cycle.save()
    return cycle


def _page(client: Client, user: User, url: str, day: datetime.date) -> str:
    client.force_login(user)
    with freeze_time(datetime.datetime.combine(day, datetime.time(5, 0))):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_home_shows_what_is_due_and_what_is_overdue(
    client: Client, assessment: Assessment, staff: User
) -> None:
    _set(assessment)
    html = _page(client, staff, reverse("home"), DUE - datetime.timedelta(days=3))
    assert "ครบกำหนดส่ง 15 ธ.ค. 2567" in html and 'data-deadline="due"' in html
    assert "กำหนดส่งผลการประเมิน" in html  # the cycle's dates above the list
    html = _page(client, staff, reverse("home"), DUE + datetime.timedelta(days=3))
    assert "เลยกำหนด 3 วัน" in html and 'data-deadline="overdue"' in html


def test_the_unit_page_shows_deadlines_to_its_people_and_qa_not_outsiders(
    client: Client, assessment: Assessment, head: User, qa_officer: User, outsider: User
) -> None:
    _set(assessment)
    url = reverse("indicators:unit", args=[assessment.unit_id])
    day = DUE + datetime.timedelta(days=1)
    for user in (head, qa_officer):
        assert "เลยกำหนด 1 วัน" in _page(client, user, url, day)
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_dashboard_shows_the_review_deadline_of_submitted_work(
    client: Client, assessment: Assessment, qa_officer: User, staff: User
) -> None:
    _set(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    html = _page(client, qa_officer, reverse("indicators:dashboard"), DUE)
    assert "ครบกำหนดตรวจ 29 ธ.ค. 2567" in html
    client.force_login(staff)
    assert client.get(reverse("indicators:dashboard")).status_code == 403


def test_no_badge_without_deadlines_or_once_approved(
    client: Client, assessment: Assessment, staff: User
) -> None:
    assert "data-deadline" not in _page(client, staff, reverse("home"), DUE)
    _set(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.APPROVED)
    assert "data-deadline" not in _page(client, staff, reverse("home"), DUE)


def test_deadlines_add_no_query_per_row(
    client: Client,
    assessment: Assessment,
    qa_officer: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    cycle = _set(assessment)
    indicators = [IndicatorFactory(cycle=cycle, number=f"1.{k}") for k in range(1, 4)]
    indicators[0].submission_deadline = DUE - datetime.timedelta(days=5)
    indicators[0].save()
    for _ in range(6):
        unit = UnitFactory()
        for indicator in indicators:
            CriterionResultFactory(assessment=AssessmentFactory(unit=unit, indicator=indicator))
    client.force_login(qa_officer)
    # The same as without deadlines (test_home): 8 + 3 pending lists + the navbar's count
    # + the data version.
    with django_assert_max_num_queries(13):
        html = client.get(reverse("home")).content.decode()
    assert html.count("data-deadline") == 19


# --- Set on the setup pages ------------------------------------------------------------


def test_the_cycle_form_takes_buddhist_era_deadlines(assessment: Assessment) -> None:
    client = Client()
    client.force_login(QAAdminFactory())
    cycle = assessment.indicator.cycle
    url = reverse("indicators:setup_cycle_edit", args=[cycle.pk])
    data = {
        "kind": cycle.kind,
        "year_be": str(cycle.year_be),
        "start_date": "1/10/2562",
        "end_date": "30/09/2563",
        "submission_deadline": "15 ธ.ค. 2563",
        "review_deadline": "๓๑/๐๑/๒๕๖๔",
    }
    assert client.post(url, data).status_code == 302
    cycle.refresh_from_db()
    assert cycle.submission_deadline == datetime.date(2020, 12, 15)
    assert cycle.review_deadline == datetime.date(2021, 1, 31)
    html = client.get(url).content.decode()
    assert 'value="15/12/2563"' in html and 'value="31/01/2564"' in html
    # A review due before the submission, or a Gregorian year: refused in Thai, unsaved.
    bad = {**data, "review_deadline": "1/12/2563"}
    response = client.post(url, bad)
    assert "กำหนดตรวจเสร็จต้องไม่ก่อนกำหนดส่ง" in response.content.decode()
    response = client.post(url, {**data, "submission_deadline": "15/12/2020"})
    assert "ปีต้องเป็นพุทธศักราช" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.review_deadline == datetime.date(2021, 1, 31)
    assert cycle.submission_deadline == datetime.date(2020, 12, 15)


def test_the_indicator_form_takes_an_override(assessment: Assessment) -> None:
    client = Client()
    client.force_login(QAAdminFactory())
    indicator = assessment.indicator
    url = reverse("indicators:setup_indicator", args=[indicator.pk])
    data = {
        "number": indicator.number,
        "title": indicator.title,
        "kind": "process",
        "score_table": "1 1\n2 2\n3 3\n4 4\n5 5",
        "full_score_value": "",
        "result_unit": "ข้อ",
        "submission_deadline": "20/12/2563",
        "review_deadline": "",
    }
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.submission_deadline == datetime.date(2020, 12, 20)
    assert indicator.review_deadline is None
    assert indicator.effective_submission_deadline == datetime.date(2020, 12, 20)


def test_the_pending_lists_show_the_deadlines_too(
    client: Client, assessment: Assessment, qa_officer: User
) -> None:
    _set(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    html = _page(client, qa_officer, reverse("home"), DUE + datetime.timedelta(days=16))
    pending = html[html.index('id="pending"') :]
    assert "เลยกำหนดตรวจ 2 วัน" in pending[: pending.index("</section>")]
