"""English mode is complete: with every piece of user data in English (a unit, a year,
an indicator page with its evidence and records), the main pages in English carry no
Thai at all, except the language switch's own "ไทย". Dates are Buddhist-era in both
languages (README, "Review and the yearly round"), with English month names here."""

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from evidence.models import Person, TopicRename
from indicators.mail import SEPARATOR
from indicators.models import Assessment, Membership
from indicators.reminders import reminders_send
from indicators.services.workflow import assessment_return, assessment_submit
from tests.factories import (
    ActivityFactory,
    AgendaItemFactory,
    AssessmentFactory,
    CriterionFactory,
    CriterionResultFactory,
    CycleFactory,
    EvidenceItemFactory,
    IndicatorFactory,
    KnowledgeTopicFactory,
    MeetingFactory,
    MembershipFactory,
    QAAdminFactory,
    QAOfficerFactory,
    ReviewCommentFactory,
    TargetGroupFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0E00-\u0E7F]+")
# The language switch names Thai in Thai, marked lang="th": the one Thai a page may hold.
THAI_SWITCH = re.compile(r'<button[^>]*\blang="th"[^>]*>ไทย</button>')


@pytest.fixture
def english_year() -> Assessment:
    """Fiscal 2567 of the Central Library, written in English from end to end."""
    unit = UnitFactory(name="Central Library", evidence_prefix="LIB")
    cycle = CycleFactory(
        year_be=2567,
        submission_deadline=datetime.date(2024, 12, 15),
        review_deadline=datetime.date(2025, 1, 31),
    )
    indicator = IndicatorFactory(
        cycle=cycle, number="3", title="Becoming a learning organisation", result_unit="items"
    )
    assessment = AssessmentFactory(unit=unit, indicator=indicator, target=Decimal(5))
    for order in range(1, 6):
        result = CriterionResultFactory(
            assessment=assessment,
            criterion=CriterionFactory(indicator=indicator, order=order, text=f"Criterion {order}"),
            narrative=f"The library did what criterion {order} asks.",
            met=True,
        )
        EvidenceItemFactory(result=result, position=1, caption=f"Minutes for criterion {order}")
        EvidenceItemFactory(
            result=result, position=2, caption="", url="https://lib.example.ac.th/km.html"
        )
    meeting = MeetingFactory(
        unit=unit, body="KM committee", number="1/2567", date=datetime.date(2024, 1, 9)
    )
    AgendaItemFactory(meeting=meeting, number="3.3", title="The year's topic", resolution="Agreed")
    people = [
        Person.objects.create(unit=unit, name=name, position="Librarian", section="Services")
        for name in ("Ann Lee", "Ben Moss")
    ]
    group = TargetGroupFactory(unit=unit, cycle=cycle, name="Service desk staff", headcount=15)
    group.members.set(people)
    topic = KnowledgeTopicFactory(
        unit=unit, cycle=cycle, title="Answering by chat", target_group=group
    )
    TopicRename.objects.create(
        topic=topic, previous_title="Chat service", renamed_on=datetime.date(2024, 5, 15)
    )
    activity = ActivityFactory(
        unit=unit, title="Sharing day", date=datetime.date(2024, 5, 27), place="Room 1"
    )
    activity.attendees.set(people)
    ReviewCommentFactory(
        assessment=assessment, author=QAOfficerFactory(username="qa-en"), body="Please add dates."
    )
    return assessment


def named(user: User, first: str, last: str) -> User:
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def readers(english_year: Assessment) -> dict[str, User]:
    unit = english_year.unit
    staff = MembershipFactory(
        user=UserFactory(username="ann"), unit=unit, role=Membership.Role.STAFF
    ).user
    admin = QAAdminFactory(username="root")
    admin.is_staff = True
    return {
        "staff": named(staff, "Ann", "Lee"),
        "qa": named(QAOfficerFactory(username="bob"), "Bob", "Ray"),
        "admin": named(admin, "Root", "Admin"),
    }


