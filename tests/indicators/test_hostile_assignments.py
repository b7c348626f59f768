"""The assignment matrix and the owners' form posted with hostile values (tests/hostile.py):
never a server error; a refused post changes nothing."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import Assessment, Indicator

from ..factories import CriterionFactory, CycleFactory, IndicatorFactory, QAAdminFactory
from ..hostile import hostile, hostile_post, post_hostile

pytestmark = pytest.mark.django_db

TABLES = (
    "indicators.Assessment",
    "indicators.CriterionResult",
    "indicators.Assessment_owners",
    "indicators.CriterionResult_owners",
)


def _redirected(response: Any) -> bool:
    return response.status_code == 302


@pytest.fixture
def indicator(db: None) -> Indicator:
    """Indicator 1 of cycle 2567, with one criterion, assigned to nobody yet."""
    indicator = IndicatorFactory(cycle=CycleFactory(year_be=2567), number="1")
    CriterionFactory(indicator=indicator, order=1)
    return indicator


@given(data=st.data())
def test_assignment_matrix(
    unit: Any, assessment: Assessment, indicator: Indicator, data: st.DataObject
) -> None:
    cycle = indicator.cycle
    client = Client()
    client.force_login(QAAdminFactory())
    cell = f"{unit.pk}-{indicator.pk}"
    fields = {
        "units": hostile(st.just(str(unit.pk)), st.just(f"{unit.pk},{unit.pk}")),
        "indicators": hostile(st.just(str(indicator.pk))),
        "cells": hostile(st.just(cell), st.just(f"{cell},{cell}")),
        "cell": hostile(st.just(cell)),
    }
    body = data.draw(hostile_post(fields))
    url = reverse("indicators:assignments", args=[cycle.pk])
    post_hostile(client, url, body, tables=TABLES, saved=_redirected)
    # The other cycle's assessment, with data, is never touched from this cycle's page.
    url = reverse("indicators:assignments", args=[assessment.indicator.cycle_id])
    post_hostile(client, url, body, tables=TABLES, saved=lambda response: False)


@given(data=st.data())
def test_owners_form(head: Any, staff: Any, outsider: Any, assessment: Assessment, data) -> None:
    client = Client()
    client.force_login(head)
    choices = st.sampled_from([str(staff.pk), str(head.pk), str(outsider.pk)])
    body = data.draw(hostile_post({"owners": hostile(choices)}))
    result = assessment.results.order_by("criterion__order").first()
    for url in (
        reverse("indicators:assessment_owners", args=[assessment.pk]),
        reverse("indicators:result_owners", args=[result.pk]),
    ):
        post_hostile(client, url, body, tables=TABLES, saved=lambda response: True)
    # Whatever was posted, only the unit's members are ever owners.
    assert not assessment.owners.exclude(memberships__unit=assessment.unit).exists()
    assert not result.owners.exclude(memberships__unit=assessment.unit).exists()
