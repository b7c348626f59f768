"""Errors answer with a page in the site's layout, in Thai (English on request),
never Django's bare English text; the 500 and 503 pages need neither the request
nor the database."""

import logging
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from indicators.models import Assessment

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kmtracker.urls_failing")]


@pytest.fixture
def anyone() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def english() -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(response: Any) -> str:
    html = response.content.decode()
    assert '<a class="navbar-brand"' in html and "bootstrap.min.css" in html  # the site's layout
    assert 'id="kmt-error-message"' in html  # what kmtracker.js shows for a failed htmx call
    return html


def test_500_in_thai_without_the_database(anyone: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = anyone.get("/test/crash/")
    assert response.status_code == 500
    html = page(response)
    assert '<html lang="th">' in html and "ระบบขัดข้อง" in html
    assert "a bug" not in html  # nothing of the error itself
    assert "set_language" not in html and "csrfmiddlewaretoken" not in html


def test_500_in_english(english: Client) -> None:
    html = page(english.get("/test/crash/"))
    assert '<html lang="en">' in html and "Something went wrong" in html
    assert "ระบบขัดข้อง" not in html


def test_400_for_a_forged_request_and_an_unknown_host(anyone: Client) -> None:
    for response in (anyone.get("/test/suspicious/"), anyone.get("/", HTTP_HOST="evil.example")):
        assert response.status_code == 400
        assert "คำขอไม่ถูกต้อง" in page(response)


def test_404_in_thai_and_english(anyone: Client, english: Client) -> None:
    response = anyone.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in page(response)
    assert "Page not found" in page(english.get("/no-such-page/"))


def test_403_in_english(english: Client, demo: Assessment, outsider: Any) -> None:
    english.force_login(outsider)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = english.get(reverse("evidence:records", args=[demo.unit.pk]))
    assert response.status_code in (403, 404)
    html = page(response)
    assert '<html lang="en">' in html


def test_503_when_the_database_cannot_answer(
    anyone: Client, english: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="kmtracker.availability"):
        response = anyone.get("/test/database-locked/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    html = page(response)
    assert "ระบบไม่พร้อมให้บริการชั่วคราว" in html and "database is locked" not in html
    assert any(r.name == "kmtracker.availability" and r.exc_info for r in caplog.records)
    assert "temporarily unavailable" in page(english.get("/test/database-locked/"))


def test_csrf_failure_is_a_thai_page_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    with caplog.at_level(logging.WARNING, logger="kmtracker.security"):
        response = client.post(reverse("login"), {"username": "alice", "password": "x"})
    assert response.status_code == 403
    html = page(response)
    assert "ส่งแบบฟอร์มไม่สำเร็จ" in html and "โหลดหน้านี้ใหม่" in html
    [record] = [r for r in caplog.records if r.name == "kmtracker.security.csrf"]
    assert "/accounts/login/" in record.getMessage() and "anonymous" in record.getMessage()


def test_csrf_failure_in_english() -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {"username": "alice", "password": "x"})
    assert response.status_code == 403
    html = page(response)
    assert '<html lang="en">' in html and "The form could not be sent" in html
    assert "ส่งแบบฟอร์มไม่สำเร็จ" not in html


def test_logout_page_in_english(english: Client, staff: Any) -> None:
    english.force_login(staff)
    html = english.get(reverse("logout")).content.decode()
    assert '<html lang="en">' in html and "Log out" in html and "ออกจากระบบ" not in html


def test_logout_by_get_shows_the_button(client: Client, staff: Any) -> None:
    url = reverse("logout")
    assert client.get(url)["Location"] == reverse("login")  # nobody to sign out
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<form method="post" action="{url}">' in html and "ออกจากระบบ" in html
    assert "_auth_user_id" in client.session  # a GET signs nobody out
    response = client.post(url)
    assert response.status_code == 302 and "_auth_user_id" not in client.session