def pages(assessment: Assessment) -> dict[str, list[str]]:
    unit, cycle = assessment.unit, assessment.indicator.cycle
    records = [
        reverse(name, args=[unit.pk])
        for name in (
            "evidence:records",
            "evidence:meeting_list",
            "evidence:people",
            "evidence:activity_list",
            "evidence:topic_list",
        )
    ]
    common = [
        reverse("home"),
        reverse("indicators:unit", args=[unit.pk]),
        reverse("indicators:assessment", args=[assessment.pk]),
        reverse("indicators:history", args=[assessment.pk]),
        reverse("indicators:notifications"),
        reverse("logout"),
        *records,
    ]
    review = [
        reverse("indicators:review", args=[assessment.pk]),
        reverse("indicators:dashboard"),
    ]
    return {
        "staff": common + [reverse("evidence:meeting_add", args=[unit.pk])],
        "qa": common + review,
        "admin": common
        + review
        + [
            reverse("indicators:setup_cycles"),
            reverse("indicators:setup_cycle", args=[cycle.pk]),
            reverse("indicators:setup_cycle_edit", args=[cycle.pk]),
            reverse("indicators:assignments", args=[cycle.pk]),
            reverse("indicators:unit_members", args=[unit.pk]),
            reverse("indicators:university_pdf", args=[cycle.pk]),
        ],
    }


def english_client(user: User | None = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def thai_in(html: str) -> list[str]:
    return THAI.findall(THAI_SWITCH.sub("", html))


def test_the_main_pages_in_english_hold_no_thai(
    english_year: Assessment, readers: dict[str, User]
) -> None:
    for role, urls in pages(english_year).items():
        client = english_client(readers[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            html = response.content.decode()
            assert '<html lang="en">' in html
            assert thai_in(html) == [], (role, url)
            title = re.search(r"<title>(.*?)</title>", html, re.S)
            assert title and re.fullmatch(r"\S.* · KM Tracker", title[1].strip()), (url, title)
    login = english_client().get(reverse("login")).content.decode()
    # The university's name is configuration (KMT_UNIVERSITY_NAME), like user data.
    assert thai_in(login.replace(settings.KMT_UNIVERSITY_NAME, "")) == []


def test_english_pages_keep_the_buddhist_era(
    english_year: Assessment, readers: dict[str, User]
) -> None:
    client = english_client(readers["admin"])
    home = client.get(reverse("indicators:assessment", args=[english_year.pk])).content.decode()
    assert "Fiscal year 2567 (1 Oct 2566 – 30 Sep 2567)" in home
    unit = english_year.unit
    activities = client.get(reverse("evidence:activity_list", args=[unit.pk])).content.decode()
    assert "27 May 2567" in activities and "2024" not in activities
    topics = client.get(reverse("evidence:topic_list", args=[unit.pk])).content.decode()
    assert "Service desk staff (15 people)" in topics
    unit_page = client.get(reverse("indicators:unit", args=[unit.pk])).content.decode()
    assert "<strong>15 December 2567</strong>" in unit_page  # the submission deadline


def test_the_admin_link_is_for_staff_accounts_only(readers: dict[str, User]) -> None:
    admin_url = reverse("admin:index")
    assert f'href="{admin_url}"' in english_client(readers["admin"]).get("/").content.decode()
    assert f'href="{admin_url}"' not in english_client(readers["qa"]).get("/").content.decode()


def test_the_password_reset_mail_in_english(readers: dict[str, User]) -> None:
    english_client().post(reverse("password_reset"), {"email": readers["staff"].email})
    [message] = mail.outbox
    assert THAI.findall(message.subject + message.body) == []
    assert "/accounts/reset/" in message.body


def test_workflow_mails_and_reminders_carry_english_after_thai(
    english_year: Assessment, readers: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    """The app does not know the reader's language: a mail is Thai, then English, and
    the English half (and the subject's) has no Thai but what the Thai half says."""
    head = MembershipFactory(
        user=named(UserFactory(username="hal"), "Hal", "King"),
        unit=english_year.unit,
        role=Membership.Role.HEAD,
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=english_year, by=head)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_return(assessment=english_year, by=readers["qa"], reason="Please add dates.")
    reminders_send(day=datetime.date(2024, 12, 14))  # the day before the new deadline
    kinds = {"submitted": 0, "returned": 0, "reminder": 0}
    for message in mail.outbox:
        thai_subject, english_subject = message.subject.split(" / ")
        thai, english = message.body.split(f"\n{SEPARATOR}\n")
        assert THAI.findall(thai_subject) and THAI.findall(thai)
        assert THAI.findall(english_subject) == [] and THAI.findall(english) == []
        if "submitted" in english_subject:
            kinds["submitted"] += 1
            assert "Central Library" in english and "Becoming a learning organisation" in english
        elif "returned" in english_subject:
            kinds["returned"] += 1
            assert "Please add dates." in english and "Bob Ray" in english
        elif "due" in english_subject:
            kinds["reminder"] += 1
            assert "15 Dec 2567" in english
    assert kinds["submitted"] >= 1 and kinds["returned"] >= 1 and kinds["reminder"] >= 1
