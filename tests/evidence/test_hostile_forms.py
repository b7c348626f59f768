"""Every form of the evidence app, posted through its view by the unit's staff with hostile
values (Thai, control characters, NUL, right-to-left marks, very long strings, huge and
negative numbers, impossible dates, another unit's ids, missing fields): never a server
error, and either the whole save or no change at all (tests/hostile.py)."""

import os
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import Assessment, Unit

from ..factories import (
    ActivityFactory,
    CycleFactory,
    DocumentFactory,
    KnowledgeTopicFactory,
    MeetingFactory,
    PersonFactory,
    TargetGroupFactory,
    UnitFactory,
    UnitRecords,
    pdf_bytes,
)
from ..hostile import DATE, NUMBER, TEXT, hostile, hostile_post, post_hostile

pytestmark = pytest.mark.django_db

ITEM_TABLES = ("evidence.EvidenceItem", "evidence.Document", "indicators.CriterionResult")
RECORD_TABLES = (
    "evidence.Meeting",
    "evidence.AgendaItem",
    "evidence.Person",
    "evidence.TargetGroup",
    "evidence.Activity",
    "evidence.KnowledgeTopic",
    "evidence.TopicRename",
)


def _redirected(response: Any) -> bool:
    return response.status_code == 302


@pytest.fixture
def their_ids(assessment: Assessment, records: UnitRecords) -> list[str]:
    """Ids of another unit's records and of a cycle it has: a post naming them must be
    refused (the forms list only the unit's own)."""
    other = UnitFactory(name="สำนักบรรณสารสนเทศ", evidence_prefix="สบ")
    cycle = CycleFactory(year_be=2564)
    objects = [
        MeetingFactory(unit=other),
        PersonFactory(unit=other),
        TargetGroupFactory(unit=other, cycle=cycle),
        KnowledgeTopicFactory(unit=other, cycle=cycle),
        ActivityFactory(unit=other),
        DocumentFactory(unit=other),
    ]
    return [str(obj.pk) for obj in objects] + [str(cycle.pk)]


@pytest.fixture
def client(staff: Any) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _first_item(assessment: Assessment) -> Any:
    return assessment.results.order_by("criterion__order").first().evidence_items.first()


@given(data=st.data())
def test_item_add_link_and_library(
    client: Client, assessment: Assessment, their_ids: list[str], data: st.DataObject
) -> None:
    result = assessment.results.order_by("criterion__order").first()
    ids = st.sampled_from(their_ids)
    fields = {"url": hostile(st.just("https://example.org/" + "ก" * 3000)), "caption": hostile()}
    body = data.draw(hostile_post({**fields, "document": hostile(ids)}))
    body["kind"] = data.draw(st.sampled_from(["link", "library", "upload", "", "\x00"]))
    url = reverse("evidence:item_add", args=[result.pk])
    post_hostile(client, url, body, tables=ITEM_TABLES, saved=_redirected)


@given(name=TEXT, content=st.binary(max_size=64), caption=hostile(), real=st.booleans())
def test_item_upload_and_replace(
    client: Client, assessment: Assessment, name: str, content: bytes, caption: str, real: bool
) -> None:
    result = assessment.results.order_by("criterion__order").first()
    # A name Django cannot even build an upload from ("/", "a/..") stands for "x": what a
    # browser sends is only the part after the last slash.
    if os.path.basename(name) in {"", ".", ".."}:
        name = "x"
    upload = SimpleUploadedFile(name, pdf_bytes() if real else content)
    body = {"kind": "upload", "file": upload, "caption": caption}
    url = reverse("evidence:item_add", args=[result.pk])
    post_hostile(client, url, body, tables=ITEM_TABLES, saved=_redirected)
    upload.seek(0)
    url = reverse("evidence:item_replace", args=[_first_item(assessment).pk])
    post_hostile(client, url, {"file": upload}, tables=ITEM_TABLES, saved=_redirected)


