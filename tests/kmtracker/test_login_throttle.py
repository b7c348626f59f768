"""Login throttling (django-axes): a username is locked out from one address after
AXES_FAILURE_LIMIT wrong passwords, told so in Thai, and let in again after
AXES_COOLOFF_TIME or once an administrator deletes the attempt in the admin."""

import datetime
import logging
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time
from pytest_django.fixtures import Settings as SettingsWrapper

pytestmark = pytest.mark.django_db

HOME = "192.0.2.10"
START = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def throttling(settings: SettingsWrapper) -> SettingsWrapper:
    settings.AXES_ENABLED = True  # off for the rest of the suite (test settings)
    return settings


def sign_in(client: Client, username: str, password: str, address: str = HOME) -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_hundred_wrong_passwords_lock_then_the_lock_ends(
    throttling: SettingsWrapper, staff: Any, caplog: pytest.LogCaptureFixture
) -> None:
    limit, cooloff = throttling.AXES_FAILURE_LIMIT, throttling.AXES_COOLOFF_TIME
    assert (limit, cooloff) == (5, datetime.timedelta(minutes=15))  # base.py's defaults
    client = Client()
    with freeze_time(START) as clock, caplog.at_level(logging.WARNING, "kmtracker.security"):
        statuses = [sign_in(client, "alice", f"guess-{n}").status_code for n in range(100)]
        assert statuses[: limit - 1] == [200] * (limit - 1)  # the form says "wrong password"
        assert set(statuses[limit - 1 :]) == {429}

        locked = sign_in(client, "alice", "password")  # even the right password, for now
        assert locked.status_code == 429 and not signed_in(client)
        html = locked.content.decode()
        assert "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป" in html and "ในอีก 15 นาที" in html
        assert 'name="password"' in html  # still the login page, in the site's layout
        assert AccessAttempt.objects.get().failures_since_start == limit  # later tries not added

        clock.tick(cooloff - datetime.timedelta(seconds=1))
        assert sign_in(client, "alice", "password").status_code == 429
        clock.tick(datetime.timedelta(seconds=2))
        response = sign_in(client, "alice", "password")
        # (inside the frozen time: the session's expiry date was set in it)
        assert response.status_code == 302 and signed_in(client)
    assert not AccessAttempt.objects.exists()  # a good login clears the count
    lines = [r.getMessage() for r in caplog.records if r.name == "kmtracker.security.login"]
    assert sum("login failed for 'alice'" in line for line in lines) >= 100
    assert f"login locked out for 'alice' from {HOME}" in lines


def test_lockout_is_per_username_and_address(staff: Any, outsider: Any) -> None:
    for n in range(10):
        sign_in(Client(), "alice", f"guess-{n}")
    assert sign_in(Client(), "alice", "password").status_code == 429
    elsewhere = Client()
    assert sign_in(elsewhere, "alice", "password", address="198.51.100.4").status_code == 302
    assert signed_in(elsewhere)  # a stranger cannot lock alice out of her own desk
    colleague = Client()
    assert sign_in(colleague, "charlie", "password").status_code == 302  # same address
    assert signed_in(colleague)


def test_lockout_page_in_english(staff: Any) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    for n in range(5):
        response = sign_in(client, "alice", f"guess-{n}")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_administrator_unlocks_in_the_admin(staff: Any) -> None:
    for n in range(5):
        sign_in(Client(), "alice", f"guess-{n}")
    assert sign_in(Client(), "alice", "password").status_code == 429
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "x"))
    attempt = AccessAttempt.objects.get(username="alice")
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and HOME in listing.content.decode()
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    client = Client()
    assert sign_in(client, "alice", "password").status_code == 302 and signed_in(client)


def test_address_behind_trusted_proxies(throttling: SettingsWrapper, staff: Any) -> None:
    """Behind one proxy the client is the last X-Forwarded-For entry, which the
    proxy wrote; what the client wrote to its left cannot dodge the lockout."""
    throttling.KMT_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        forged = f"203.0.113.{n}, {HOME}"
        Client().post(
            reverse("login"),
            {"username": "alice", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forged,
        )
    response = Client().post(
        reverse("login"),
        {"username": "alice", "password": "password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"203.0.113.99, {HOME}",
    )
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == HOME


@pytest.mark.parametrize("password", ["12345678", "password", "alice2568", "short1"])
def test_weak_passwords_are_refused(staff: Any, password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=staff)


def test_a_passphrase_is_accepted(staff: Any) -> None:
    validate_password("ตัวบ่งชี้ KM ปี 2568 ผ่านแล้ว", user=staff)
