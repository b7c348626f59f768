"""Failed logins and every refusal of unit data are logged under "kmtracker.security"."""

import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Assessment

pytestmark = pytest.mark.django_db


def messages(caplog: pytest.LogCaptureFixture, name: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == name]


def test_failed_login_is_logged_without_the_password(
    client: Client, staff: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="kmtracker.security"):
        client.post(
            reverse("login"),
            {"username": "alice", "password": "wrong-secret"},
            REMOTE_ADDR="192.0.2.7",
        )
    [line] = messages(caplog, "kmtracker.security.login")
    assert "'alice'" in line and "192.0.2.7" in line
    assert "wrong-secret" not in caplog.text


@pytest.mark.parametrize("persona", ["outsider", "staff"])
def test_refusals_are_logged_with_who_where_and_why(
    persona: str, request: pytest.FixtureRequest, demo: Assessment, caplog: pytest.LogCaptureFixture
) -> None:
    user = request.getfixturevalue(persona)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    if persona == "outsider":  # another unit's records
        url, data = reverse("evidence:records", args=[demo.unit.pk]), None
    else:  # own unit, but the SAR is submitted: the helper says why in Thai
        Assessment.objects.filter(pk=demo.pk).update(status=Assessment.Status.SUBMITTED)
        url = reverse("evidence:item_add", args=[demo.results.get(criterion__order=1).pk])
        data = {"kind": "link", "url": "https://a.example"}
    with caplog.at_level(logging.INFO, logger="kmtracker.security"):
        response = client.get(url) if data is None else client.post(url, data)
    assert response.status_code in (403, 404)
    [line] = messages(caplog, "kmtracker.security.refusal")
    assert f"refused {response.status_code}" in line and url in line
    assert f"{user.username} (id {user.pk})" in line
    if persona == "staff":
        assert "แก้ไขไม่ได้" in line


def test_unknown_urls_are_not_refusals(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="kmtracker.security"):
        assert client.get("/no-such-page/").status_code == 404
    assert messages(caplog, "kmtracker.security.refusal") == []
