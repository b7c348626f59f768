"""A record and its many-to-many (attendees, members) are saved together or not at all."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evidence.forms.records import ActivityForm
from evidence.models import Activity, KnowledgeTopic, Person
from indicators.models import Assessment

pytestmark = pytest.mark.django_db


def _data(demo: Assessment, **values: Any) -> dict[str, Any]:
    return {
        "kind": Activity.Kind.BRAINSTORMING,
        "title": "ระดมสมองเรื่องการตลาดออนไลน์",
        "date": "2020-03-02",
        "place": "ห้องประชุมสำนักพิมพ์",
        "speakers": "",
        "attendance": "10",
        "attendees": [p.pk for p in Person.objects.filter(unit=demo.unit)[:3]],
        "satisfaction_percent": "88.5",
        "topic": KnowledgeTopic.objects.get(unit=demo.unit).pk,
        "notes": "",
        **values,
    }


@pytest.fixture
def m2m_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: ActivityForm) -> None:
        raise RuntimeError("database went away while saving attendees")

    monkeypatch.setattr(ActivityForm, "_save_m2m", fail)


def test_new_record_is_not_left_without_its_attendees(
    client: Client, demo: Assessment, staff: Any, m2m_fails: None
) -> None:
    client.force_login(staff)
    before = Activity.objects.count()
    with pytest.raises(RuntimeError):
        client.post(reverse("evidence:activity_add", args=[demo.unit.pk]), _data(demo))
    assert Activity.objects.count() == before


def test_edit_is_not_half_saved(
    client: Client, demo: Assessment, staff: Any, m2m_fails: None
) -> None:
    activity = Activity.objects.filter(unit=demo.unit).first()
    assert activity is not None
    title = activity.title
    client.force_login(staff)
    with pytest.raises(RuntimeError):
        client.post(activity.get_absolute_url(), _data(demo, title="ครึ่งเดียว"))
    activity.refresh_from_db()
    assert activity.title == title
