"""A refusal says why, in Thai."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from indicators.models import Assessment

pytestmark = pytest.mark.django_db


def test_refused_write_shows_the_thai_reason(
    client: Client, assessment: Assessment, staff: User
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(staff)
    result = assessment.results.get(criterion__order=1)
    response = client.post(
        reverse("evidence:item_add", args=[result.pk]), {"kind": "link", "url": "https://a.example"}
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert 'id="kmt-error-message"' in body
    assert "แก้ไขไม่ได้" in body  # the reason from the access helper, not a bare "403"
