"""The records overview counts each kind of record on its own (no join of five tables)."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import Activity, KnowledgeTopic, Meeting, Person, TargetGroup
from indicators.models import Assessment
from tests.factories import (
    ActivityFactory,
    KnowledgeTopicFactory,
    MeetingFactory,
    PersonFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_overview_counts_without_joining_records(
    client: Client, demo: Assessment, staff: Any
) -> None:
    unit, cycle = demo.unit, demo.indicator.cycle
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
