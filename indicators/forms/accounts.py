"""The sign-in and password-reset forms, in Thai first."""

import unicodedata
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

UserModel = get_user_model()


class ThaiAuthenticationForm(AuthenticationForm):
    """Django's sign-in form with its labels and errors in Thai first."""

    error_messages = {
        "invalid_login": _("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง กรุณาลองใหม่ (ตัวพิมพ์เล็ก-ใหญ่มีผล)"),
        "inactive": _("บัญชีนี้ถูกระงับการใช้งาน กรุณาติดต่อผู้ดูแลระบบประกันคุณภาพ"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("ชื่อผู้ใช้")
        self.fields["password"].label = _("รหัสผ่าน")


def _same_email(one: str, other: str) -> bool:
    """As Django's reset form compares addresses: case-insensitively, after NFKC."""
    return bool(
        unicodedata.normalize("NFKC", one).casefold()
        == unicodedata.normalize("NFKC", other).casefold()
    )


class ThaiPasswordResetForm(PasswordResetForm):
    """Django's "forgot password" form in Thai. Unlike Django's, it also mails accounts
    that have no password yet: users imported from a sheet (indicators/services/accounts/)
    whose first link has expired ask for another here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("อีเมล")
        self.fields["email"].error_messages = {
            "required": _("กรุณากรอกอีเมล"),
            "invalid": _("อีเมลไม่ถูกต้อง"),
        }

    def get_users(self, email: str) -> Iterator[Any]:
        email_field_name = UserModel.get_email_field_name()
        active_users = UserModel._default_manager.filter(
            **{f"{email_field_name}__iexact": email, "is_active": True}
        )
        return (
            user for user in active_users if _same_email(email, getattr(user, email_field_name))
        )


class ThaiSetPasswordForm(SetPasswordForm):
    """Setting a password from the e-mailed link, with Thai labels."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("รหัสผ่านใหม่")
        self.fields["new_password2"].label = _("ยืนยันรหัสผ่านใหม่")