@given(data=st.data())
def test_item_caption_links_and_move(
    client: Client, assessment: Assessment, their_ids: list[str], data: st.DataObject
) -> None:
    item = _first_item(assessment)
    ids = st.sampled_from(their_ids)
    body = data.draw(hostile_post({"caption": hostile()}))
    url = reverse("evidence:item_edit", args=[item.pk])
    post_hostile(client, url, body, tables=ITEM_TABLES, saved=_redirected)
    body = data.draw(hostile_post({"meeting": hostile(ids), "activity": hostile(ids)}))
    url = reverse("evidence:item_links", args=[item.pk])
    post_hostile(client, url, body, tables=ITEM_TABLES, saved=_redirected)
    body = data.draw(hostile_post({"direction": hostile(st.sampled_from(["up", "down"]))}))
    url = reverse("evidence:item_move", args=[item.pk])
    post_hostile(client, url, body, tables=ITEM_TABLES, saved=_redirected)


# Not a huge TOTAL_FORMS: Django then builds up to absolute_max (2000) agenda forms and
# renders them all, which is slow (seconds) but not an error; see the report of #9.
SMALL = st.sampled_from(["-1", "0", "1", "2", "3", "1.5", "๒"])
AGENDA = {
    "agenda-TOTAL_FORMS": st.one_of(TEXT, DATE, SMALL),
    "agenda-INITIAL_FORMS": st.one_of(TEXT, SMALL, NUMBER),
    "agenda-MAX_NUM_FORMS": hostile(),
    "agenda-0-number": hostile(st.just("3.3")),
    "agenda-0-title": hostile(),
    "agenda-0-resolution": hostile(),
    "agenda-0-page": hostile(),
    "agenda-1-number": hostile(st.just("3.3")),
    "agenda-1-title": hostile(),
    "agenda-1-DELETE": hostile(st.just("on")),
}


@given(data=st.data())
def test_meeting_with_agenda(
    client: Client, assessment: Assessment, records: UnitRecords, data: st.DataObject
) -> None:
    fields = {"body": hostile(), "number": hostile(), "date": hostile(), "minutes": hostile()}
    body = data.draw(hostile_post({**fields, **AGENDA}))
    unit: Unit = assessment.unit
    for url in (
        reverse("evidence:meeting_add", args=[unit.pk]),
        reverse("evidence:meeting_edit", args=[records.km_meeting.pk]),
    ):
        post_hostile(client, url, body, tables=RECORD_TABLES, saved=_redirected)


@given(data=st.data())
def test_people_groups_activities_topics(
    client: Client,
    assessment: Assessment,
    records: UnitRecords,
    their_ids: list[str],
    data: st.DataObject,
) -> None:
    unit, cycle = assessment.unit, assessment.indicator.cycle
    ids = hostile(st.sampled_from(their_ids), st.just(str(cycle.pk)))
    forms = {
        "person": {"name": hostile(), "position": hostile(), "section": hostile()},
        "target_group": {
            "cycle": ids,
            "name": hostile(),
            "headcount": hostile(),
            "members": ids,
        },
        "activity": {
            "kind": hostile(st.just("sharing")),
            "title": hostile(),
            "date": hostile(),
            "place": hostile(),
            "speakers": hostile(),
            "attendance": hostile(),
            "attendees": ids,
            "satisfaction_percent": hostile(),
            "topic": ids,
            "notes": hostile(),
        },
        "topic": {
            "cycle": ids,
            "title": hostile(),
            "strategic_alignment": hostile(),
            "target_group": ids,
            "good_practice": hostile(),
        },
    }
    existing = {
        "person": records.people[0],
        "target_group": records.group,
        "activity": records.sharing,
        "topic": records.topic,
    }
    for kind, fields in forms.items():
        body = data.draw(hostile_post(fields))
        for url in (
            reverse(f"evidence:{kind}_add", args=[unit.pk]),
            reverse(f"evidence:{kind}_edit", args=[existing[kind].pk]),
        ):
            post_hostile(client, url, body, tables=RECORD_TABLES, saved=_redirected)
    body = data.draw(
        hostile_post({"new_title": hostile(), "renamed_on": hostile(), "meeting": ids})
    )
    url = reverse("evidence:topic_rename", args=[records.topic.pk])
    post_hostile(client, url, body, tables=RECORD_TABLES, saved=_redirected)
