"""The record pages (meetings, people and groups, activities, topics, item links)
with the three personas and their validation; the demo's records on them; a record is saved
with its many-to-many or not at all, and the overview counts without joins."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.forms.records import NOT_OUR_DOCUMENT, NOT_OUR_MEETING, NOT_OUR_PERSON, ActivityForm
from evidence.models import (
    Activity,
    AgendaItem,
    EvidenceItem,
    KnowledgeTopic,
    Meeting,
    Person,
    TargetGroup,
    TopicRename,
)
from evidence.views import records as record_views
from indicators.models import Assessment
from tests.evidence.conftest import snapshot, submitted_after_load
from tests.factories import (
    ITEMS_PER_CRITERION,
    ActivityFactory,
    DocumentFactory,
    EvidenceItemFactory,
    KnowledgeTopicFactory,
    MeetingFactory,
    PersonFactory,
    TargetGroupFactory,
    UnitFactory,
    UnitRecords,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

Urls = Callable[[Assessment], str]


def _unit(name: str) -> Urls:
    return lambda assessment: reverse(f"evidence:{name}", args=[assessment.unit_id])


def _record(name: str, model: type, **lookup: Any) -> Urls:
    def url(assessment: Assessment) -> str:
        record = model.objects.filter(**lookup).order_by("pk").first()
        return reverse(f"evidence:{name}", args=[record.pk])

    return url


MEETING = {"unit__evidence_prefix": "สพ"}
ITEM = {"result__assessment__unit__evidence_prefix": "สพ"}

# Pages the unit's staff and QA officers may look at.
READ_PAGES: dict[str, Urls] = {
    "records": _unit("records"),
    "meeting_list": _unit("meeting_list"),
    "people": _unit("people"),
    "activity_list": _unit("activity_list"),
    "topic_list": _unit("topic_list"),
    "meeting_edit": _record("meeting_edit", Meeting, **MEETING),
    "person_edit": _record("person_edit", Person, **MEETING),
    "target_group_edit": _record("target_group_edit", TargetGroup, **MEETING),
    "activity_edit": _record("activity_edit", Activity, **MEETING),
    "topic_edit": _record("topic_edit", KnowledgeTopic, **MEETING),
    "item_links": _record("item_links", EvidenceItem, **ITEM),
}
# Pages that only exist to write.
WRITE_PAGES: dict[str, Urls] = {
    "meeting_add": _unit("meeting_add"),
    "meeting_delete": _record("meeting_delete", Meeting, **MEETING),
    "person_add": _unit("person_add"),
    "target_group_add": _unit("target_group_add"),
    "activity_add": _unit("activity_add"),
    "activity_delete": _record("activity_delete", Activity, **MEETING),
    "topic_add": _unit("topic_add"),
    "topic_rename": _record("topic_rename", KnowledgeTopic, **MEETING),
}
ALL_PAGES = {**READ_PAGES, **WRITE_PAGES}
POST_PAGES = {
    name: url for name, url in ALL_PAGES.items() if name not in {"records"} and "list" not in name
}
POST_PAGES.pop("people")


def _counts() -> tuple[int, ...]:
    return (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Person.objects.count(),
        TargetGroup.objects.count(),
        Activity.objects.count(),
        KnowledgeTopic.objects.count(),
        TopicRename.objects.count(),
        EvidenceItem.objects.exclude(meeting=None).count(),
        EvidenceItem.objects.exclude(activity=None).count(),
    )


def _errors(response: Any) -> str:
    return response.content.decode()


# Personas ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ALL_PAGES)
def test_staff_sees_every_page(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any, page: str
) -> None:
    client.force_login(staff)
    response = client.get(ALL_PAGES[page](assessment))
    assert response.status_code == 200
    assert "ดูได้อย่างเดียว" not in response.content.decode()


@pytest.mark.parametrize("page", READ_PAGES)
def test_qa_officer_reads_read_only(
    client: Client, assessment: Assessment, records: UnitRecords, qa_officer: Any, page: str
) -> None:
    client.force_login(qa_officer)
    response = client.get(READ_PAGES[page](assessment))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ดูได้อย่างเดียว" in html
    assert 'type="submit" class="btn btn-primary"' not in html


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_qa_officer_cannot_open_write_pages(
    client: Client, assessment: Assessment, records: UnitRecords, qa_officer: Any, page: str
) -> None:
    client.force_login(qa_officer)
    assert client.get(WRITE_PAGES[page](assessment)).status_code == 403


@pytest.mark.parametrize("page", POST_PAGES)
def test_qa_officer_cannot_write(
    client: Client, assessment: Assessment, records: UnitRecords, qa_officer: Any, page: str
) -> None:
    client.force_login(qa_officer)
    before = _counts()
    response = client.post(
        POST_PAGES[page](assessment), {"name": "x", "title": "x", "new_title": "x"}
    )
    assert response.status_code == 403
    assert _counts() == before


@pytest.mark.parametrize("page", ALL_PAGES)
def test_outsider_gets_404_everywhere(
    client: Client, assessment: Assessment, records: UnitRecords, outsider: Any, page: str
) -> None:
    client.force_login(outsider)
    url = ALL_PAGES[page](assessment)
    before = _counts()
    assert client.get(url).status_code == 404
    if page in POST_PAGES:
        assert client.post(url, {"name": "x", "title": "x"}).status_code == 404
    assert _counts() == before


def test_anonymous_is_sent_to_login(client: Client, assessment: Assessment) -> None:
    response = client.get(READ_PAGES["meeting_list"](assessment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Demo data on the pages -------------------------------------------------------


def test_demo_meetings_show(client: Client, demo: Assessment, staff: Any) -> None:
    client.force_login(staff)
    html = client.get(READ_PAGES["meeting_list"](demo)).content.decode()
    assert html.count('<article class="card') == 4
    assert "ครั้งที่ 4/2563 วันที่ 15 พฤษภาคม 2563" in html
    assert "ครั้งที่ 1/2563 วันที่ 9 มกราคม 2563" in html
    assert "พิจารณากำหนดกลุ่มเป้าหมาย" in html
    assert "สพ 3-1 (1)" in html and "สพ 3-1 (5)" in html


def test_demo_people_show(client: Client, demo: Assessment, staff: Any) -> None:
    client.force_login(staff)
    html = client.get(READ_PAGES["people"](demo)).content.decode()
    assert "บุคลากรฝ่ายเผยแพร่และจัดจำหน่าย" in html
    assert "15 คน" in html and "ระบุชื่อ 4 คน" in html
    for name in ["นางรัตนา ช้างเยาว์", "นางวรรณี จดจำ", "นางเยาวเรศ ไมตรีสวัสดิ์"]:
        assert name in html


def test_demo_activities_show(client: Client, demo: Assessment, staff: Any) -> None:
    client.force_login(staff)
    html = client.get(READ_PAGES["activity_list"](demo)).content.decode()
    assert html.count('<article class="card') == 5
    assert "27 พฤษภาคม 2563" in html
    assert "ร้อยละ 93.66" in html
    assert "สพ 3-4 (1)" in html and "สพ 3-5 (7)" in html


def test_demo_topic_and_rename_show(client: Client, demo: Assessment, staff: Any) -> None:
    client.force_login(staff)
    html = client.get(READ_PAGES["topic_list"](demo)).content.decode()
    topic = KnowledgeTopic.objects.get(unit=demo.unit)
    assert topic.title in html
    assert "ชื่อเดิม “แนวปฏิบัติงานการส่งเสริมการตลาดผ่านสื่อเฟซบุ๊กและไลน์" in html
    assert "เปลี่ยนเมื่อ 15 พฤษภาคม 2563" in html
    assert "ที่ประชุมผู้บริหารสำนักพิมพ์ ครั้งที่ 4/2563" in html


def test_meeting_page_lists_citing_items(client: Client, demo: Assessment, staff: Any) -> None:
    client.force_login(staff)
    meeting = Meeting.objects.get(unit=demo.unit, number="1/2563", date=datetime.date(2020, 1, 9))
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "สพ 3-1 (1)" in html and "สพ 3-1 (2)" in html
    assert "สพ 3-1 (3)" not in html  # cites the executives' meeting


# Bounded queries on list pages --------------------------------------------------


@pytest.fixture
def many_records(assessment: Assessment) -> None:
    unit, cycle = assessment.unit, assessment.indicator.cycle
    people = [PersonFactory(unit=unit) for _ in range(20)]
    results = list(assessment.results.all())
    for n in range(20):
        meeting = MeetingFactory(unit=unit, minutes=DocumentFactory(unit=unit))
        for number in ("1", "2", "3"):
            AgendaItem.objects.create(meeting=meeting, number=number, title="เรื่อง")
        activity = ActivityFactory(unit=unit)
        activity.attendees.add(*people[:5])
        group = TargetGroupFactory(unit=unit, cycle=cycle)
        group.members.add(*people[n:])
        topic = KnowledgeTopicFactory(unit=unit, cycle=cycle, target_group=group)
        TopicRename.objects.create(
            topic=topic, previous_title="เดิม", renamed_on=datetime.date(2020, 5, 1), meeting=meeting
        )
        EvidenceItemFactory(
            result=results[n % len(results)],
            position=ITEMS_PER_CRITERION + 1 + n // len(results),
            meeting=meeting,
            activity=activity,
        )


@pytest.mark.parametrize(
    "page", ["records", "meeting_list", "people", "activity_list", "topic_list"]
)
def test_list_pages_have_bounded_queries(
    client: Client,
    assessment: Assessment,
    staff: Any,
    many_records: None,
    django_assert_max_num_queries: Any,
    page: str,
) -> None:
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(READ_PAGES[page](assessment))
    assert response.status_code == 200


# Meetings ---------------------------------------------------------------------


def _meeting_data(**values: Any) -> dict[str, Any]:
    data = {
        "body": "คณะกรรมการการจัดการความรู้",
        "number": "5/2563",
        "date": "01/06/2563",
        "minutes": "",
        "agenda-TOTAL_FORMS": "2",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-number": "1",
        "agenda-0-title": "เรื่องแจ้งเพื่อทราบ",
        "agenda-0-resolution": "รับทราบ",
        "agenda-0-page": "2",
        "agenda-1-number": "",
        "agenda-1-title": "",
        "agenda-1-resolution": "",
        "agenda-1-page": "",
    }
    data.update(values)
    return data


def test_staff_adds_a_meeting_with_agenda(
    client: Client, assessment: Assessment, staff: Any
) -> None:
    client.force_login(staff)
    document = DocumentFactory(unit=assessment.unit)
    response = client.post(_unit("meeting_add")(assessment), _meeting_data(minutes=document.pk))
    assert response.status_code == 302
    meeting = Meeting.objects.get(unit=assessment.unit, number="5/2563")
    assert meeting.minutes == document
    assert [(a.number, a.title, a.page) for a in meeting.agenda.all()] == [
        ("1", "เรื่องแจ้งเพื่อทราบ", 2)
    ]


def test_thai_digits_in_meeting_number_are_normalised(
    client: Client, assessment: Assessment, staff: Any
) -> None:
    client.force_login(staff)
    client.post(_unit("meeting_add")(assessment), _meeting_data(number="๖ / ๒๕๖๓"))
    assert Meeting.objects.filter(unit=assessment.unit, number="6/2563").exists()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1-2563", "ครั้งที่ต้องอยู่ในรูป ลำดับ/พ.ศ. เช่น 1/2563"),
        ("1/63", "ครั้งที่ต้องอยู่ในรูป ลำดับ/พ.ศ. เช่น 1/2563"),
        ("ครั้งแรก", "ครั้งที่ต้องอยู่ในรูป ลำดับ/พ.ศ. เช่น 1/2563"),
        ("1/2020", "ปีในครั้งที่ต้องเป็นปีพุทธศักราช (พ.ศ.)"),
        ("0/2563", "ลำดับการประชุมต้องเริ่มที่ 1"),
        ("4/2563", "มีการประชุมของ ที่ประชุมผู้บริหารสำนักพิมพ์ ครั้งที่ 4/2563 อยู่แล้ว"),
    ],
)
def test_bad_meeting_number_is_refused(
    client: Client,
    assessment: Assessment,
    records: UnitRecords,
    staff: Any,
    number: str,
    message: str,
) -> None:
    client.force_login(staff)
    before = _counts()
    response = client.post(
        _unit("meeting_add")(assessment),
        _meeting_data(number=number, body="ที่ประชุมผู้บริหารสำนักพิมพ์"),
    )
    assert response.status_code == 200
    assert message in _errors(response)
    assert _counts() == before


def test_forged_minutes_of_another_unit_are_refused(
    client: Client, assessment: Assessment, staff: Any
) -> None:
    client.force_login(staff)
    foreign = DocumentFactory(unit=UnitFactory())
    before = _counts()
    response = client.post(_unit("meeting_add")(assessment), _meeting_data(minutes=foreign.pk))
    assert str(NOT_OUR_DOCUMENT) in _errors(response)
    assert _counts() == before


def test_duplicate_agenda_numbers_are_refused(
    client: Client, assessment: Assessment, staff: Any
) -> None:
    client.force_login(staff)
    before = _counts()
    response = client.post(
        _unit("meeting_add")(assessment),
        _meeting_data(**{"agenda-1-number": "1", "agenda-1-title": "อีกเรื่อง"}),
    )
    assert "วาระที่ 1 ซ้ำกัน" in _errors(response)
    assert _counts() == before


def test_staff_edits_meeting_and_agenda(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any
) -> None:
    client.force_login(staff)
    meeting = records.executives_meeting
    agenda = meeting.agenda.get()
    data = _meeting_data(
        body=meeting.body,
        number="4/2563",
        date="15/05/2563",
        **{
            "agenda-TOTAL_FORMS": "3",
            "agenda-INITIAL_FORMS": "1",
            "agenda-0-id": agenda.pk,
            "agenda-0-meeting": meeting.pk,
            "agenda-0-number": "5.1",
            "agenda-0-title": agenda.title,
            "agenda-0-resolution": "แก้ไขมติ",
            "agenda-0-DELETE": "",
            "agenda-1-number": "5.2",
            "agenda-1-title": "เรื่องใหม่",
            "agenda-2-number": "",
            "agenda-2-title": "",
            "agenda-2-resolution": "",
            "agenda-2-page": "",
        },
    )
    data["agenda-0-page"] = "3"
    response = client.post(meeting.get_absolute_url(), data)
    assert response.status_code == 302
    assert [(a.number, a.resolution) for a in meeting.agenda.order_by("number")] == [
        ("5.1", "แก้ไขมติ"),
        ("5.2", ""),
    ]


def test_staff_deletes_meeting_and_items_stay(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any
) -> None:
    client.force_login(staff)
    meeting = records.km_meeting
    citing = list(meeting.evidence_items.values_list("pk", flat=True))
    url = reverse("evidence:meeting_delete", args=[meeting.pk])
    assert "มีหลักฐาน 2 รายการอ้างถึงรายการนี้" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert EvidenceItem.objects.filter(pk__in=citing, meeting=None).count() == len(citing) == 2


# People and target groups -----------------------------------------------------


def test_staff_adds_and_edits_a_person(client: Client, assessment: Assessment, staff: Any) -> None:
    client.force_login(staff)
    url = _unit("person_add")(assessment)
    assert (
        client.post(url, {"name": "  นายสมชาย   ใจดี ", "position": "", "section": ""}).status_code
        == 302
    )
    person = Person.objects.get(unit=assessment.unit, name="นายสมชาย ใจดี")
    edit = reverse("evidence:person_edit", args=[person.pk])
    response = client.post(edit, {"name": person.name, "position": "นักวิชาการ", "section": "ฝ่ายผลิต"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.position, person.section) == ("นักวิชาการ", "ฝ่ายผลิต")


def test_duplicate_person_is_refused(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any
) -> None:
    client.force_login(staff)
    before = _counts()
    response = client.post(_unit("person_add")(assessment), {"name": "นางวรรณี จดจำ"})
    assert "มีบุคลากรชื่อนี้ในหน่วยงานแล้ว" in _errors(response)
    assert _counts() == before


def test_staff_adds_target_group_in_current_cycle(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any
) -> None:
    client.force_login(staff)
    people = list(Person.objects.filter(unit=assessment.unit)[:2])
    page = client.get(_unit("target_group_add")(assessment)).content.decode()
    cycle = assessment.indicator.cycle
    assert f'value="{cycle.pk}" selected' in page
    response = client.post(
        _unit("target_group_add")(assessment),
        {"cycle": cycle.pk, "name": "ฝ่ายผลิต", "headcount": 8, "members": [p.pk for p in people]},
    )
    assert response.status_code == 302
    group = TargetGroup.objects.get(unit=assessment.unit, name="ฝ่ายผลิต")
    assert group.cycle == cycle and set(group.members.all()) == set(people)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"headcount": 1}, "จำนวนคน (1) ต้องไม่น้อยกว่าจำนวนรายชื่อที่เลือก (2)"),
        ({"foreign": True}, str(NOT_OUR_PERSON)),
        ({"name": "บุคลากรฝ่ายเผยแพร่และจัดจำหน่าย"}, "มีกลุ่มเป้าหมายชื่อนี้ในรอบปีเดียวกันแล้ว"),
    ],
)
def test_bad_target_group_is_refused(
    client: Client,
    assessment: Assessment,
    records: UnitRecords,
    staff: Any,
    values: dict[str, Any],
    message: str,
) -> None:
    client.force_login(staff)
    members = [p.pk for p in Person.objects.filter(unit=assessment.unit)[:2]]
    if values.pop("foreign", False):
        members.append(PersonFactory(unit=UnitFactory()).pk)
    data = {
        "cycle": assessment.indicator.cycle_id,
        "name": "ฝ่ายผลิต",
        "headcount": 5,
        "members": members,
    }
    before = _counts()
    response = client.post(_unit("target_group_add")(assessment), {**data, **values})
    assert message in _errors(response)
    assert _counts() == before


# Activities -------------------------------------------------------------------


def _activity_data(assessment: Assessment, **values: Any) -> dict[str, Any]:
    data = {
        "kind": Activity.Kind.BRAINSTORMING,
        "title": "ระดมสมองเรื่องการตลาดออนไลน์",
        "date": "02/03/2563",
        "place": "ห้องประชุมสำนักพิมพ์",
        "speakers": "",
        "attendance": "10",
        "attendees": [p.pk for p in Person.objects.filter(unit=assessment.unit)[:3]],
        "satisfaction_percent": "88.5",
        "topic": KnowledgeTopic.objects.get(unit=assessment.unit).pk,
        "notes": "",
    }
    data.update(values)
    return data


def test_staff_adds_edits_and_deletes_an_activity(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any
) -> None:
    client.force_login(staff)
    assert (
        client.post(_unit("activity_add")(assessment), _activity_data(assessment)).status_code
        == 302
    )
    activity = Activity.objects.get(unit=assessment.unit, kind=Activity.Kind.BRAINSTORMING)
    assert activity.attendees.count() == 3
    assert activity.satisfaction_percent == Decimal("88.5")
    html = client.get(_unit("activity_list")(assessment)).content.decode()
    assert "2 มีนาคม 2563" in html
    data = _activity_data(assessment, title="ระดมสมอง (แก้ไข)", attendees=[])
    assert client.post(activity.get_absolute_url(), data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "ระดมสมอง (แก้ไข)" and activity.attendees.count() == 0
    delete = reverse("evidence:activity_delete", args=[activity.pk])
    assert client.post(delete).status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"attendance": "2"}, "จำนวนผู้เข้าร่วม (2) ต้องไม่น้อยกว่าจำนวนรายชื่อที่เลือก (3)"),
        ({"satisfaction_percent": "120"}, "100"),
        ({"foreign_person": True}, str(NOT_OUR_PERSON)),
        ({"foreign_topic": True}, "เลือกได้เฉพาะประเด็นความรู้ของหน่วยงานนี้"),
    ],
)
def test_bad_activity_is_refused(
    client: Client,
    assessment: Assessment,
    records: UnitRecords,
    staff: Any,
    values: dict[str, Any],
    message: str,
) -> None:
    client.force_login(staff)
    data = _activity_data(assessment)
    if values.pop("foreign_person", False):
        data["attendees"] = [*data["attendees"], PersonFactory(unit=UnitFactory()).pk]
    if values.pop("foreign_topic", False):
        data["topic"] = KnowledgeTopicFactory(unit=UnitFactory()).pk
    before = _counts()
    response = client.post(_unit("activity_add")(assessment), {**data, **values})
    assert response.status_code == 200
    assert message in _errors(response)
    assert _counts() == before


# Knowledge topics -------------------------------------------------------------


def test_staff_adds_topic_and_title_is_then_fixed(
    client: Client, assessment: Assessment, staff: Any
) -> None:
    client.force_login(staff)
    cycle = assessment.indicator.cycle
    data = {"cycle": cycle.pk, "title": "การใช้ไลน์โอเอ", "strategic_alignment": "กลยุทธ์ที่ 4"}
    assert client.post(_unit("topic_add")(assessment), data).status_code == 302
    topic = KnowledgeTopic.objects.get(unit=assessment.unit, title="การใช้ไลน์โอเอ")
    # The edit form keeps the title: a new one must go through the rename form.
    response = client.post(topic.get_absolute_url(), {**data, "title": "ชื่อแอบเปลี่ยน"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "การใช้ไลน์โอเอ"
    assert not topic.renames.exists()


def test_topic_target_group_must_share_its_cycle(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any
) -> None:
    from tests.factories import CycleFactory

    client.force_login(staff)
    other_cycle = CycleFactory(year_be=2564)
    group = records.group
    before = _counts()
    response = client.post(
        _unit("topic_add")(assessment),
        {"cycle": other_cycle.pk, "title": "ประเด็นปีหน้า", "target_group": group.pk},
    )
    assert "กลุ่มเป้าหมายต้องอยู่ในรอบปีเดียวกับประเด็นความรู้" in _errors(response)
    assert _counts() == before


def test_rename_records_the_previous_title(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any
) -> None:
    client.force_login(staff)
    topic = records.topic
    old_title = topic.title
    meeting = records.executives_meeting
    response = client.post(
        reverse("evidence:topic_rename", args=[topic.pk]),
        {"new_title": "ชื่อใหม่ของประเด็น", "renamed_on": "10/06/2563", "meeting": meeting.pk},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "ชื่อใหม่ของประเด็น"
    rename = topic.renames.latest("renamed_on")
    assert (rename.previous_title, rename.renamed_on, rename.meeting) == (
        old_title,
        datetime.date(2020, 6, 10),
        meeting,
    )
    html = client.get(topic.get_absolute_url()).content.decode()
    assert f"ชื่อเดิม “{old_title}”" in html and "เปลี่ยนเมื่อ 10 มิถุนายน 2563" in html


@pytest.mark.parametrize(
    "typed", ["15/05/2563", "๑๕/๐๕/๒๕๖๓", "2563-05-15", "15 พ.ค. 2563", "15 พฤษภาคม 2563"]
)
def test_rename_date_typed_in_buddhist_era(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any, typed: str
) -> None:
    client.force_login(staff)
    topic = records.topic
    url = reverse("evidence:topic_rename", args=[topic.pk])
    assert client.post(url, {"new_title": "ชื่อใหม่", "renamed_on": typed}).status_code == 302
    assert topic.renames.get(previous_title=topic.title).renamed_on == datetime.date(2020, 5, 15)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"same": True}, "ชื่อใหม่ต้องไม่ซ้ำกับชื่อปัจจุบัน"),
        ({"foreign": True}, str(NOT_OUR_MEETING)),
        ({"renamed_on": "31/02/2563"}, "กรุณาระบุวันที่ให้ถูกต้อง เช่น 01/10/2566"),
        # A Gregorian year is refused, never stored 543 years early.
        ({"renamed_on": "2020-05-15"}, "ปีต้องเป็นพุทธศักราช เช่น 2566"),
        ({"renamed_on": "15/05/2020"}, "ปีต้องเป็นพุทธศักราช เช่น 2566"),
    ],
)
def test_bad_rename_is_refused(
    client: Client,
    assessment: Assessment,
    records: UnitRecords,
    staff: Any,
    values: dict[str, Any],
    message: str,
) -> None:
    client.force_login(staff)
    topic = records.topic
    data = {"new_title": "ชื่อใหม่", "renamed_on": "10/06/2563", "meeting": ""}
    if values.pop("same", False):
        data["new_title"] = f"  {topic.title} "
    if values.pop("foreign", False):
        data["meeting"] = MeetingFactory(unit=UnitFactory()).pk
    data.update(values)
    before = _counts()
    response = client.post(reverse("evidence:topic_rename", args=[topic.pk]), data)
    assert response.status_code == 200
    assert message in _errors(response)
    assert _counts() == before
    assert KnowledgeTopic.objects.get(pk=topic.pk).title == topic.title


# Evidence item links ----------------------------------------------------------


@pytest.fixture
def item(assessment: Assessment) -> EvidenceItem:
    """สพ 3-2 (1): cites no record."""
    return EvidenceItem.objects.get(
        result__assessment=assessment, result__criterion__order=2, position=1
    )


def test_htmx_post_links_item_and_swaps_partial(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any, item: EvidenceItem
) -> None:
    client.force_login(staff)
    meeting, activity = records.executives_meeting, records.sharing
    response = client.post(
        reverse("evidence:item_links", args=[item.pk]),
        {"meeting": meeting.pk, "activity": activity.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div class="kmt-item-links" id="item-links-{item.pk}">')
    assert "<html" not in html and "บันทึกแล้ว" in html
    assert f'<option value="{meeting.pk}" selected>' in html
    item.refresh_from_db()
    assert (item.meeting, item.activity) == (meeting, activity)


def test_plain_post_links_item_and_redirects(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any, item: EvidenceItem
) -> None:
    client.force_login(staff)
    activity = records.sharing
    url = reverse("evidence:item_links", args=[item.pk])
    response = client.post(url, {"meeting": "", "activity": activity.pk, "next": "/elsewhere/"})
    assert response.status_code == 302 and response["Location"] == "/elsewhere/"
    response = client.post(url, {"activity": "", "next": "https://evil.example/"})
    assert response["Location"] == url
    item.refresh_from_db()
    assert item.activity is None


def test_forged_foreign_meeting_is_refused_on_item(
    client: Client, assessment: Assessment, staff: Any, item: EvidenceItem
) -> None:
    client.force_login(staff)
    foreign = MeetingFactory(unit=UnitFactory())
    response = client.post(
        reverse("evidence:item_links", args=[item.pk]),
        {"meeting": foreign.pk},
        headers={"HX-Request": "true"},
    )
    assert str(NOT_OUR_MEETING) in response.content.decode()
    item.refresh_from_db()
    assert item.meeting is None


def test_submitted_assessment_locks_item_links(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any, item: EvidenceItem
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(staff)
    url = reverse("evidence:item_links", args=[item.pk])
    assert "<select" not in client.get(url).content.decode()
    meeting = records.km_meeting
    assert client.post(url, {"meeting": meeting.pk}).status_code == 403
    item.refresh_from_db()
    assert item.meeting is None


def test_item_links_partial_includes_with_just_an_item(
    assessment: Assessment, records: UnitRecords
) -> None:
    from django.template import Context, Template

    item = (
        EvidenceItem.objects.with_code_parts()
        .select_related("meeting", "activity")
        .get(result__assessment=assessment, result__criterion__order=1, position=1)
    )
    template = Template('{% include "evidence/_item_links.html" with item=item %}')
    html = template.render(Context({"item": item}))
    assert "<select" not in html
    assert item.meeting.body in html
    assert reverse("evidence:item_links", args=[item.pk]) in html
    with_choices = template.render(
        Context(
            {
                "item": item,
                "can_write": True,
                "meetings": Meeting.objects.filter(unit=assessment.unit),
                "activities": Activity.objects.filter(unit=assessment.unit),
            }
        )
    )
    assert with_choices.count("<select") == 2
    assert f'hx-post="{reverse("evidence:item_links", args=[item.pk])}"' in with_choices


def test_item_links_refuses_when_submitted_meanwhile(
    client: Client,
    staff: Any,
    assessment: Assessment,
    records: UnitRecords,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client.force_login(staff)
    item = EvidenceItem.objects.get(
        result__assessment=assessment, result__criterion__order=2, position=1
    )
    meeting = records.executives_meeting
    submitted_after_load(monkeypatch, record_views, "get_evidence_item_for_user")
    before = snapshot(assessment)
    response = client.post(
        reverse("evidence:item_links", args=[item.pk]), {"meeting": meeting.pk}, headers=HTMX
    )
    assert response.status_code == 403  # PermissionDenied, as when already locked at load
    assert snapshot(assessment) == before


# A record and its many-to-many, saved together --------------------------------


@pytest.fixture
def m2m_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: ActivityForm) -> None:
        raise RuntimeError("database went away while saving attendees")

    monkeypatch.setattr(ActivityForm, "_save_m2m", fail)


def test_new_record_is_not_left_without_its_attendees(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any, m2m_fails: None
) -> None:
    client.force_login(staff)
    before = Activity.objects.count()
    with pytest.raises(RuntimeError):
        client.post(
            reverse("evidence:activity_add", args=[assessment.unit.pk]), _activity_data(assessment)
        )
    assert Activity.objects.count() == before


def test_edit_is_not_half_saved(
    client: Client, assessment: Assessment, records: UnitRecords, staff: Any, m2m_fails: None
) -> None:
    activity = records.sharing
    title = activity.title
    client.force_login(staff)
    with pytest.raises(RuntimeError):
        client.post(activity.get_absolute_url(), _activity_data(assessment, title="ครึ่งเดียว"))
    activity.refresh_from_db()
    assert activity.title == title


# The overview -----------------------------------------------------------------


def test_overview_counts_without_joining_records(
    client: Client, assessment: Assessment, staff: Any
) -> None:
    unit, cycle = assessment.unit, assessment.indicator.cycle
    for _ in range(3):
        MeetingFactory(unit=unit)
        PersonFactory(unit=unit)
        TargetGroupFactory(unit=unit, cycle=cycle)
        ActivityFactory(unit=unit)
        KnowledgeTopicFactory(unit=unit, cycle=cycle)
    expected = {
        "meetings": Meeting.objects.filter(unit=unit).count(),
        "people": Person.objects.filter(unit=unit).count(),
        "target_groups": TargetGroup.objects.filter(unit=unit).count(),
        "activities": Activity.objects.filter(unit=unit).count(),
        "topics": KnowledgeTopic.objects.filter(unit=unit).count(),
    }
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("evidence:records", args=[unit.pk]))
    assert response.status_code == 200
    assert response.context["counts"] == expected
    counting = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counting and not [sql for sql in counting if " JOIN " in sql.upper()]
