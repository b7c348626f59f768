"""No silent overwrite on the evidence pages: two members of the unit open the same
caption, item links or record; the second save is refused with both versions shown
and nothing overwritten, and saving that form again overwrites on purpose.

Also: a meeting or an activity cited by a submitted or approved assessment's evidence
is not deleted; one cited only by a draft's evidence is, and the draft's history says so.
"""

import datetime
import re
from typing import Any

import pytest
from django.db import models
from django.forms import BaseForm
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from evidence.models import Activity, EvidenceItem, Meeting
from indicators.models import Assessment
from tests.factories import UnitRecords, set_status

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
STALE = "มีผู้อื่นบันทึกรายการนี้ก่อนคุณ"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _values(form: BaseForm) -> dict[str, Any]:
    """What the browser would send for the form as the page shows it."""
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        if isinstance(value, datetime.date):
            value = field.field.widget.format_value(value)  # 15/05/2563, as the page shows it
        if isinstance(value, list | tuple):
            data[field.html_name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[field.html_name] = str(getattr(value, "pk", value))
    return data


def _page_data(page: HttpResponse) -> dict[str, Any]:
    data = _values(page.context["form"])
    agenda = page.context.get("agenda")
    if agenda is not None:
        data.update(_values(agenda.management_form))
        for form in agenda.forms:
            data.update(_values(form))
    return data


@pytest.fixture
def second(head: Any) -> Client:
    """Hana, the unit's head, edits the same things as Alice."""
    return _client(head)


# The caption ------------------------------------------------------------------


def test_two_users_editing_the_same_caption(
    assessment: Assessment, staff: Any, second: Client
) -> None:
    item = EvidenceItem.objects.filter(result__assessment=assessment, caption__gt="").first()
    assert item is not None
    url = reverse("evidence:item_edit", args=[item.pk])
    first = _client(staff)
    loaded = first.get(url).context["caption_form"]["version"].value()
    second.post(url, {"caption": "ของฮานา", "version": loaded})

    refused = first.post(url, {"caption": "ของอลิซ", "version": loaded}, headers=HTMX)
    html = refused.content.decode()
    assert STALE in html and "ของฮานา" in html and "ของอลิซ" in html
    item.refresh_from_db()
    assert (item.caption, item.version) == ("ของฮานา", loaded + 1)

    # The form came back with the user's text and the new version: a deliberate resave.
    again = refused.context["caption_form"]
    assert again["caption"].value() == "ของอลิซ"
    first.post(url, {"caption": "ของอลิซ", "version": again["version"].value()}, headers=HTMX)
    item.refresh_from_db()
    assert (item.caption, item.version) == ("ของอลิซ", loaded + 2)


def test_two_users_editing_the_same_item_links(
    assessment: Assessment, records: UnitRecords, staff: Any, second: Client
) -> None:
    item = EvidenceItem.objects.filter(result__assessment=assessment, meeting__isnull=True)[0]
    url = reverse("evidence:item_links", args=[item.pk])
    first = _client(staff)
    loaded = re.search(r'name="version" value="(\d+)"', first.get(url).content.decode())
    assert loaded is not None
    version = loaded.group(1)
    km, executives = records.km_meeting, records.executives_meeting
    second.post(url, {"meeting": km.pk, "version": version}, headers=HTMX)

    refused = first.post(url, {"meeting": executives.pk, "version": version}, headers=HTMX)
    html = refused.content.decode()
    assert STALE in html and str(km) in html and str(executives) in html
    item.refresh_from_db()
    assert item.meeting == km

    resave = refused.context["form"]["version"].value()
    first.post(url, {"meeting": executives.pk, "version": resave}, headers=HTMX)
    item.refresh_from_db()
    assert item.meeting == executives


# The unit's records -------------------------------------------------------------

# (record, URL name, field, Alice's value, Hana's value)
RECORDS = [
    ("km_meeting", "meeting_edit", "body", "คณะกรรมการ KM (อลิซ)", "คณะกรรมการ KM (ฮานา)"),
    ("person", "person_edit", "position", "นักวิชาการ (อลิซ)", "นักวิชาการ (ฮานา)"),
    ("group", "target_group_edit", "name", "กลุ่มของอลิซ", "กลุ่มของฮานา"),
    ("sharing", "activity_edit", "title", "กิจกรรมของอลิซ", "กิจกรรมของฮานา"),
    ("topic", "topic_edit", "strategic_alignment", "ยุทธศาสตร์ของอลิซ", "ยุทธศาสตร์ของฮานา"),
]


def _record(records: UnitRecords, name: str) -> models.Model:
    return records.people[0] if name == "person" else getattr(records, name)


@pytest.mark.parametrize(("name", "url_name", "field", "alices", "hanas"), RECORDS)
def test_two_users_editing_the_same_record(
    records: UnitRecords,
    staff: Any,
    second: Client,
    name: str,
    url_name: str,
    field: str,
    alices: str,
    hanas: str,
) -> None:
    record = _record(records, name)
    url = reverse(f"evidence:{url_name}", args=[record.pk])
    first = _client(staff)
    alice_page, hana_page = first.get(url), second.get(url)
    assert second.post(url, {**_page_data(hana_page), field: hanas}).status_code == 302

    refused = first.post(url, {**_page_data(alice_page), field: alices})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert STALE in html and hanas in html and alices in html
    record.refresh_from_db()
    assert getattr(record, field) == hanas

    # Saving the returned form again is the user's choice to overwrite.
    assert first.post(url, _page_data(refused)).status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == alices


def test_a_meetings_agenda_is_shown_both_ways(
    records: UnitRecords, staff: Any, second: Client
) -> None:
    meeting = records.km_meeting
    url = reverse("evidence:meeting_edit", args=[meeting.pk])
    first = _client(staff)
    alice_page, hana_page = first.get(url), second.get(url)
    hana = _page_data(hana_page)
    assert second.post(url, {**hana, "agenda-0-title": "วาระของฮานา"}).status_code == 302

    refused = first.post(url, {**_page_data(alice_page), "agenda-0-title": "วาระของอลิซ"})
    html = refused.content.decode()
    assert STALE in html and "วาระของฮานา" in html and "วาระของอลิซ" in html
    assert meeting.agenda.filter(title="วาระของฮานา").exists()
    assert not meeting.agenda.filter(title="วาระของอลิซ").exists()


# Deleting a cited meeting or activity ---------------------------------------------


@pytest.mark.parametrize("status", [Assessment.Status.APPROVED, Assessment.Status.SUBMITTED])
@pytest.mark.parametrize(
    ("name", "url_name"), [("km_meeting", "meeting_delete"), ("sharing", "activity_delete")]
)
def test_deleting_a_record_cited_by_a_sent_assessment_is_refused(
    assessment: Assessment, records: UnitRecords, staff: Any, status: str, name: str, url_name: str
) -> None:
    record = getattr(records, name)
    codes = sorted(item.code for item in record.evidence_items.all())
    set_status(assessment, status)
    response = _client(staff).post(reverse(f"evidence:{url_name}", args=[record.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ลบ" in html and "ไม่ได้" in html
    for code in codes:
        assert code in html
    assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    ("model", "name", "url_name", "field"),
    [
        (Meeting, "km_meeting", "meeting_delete", "meeting"),
        (Activity, "sharing", "activity_delete", "activity"),
    ],
)
def test_deleting_a_record_cited_by_a_draft_is_recorded_in_its_history(
    assessment: Assessment,
    records: UnitRecords,
    staff: Any,
    model: type[models.Model],
    name: str,
    url_name: str,
    field: str,
) -> None:
    record = getattr(records, name)
    label = str(record)
    cited = list(record.evidence_items.all())
    assert cited and assessment.is_editable
    response = _client(staff).post(reverse(f"evidence:{url_name}", args=[record.pk]))
    assert response.status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()
    for item in cited:
        item.refresh_from_db()
        assert getattr(item, f"{field}_id") is None
        last = item.history.first()
        assert last is not None
        assert last.history_user == staff
        assert getattr(last, f"{field}_id") is None
        # The factory linked the items with update(), past history: the reason names it.
        assert label[:40] in last.history_change_reason


def test_a_topic_form_opened_before_a_rename_does_not_undo_it(
    records: UnitRecords, staff: Any, second: Client
) -> None:
    topic = records.topic
    url = reverse("evidence:topic_edit", args=[topic.pk])
    first = _client(staff)
    page = first.get(url)
    rename = reverse("evidence:topic_rename", args=[topic.pk])
    renamed = second.post(rename, {"new_title": "ชื่อใหม่", "renamed_on": "01/06/2563"})
    assert renamed.status_code == 302
    refused = first.post(url, _page_data(page))
    assert STALE in refused.content.decode()
    topic.refresh_from_db()
    assert topic.title == "ชื่อใหม่"
