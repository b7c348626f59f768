"""Form fields every form of both apps shares, the admin's included: dates are typed and
shown in the Buddhist era (01/10/2566), never picked from a Gregorian calendar."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .thaidates import ThaiDateError, format_be_date, parse_be_date

DATE_PLACEHOLDER = _("วว/ดด/ปปปป")


class ThaiDateInput(forms.TextInput):
    """A text box for a Buddhist-era date: shows a stored date as 01/10/2566.

    The browser's date picker is no use here: it shows (and, whatever its language,
    sends) Gregorian years. English pages show the same Buddhist-era format.
    """

    template_name = "django/forms/widgets/text.html"

    class Media:
        # Slashes while typing (static/js/thaidate.js); base.html loads it on the app's
        # pages, the admin through this.
        js = ["js/thaidate.js"]

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": DATE_PLACEHOLDER,
            "autocomplete": "off",
            "class": "thai-date",
            "size": "12",
        }
        super().__init__(attrs={**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return format_be_date(value)
        # What the user typed (a form shown again with its errors) stays as typed.
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """A date typed with a Buddhist-era year: 01/10/2566, 1/10/2566, 1 ต.ค. 2566 or
    1 ตุลาคม 2566 (thaidates.parse_be_date). A Gregorian year (2023) is refused with a
    Thai message rather than stored 543 years early."""

    widget = ThaiDateInput
    default_error_messages = {
        "invalid": _("กรุณาระบุวันที่ให้ถูกต้อง เช่น 01/10/2566 หรือ 1 ต.ค. 2566"),
        "not_be": _("ปีต้องเป็นพุทธศักราช เช่น 2566"),
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if not isinstance(value, str):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return parse_be_date(value)
        except ThaiDateError as error:
            raise forms.ValidationError(self.error_messages[error.code], code=error.code) from None


# What a file box says when nothing usable arrived: every upload form of both apps.
FILE_ERRORS = {
    "required": _("กรุณาเลือกไฟล์"),
    "empty": _("ไฟล์นี้ว่างเปล่า (0 ไบต์) กรุณาเลือกไฟล์ที่มีเนื้อหา"),
    "invalid": _("ไม่ได้รับไฟล์ กรุณาเลือกไฟล์ใหม่อีกครั้ง"),
}
