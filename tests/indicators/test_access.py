"""One rule for who reads every unit: QA officers and QA administrators alike."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from indicators.access import can_see_all_units
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_qa_administrator_reads_every_unit(client, assessment) -> None:  # type: ignore[no-untyped-def]
    administrator = UserFactory(username="dara")
    administrator.user_permissions.add(Permission.objects.get(codename="administer_qa"))
    assert can_see_all_units(administrator)
    client.force_login(administrator)
    assert client.get(assessment.get_absolute_url()).status_code == 200
    cycle = assessment.indicator.cycle
    assert client.get(reverse("indicators:dashboard_cycle", args=[cycle.pk])).status_code == 200


def test_plain_users_do_not(db) -> None:  # type: ignore[no-untyped-def]
    assert not can_see_all_units(UserFactory(username="erin"))
