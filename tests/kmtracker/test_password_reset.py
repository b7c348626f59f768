"""The login page links to password reset; the reset pages are Thai, in the site's
layout, and mail even accounts that have no password yet (imported users)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_links_to_a_thai_reset_page(client: Client) -> None:
    login = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in login and "ลืมรหัสผ่าน" in login
    page = client.get(reverse("password_reset")).content.decode()
    assert "ส่งลิงก์ตั้งรหัสผ่าน" in page and "KM Tracker" in page and "อีเมล" in page


def test_reset_mails_a_working_link_also_to_a_user_without_password(client: Client) -> None:
    user = UserFactory(username="new@example.ac.th", email="new@example.ac.th")
    user.set_unusable_password()
    user.save()
    answer = client.post(reverse("password_reset"), {"email": "NEW@example.ac.th"}, follow=True)
    assert "ส่งลิงก์ตั้งรหัสผ่านแล้ว" in answer.content.decode()
    assert len(mail.outbox) == 1 and "ลิงก์ตั้งรหัสผ่านใหม่" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert "รหัสผ่านใหม่" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Tha1-strong-pass", "new_password2": "Tha1-strong-pass"},
        follow=True,
    )
    assert "ตั้งรหัสผ่านแล้ว" in done.content.decode()
    assert Client().login(username="new@example.ac.th", password="Tha1-strong-pass")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client) -> None:
    answer = client.post(reverse("password_reset"), {"email": "nobody@example.ac.th"})
    assert answer.status_code == 302 and mail.outbox == []
