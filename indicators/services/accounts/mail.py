"""The set-password mail: a new user's link to set a password (Django's password-reset
token), sent after an import and again from a unit's members page."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _


def set_password_link(user: User) -> str:
    """The address where the user sets a password: Django's password-reset link."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.KMT_BASE_URL.rstrip("/") + path


def send_set_password_mails(users: list[User]) -> int:
    """One Thai mail per new user with the link to set a password (valid for
    PASSWORD_RESET_TIMEOUT; after that, "ลืมรหัสผ่าน" on the sign-in page sends another)."""
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[KM Tracker] ตั้งรหัสผ่านเพื่อเข้าใช้ระบบ")
        for user in users:
            if not user.email:
                continue
            context: dict[str, Any] = {
                "user": user,
                "link": set_password_link(user),
                "login_url": settings.KMT_BASE_URL.rstrip("/") + reverse("login"),
                "university": settings.KMT_UNIVERSITY_NAME,
            }
            body = render_to_string("registration/set_password_email.txt", context)
            messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
