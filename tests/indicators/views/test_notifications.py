"""The notifications page (what happened to my indicators, newest first, unread marked),
"mark all read", and the unread count in the navbar."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from indicators.models import Assessment, Notification
from indicators.services.review import review_comment_add
from indicators.services.workflow import assessment_return
from tests.factories import AssessmentFactory, IndicatorFactory, set_status

pytestmark = pytest.mark.django_db
URL = reverse("indicators:notifications")


@pytest.fixture
def returned(assessment: Assessment, staff: User, head: User, qa_officer: User) -> Assessment:
    set_status(assessment, Assessment.Status.SUBMITTED)
    review_comment_add(assessment=assessment, by=qa_officer, body="ระบุวันที่ประชุมให้ชัด")
    assessment_return(assessment=assessment, by=qa_officer, reason="แนบหลักฐานข้อ 3 ใหม่")
    return assessment


def test_my_notifications_newest_first_with_unread_marked(
    client: Client, returned: Assessment, staff: User
) -> None:
    client.force_login(staff)
    html = client.get(URL).content.decode()
    assert html.index("แนบหลักฐานข้อ 3 ใหม่") < html.index("ระบุวันที่ประชุมให้ชัด")
    assert html.count('data-notification="unread"') == 2
    assert "ถูกส่งกลับให้แก้ไข" in html and "มีความเห็นใหม่จากผู้ตรวจ" in html
    assert returned.get_absolute_url() in html
    assert 'data-unread="2"' in html


def test_mark_all_read(client: Client, returned: Assessment, staff: User, head: User) -> None:
    client.force_login(staff)
    response = client.post(reverse("indicators:notifications_read"))
    assert response.status_code == 302 and response["Location"] == URL
    html = client.get(URL).content.decode()
    assert 'data-notification="unread"' not in html
    assert html.count('data-notification="read"') == 2
    assert 'data-unread="0"' in html
    assert "ทำเครื่องหมายว่าอ่านแล้ว 2 รายการ" in html
    # Only mine: the head's stay unread.
    assert Notification.objects.filter(recipient=head).unread().count() == 2
    # A GET never marks anything.
    assert client.get(reverse("indicators:notifications_read")).status_code == 405


def test_qa_and_outsiders_see_only_their_own(
    client: Client, returned: Assessment, qa_officer: User, outsider: User
) -> None:
    for user in (qa_officer, outsider):
        client.force_login(user)
        html = client.get(URL).content.decode()
        assert "ยังไม่มีการแจ้งเตือน" in html
        assert "แนบหลักฐานข้อ 3" not in html
        client.post(reverse("indicators:notifications_read"))
    assert Notification.objects.unread().count() == 4  # staff's and head's untouched


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    assert client.get(URL).status_code == 302
    assert client.post(reverse("indicators:notifications_read")).status_code == 302


def test_the_list_and_the_navbar_count_take_few_queries(
    client: Client,
    assessment: Assessment,
    staff: User,
    qa_officer: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    cycle = assessment.indicator.cycle
    for n in range(1, 13):
        other = AssessmentFactory(
            unit=assessment.unit, indicator=IndicatorFactory(cycle=cycle, number=f"9.{n}")
        )
        set_status(other, Assessment.Status.SUBMITTED)
        review_comment_add(assessment=other, by=qa_officer, body=f"ความเห็น {n}")
    client.force_login(staff)
    # Session, user, the page of notifications with their units and indicators, its
    # count for the paginator, the navbar's unread count.
    with django_assert_max_num_queries(5):
        html = client.get(URL).content.decode()
    assert html.count('data-notification="unread"') == 12
    assert 'data-unread="12"' in html


@pytest.mark.parametrize("page", ["abc", "-1", "0", "9" * 40, "1e9", "\x00", "๒"])
def test_a_hostile_page_number_shows_a_page(
    client: Client, returned: Assessment, staff: User, page: str
) -> None:
    client.force_login(staff)
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert response.content.decode().count("data-notification=") == 2
