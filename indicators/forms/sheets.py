"""Sheet imports: the upload, and the confirmation that carries the previewed file back."""

import base64
import binascii
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators.formfields import FILE_ERRORS
from indicators.sheets import MAX_BYTES

TOO_LARGE = _("ไฟล์มีขนาดใหญ่เกินไป รับได้ไม่เกิน %(mb)s MB")


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("ไฟล์ Excel (.xlsx)"),
        error_messages=FILE_ERRORS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"
        self.fields["file"].help_text = _("ไฟล์ .xlsx ขนาดไม่เกิน %(mb)s MB") % {
            "mb": MAX_BYTES // 1024 // 1024
        }

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(TOO_LARGE, params={"mb": MAX_BYTES // 1024 // 1024})
        if PurePath(upload.name).suffix.lower() != ".xlsx":
            raise ValidationError(
                _("รับเฉพาะไฟล์ Excel แบบ .xlsx (ได้ “%(name)s”)"),
                params={"name": PurePath(upload.name).name},
            )
        data: bytes = upload.read()
        return data


class SheetConfirmForm(forms.Form):
    """The previewed file, carried back in the page so that nothing is kept in between."""

    sheet = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES * 4 // 3 + 8)

    def clean_sheet(self) -> bytes:
        try:
            data = base64.b64decode(self.cleaned_data["sheet"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(_("ข้อมูลไฟล์เสียหาย กรุณาอัปโหลดใหม่")) from None
        if not data or len(data) > MAX_BYTES:
            raise ValidationError(_("ข้อมูลไฟล์เสียหาย กรุณาอัปโหลดใหม่"))
        return data

    @staticmethod
    def carrying(data: bytes) -> "SheetConfirmForm":
        return SheetConfirmForm(initial={"sheet": base64.b64encode(data).decode("ascii")})
