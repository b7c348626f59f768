"""OwnRowsField: an id past the database's integer range is a form error, not a 500."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import Activity, TargetGroup
from indicators.models import Assessment

pytestmark = pytest.mark.django_db

HUGE = str(2**63)


@pytest.mark.parametrize(
    ("view", "field", "model"),
    [("target_group_add", "members", TargetGroup), ("activity_add", "attendees", Activity)],
)
def test_an_id_out_of_range_is_refused_like_a_stranger(
    client: Client, staff: Any, assessment: Assessment, view: str, field: str, model: Any
) -> None:
    client.force_login(staff)
    count = model.objects.count()
    data = {
        "cycle": assessment.indicator.cycle_id,
        "name": "กลุ่ม",
        "headcount": "3",
        "kind": "sharing",
        "title": "แลกเปลี่ยน",
        "date": "15/05/2563",
        field: [HUGE],
    }
    response = client.post(reverse(f"evidence:{view}", args=[assessment.unit_id]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert model.objects.count() == count
