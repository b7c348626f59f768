"""send_reminders: owners before the submission deadline and on the day, QA officers
about reviews due or overdue; twice on one day sends each reminder once."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from freezegun import freeze_time

from indicators.models import Assessment, Membership, ReminderSent
from indicators.reminders import reminders_send

from ..factories import MembershipFactory, UserFactory, set_status

pytestmark = pytest.mark.django_db

DUE = datetime.date(2024, 12, 15)


@pytest.fixture
def due(assessment: Assessment) -> Assessment:
    cycle = assessment.indicator.cycle
    cycle.submission_deadline = DUE
    cycle.review_deadline = DUE + datetime.timedelta(days=14)
    cycle.save()
    return assessment


def _run(day: datetime.date) -> str:
    out = StringIO()
    # Noon in Bangkok on that day.
    with freeze_time(datetime.datetime.combine(day, datetime.time(5, 0))):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_twice_on_the_same_day_sends_each_reminder_once(
    due: Assessment, staff: User, head: User
) -> None:
    day = DUE - datetime.timedelta(days=7)
    first = _run(day)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff.email, head.email])
    assert "ส่งการเตือน 2 รายการ ใน 2 อีเมล" in first
    second = _run(day)
    assert len(mail.outbox) == 2
    assert "ส่งการเตือน 0 รายการ ใน 0 อีเมล (ส่งไปแล้ววันนี้ 2)" in second
    assert ReminderSent.objects.count() == 2
    message = mail.outbox[0]
    assert message.subject == (
        "[KM Tracker] ตัวบ่งชี้ที่ใกล้ครบกำหนดส่ง 1 รายการ / 1 indicator(s) due for submission"
    )
    thai, english = message.body.split("\n" + "-" * 40 + "\n")
    assert "ตัวบ่งชี้ที่ 3" in thai and "ครบกำหนดส่ง 15 ธ.ค. 2567" in thai
    assert "Indicator 3" in english and "15 Dec 2567" in english
    assert "ครบกำหนด" not in english
    assert f"/assessments/{due.pk}/" in thai and f"/assessments/{due.pk}/" in english


@override_settings(KMT_REMINDER_DAYS=[7, 1])
def test_owners_are_reminded_n_days_before_and_on_the_day_only(
    due: Assessment, staff: User, head: User
) -> None:
    due.owners.set([staff])
    sent_on = []
    for back in range(10, -3, -1):
        day = DUE - datetime.timedelta(days=back)
        before = len(mail.outbox)
        reminders_send(day=day)
        if len(mail.outbox) > before:
            sent_on.append(back)
    assert sent_on == [7, 1, 0]
    # Only the owner, never the rest of the unit.
    assert {m.to[0] for m in mail.outbox} == {staff.email}


def test_a_submitted_assessment_is_not_reminded_to_its_owners(due: Assessment, staff: User) -> None:
    set_status(due, Assessment.Status.SUBMITTED)
    reminders_send(day=DUE)
    assert mail.outbox == []


def test_qa_officers_are_reminded_of_reviews_due_and_overdue(
    due: Assessment, staff: User, qa_officer: User
) -> None:
    set_status(due, Assessment.Status.SUBMITTED)
    review_day = due.indicator.cycle.review_deadline
    assert review_day is not None
    reminders_send(day=review_day - datetime.timedelta(days=3))
    assert mail.outbox == []  # neither 7 nor 1 day before, nor the day
    reminders_send(day=review_day - datetime.timedelta(days=1))
    assert [m.to for m in mail.outbox] == [[qa_officer.email]]
    assert mail.outbox[0].subject == (
        "[KM Tracker] ผลการประเมินที่ใกล้ครบกำหนดตรวจ 1 รายการ / 1 assessment(s) due for review"
    )
    assert f"/assessments/{due.pk}/review/" in mail.outbox[0].body
    reminders_send(day=review_day + datetime.timedelta(days=2))
    reminders_send(day=review_day + datetime.timedelta(days=2))
    assert len(mail.outbox) == 2
    assert "เลยกำหนดตรวจ 2 วัน" in mail.outbox[1].body


def test_reminders_go_to_criterion_owners_and_people_with_an_address_only(
    due: Assessment, staff: User
) -> None:
    keeper = MembershipFactory(
        user=UserFactory(username="keeper"), unit=due.unit, role=Membership.Role.STAFF
    ).user
    due.results.first().owners.set([keeper])
    silent = UserFactory(username="silent", email="")
    due.owners.add(silent)
    reminders_send(day=DUE)
    assert [m.to for m in mail.outbox] == [[keeper.email]]


def test_a_failed_send_records_nothing(due: Assessment, staff: User) -> None:
    broken = override_settings(EMAIL_BACKEND="tests.indicators.test_reminders.BrokenBackend")
    with broken, pytest.raises(ConnectionError):
        reminders_send(day=DUE)
    assert ReminderSent.objects.count() == 0
    reminders_send(day=DUE)
    assert len(mail.outbox) == 1 and ReminderSent.objects.count() == 1


class BrokenBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionError("SMTP down")
