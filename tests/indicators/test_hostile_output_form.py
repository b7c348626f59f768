"""The details form of an output indicator (value, numerator, denominator), posted with
hostile values by the unit's staff (tests/hostile.py): never a server error, a refused
post changes nothing, and whatever is saved keeps the value computed from its data."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import Assessment, Unit

from ..hostile import hostile, hostile_post, post_hostile
from .output_world import output_assessment

pytestmark = pytest.mark.django_db

TABLES = ("indicators.Assessment", "indicators.CriterionResult")
FIELDS = ("target", "result_value", "numerator", "denominator", "strengths", "improvements")


@pytest.fixture
def output(unit: Unit) -> Assessment:
    return output_assessment(unit)


def _saved(response: Any) -> bool:
    return response.status_code == 302


@given(data=st.data())
def test_output_details_form(staff: Any, output: Assessment, data: st.DataObject) -> None:
    client = Client()
    client.force_login(staff)
    url = reverse("indicators:assessment_details", args=[output.pk])
    token = st.sampled_from([output.updated_at.isoformat()])
    body = data.draw(hostile_post({**{name: hostile() for name in FIELDS}, "edited_from": token}))
    post_hostile(client, url, body, tables=TABLES, saved=_saved)


@given(
    numerator=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    denominator=st.decimals(min_value="0.01", max_value=10**9, places=2, allow_nan=False),
)
def test_any_accepted_data_saves_its_computed_value(
    staff: Any, output: Assessment, numerator: Any, denominator: Any
) -> None:
    client = Client()
    client.force_login(staff)
    url = reverse("indicators:assessment_details", args=[output.pk])
    output.refresh_from_db()
    body = {"numerator": str(numerator), "denominator": str(denominator)}
    body["edited_from"] = output.updated_at.isoformat()
    response = client.post(url, body)
    assert response.status_code in (200, 302)
    output.refresh_from_db()
    if response.status_code == 302:
        assert output.result_value == output.indicator.value_from(numerator, denominator)
        assert numerator <= denominator  # a percentage
    else:  # refused only as a percentage above 100
        assert numerator > denominator
        assert "ตัวตั้งต้องไม่มากกว่าตัวหาร" in response.content.decode()
