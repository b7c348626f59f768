"""The SAR page upload, and the confirmation that carries what was read back, signed."""

from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators.formfields import FILE_ERRORS
from indicators.services.sar_upload import MAX_BYTES, SarUpload

# A preview older than this is read again rather than confirmed.
MAX_AGE_SECONDS = 6 * 60 * 60


class SarUploadForm(forms.Form):
    file = forms.FileField(
        label=_("ไฟล์ SAR ของตัวบ่งชี้นี้"),
        error_messages=FILE_ERRORS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".docx,.txt"
        self.fields["file"].help_text = _(
            "เอกสาร Word (.docx) หรือข้อความ (.txt: UTF-8, Unicode หรือ Windows-874) "
            "ขนาดไม่เกิน %(mb)s MB"
        ) % {"mb": MAX_BYTES // 1024 // 1024}

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("ไฟล์มีขนาดใหญ่เกินไป รับได้ไม่เกิน %(mb)s MB"),
                params={"mb": MAX_BYTES // 1024 // 1024},
            )
        data: bytes = upload.read()
        return data


class SarConfirmForm(forms.Form):
    """What the preview read and the fingerprint of what it showed, signed for this
    assessment so that a confirmation writes exactly what the user saw."""

    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, assessment_pk: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.salt = f"indicators.sar_upload:{assessment_pk}"

    def clean_payload(self) -> tuple[SarUpload, str]:
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=self.salt, max_age=MAX_AGE_SECONDS
            )
        except signing.SignatureExpired:
            raise ValidationError(_("หน้าตรวจสอบนี้เปิดไว้นานเกินไป กรุณาอัปโหลดไฟล์ใหม่")) from None
        except signing.BadSignature:
            raise ValidationError(_("ข้อมูลที่อ่านจากไฟล์เสียหาย กรุณาอัปโหลดไฟล์ใหม่")) from None
        return SarUpload(data["text"], data["places"]), data["fingerprint"]

    @classmethod
    def carrying(
        cls, *, assessment_pk: int, upload: SarUpload, fingerprint: str
    ) -> "SarConfirmForm":
        form = cls(assessment_pk=assessment_pk)
        payload = {"text": upload.text, "places": upload.places, "fingerprint": fingerprint}
        form.initial["payload"] = signing.dumps(payload, salt=form.salt, compress=True)
        return form
