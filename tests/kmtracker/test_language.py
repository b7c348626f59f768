"""Thai first: the UI is Thai whatever the browser says, English only on request."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_thai_even_for_an_english_browser(client: Client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "th"
    assert '<html lang="th">' in response.content.decode()


def test_the_switch_chooses_english(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "en"
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert client.get(reverse("login")).headers["Content-Language"] == "th"
