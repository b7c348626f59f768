"""Evidence forms: they check files and links and normalise captions; services store."""

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from evidence import filetypes
from evidence.forms.fields import MultipleFileField
from evidence.models import Document, EvidenceItem
from indicators import limits
from indicators.formfields import FILE_ERRORS
from indicators.limits import text_form_field
from indicators.models import Unit
from indicators.versioning import VersionedFormMixin

NOT_HTTP = _("ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https:// เท่านั้น")
CAPTION_HELP = _("ถ้าเว้นว่างไว้ จะใช้ชื่อไฟล์หรือชื่อเอกสาร")


# Django refuses a request with more than DATA_UPLOAD_MAX_NUMBER_FILES (100) files
# outright; this smaller limit says so in Thai first.
MAX_FILES_AT_ONCE = 20
# One upload of several files may carry this many times the size one file may have;
# the reverse proxy's cap on request bodies is set a little above it (README).
MAX_FILES_TOTAL_FACTOR = 4


def max_upload_bytes() -> int:
    return int(settings.KMT_MAX_UPLOAD_MB) * 1024 * 1024


def checked_content_type(upload: Any) -> str:
    """The content type of an upload the app accepts; ValidationError (in Thai, naming
    the file) for one too large, an image with too many pixels, or a file whose
    content is not one of the accepted types."""
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("ไฟล์ “%(name)s” มีขนาดใหญ่เกินไป (%(size).1f MB) รับได้ไม่เกิน %(mb)s MB"),
            params={
                "name": PurePath(upload.name).name,
                "size": upload.size / 1024 / 1024,
                "mb": settings.KMT_MAX_UPLOAD_MB,
            },
            code="too_large",
        )
    kind = filetypes.kind_for_name(upload.name)
    if kind is not None and filetypes.too_many_pixels(upload, kind):
        raise ValidationError(
            _(
                "รูปภาพ “%(name)s” มีจำนวนพิกเซลมากเกินไป รับได้ไม่เกิน %(mp)s ล้านพิกเซล "
                "กรุณาย่อขนาดรูปแล้วอัปโหลดใหม่"
            ),
            params={
                "name": PurePath(upload.name).name,
                "mp": filetypes.MAX_IMAGE_PIXELS // 1_000_000,
            },
            code="too_many_pixels",
        )
    if kind is None or not filetypes.content_matches(upload, kind):
        raise ValidationError(
            _(
                "ไฟล์ “%(name)s” ไม่ใช่ชนิดที่รับ หรือเนื้อหาไม่ตรงกับนามสกุลไฟล์ "
                "รับเฉพาะ PDF, JPEG, PNG, DOCX, XLSX และ PPTX"
            ),
            params={"name": PurePath(upload.name).name},
            code="file_type",
        )
    return kind.content_type


class UploadEvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("ไฟล์หลักฐาน"),
        error_messages=FILE_ERRORS,
    )
    # A form built on this one may drop the caption by setting it to None.
    caption: forms.CharField | None = text_form_field(
        limits.CAPTION,
        label=_("รายการเอกสารอ้างอิง"),
        required=False,
        help_text=CAPTION_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = filetypes.ACCEPT
        self.fields["file"].help_text = _(
            "รับไฟล์ PDF, JPEG, PNG, DOCX, XLSX หรือ PPTX ขนาดไม่เกิน %(mb)s MB"
        ) % {"mb": settings.KMT_MAX_UPLOAD_MB}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.content_type = checked_content_type(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if upload is not None:
            data["content_type"] = self.content_type
            if not data.get("caption"):
                data["caption"] = PurePath(upload.name).stem
        return data


class UploadsEvidenceForm(UploadEvidenceForm):
    """One or several files at once (chosen together or dropped onto a criterion).

    Every file gets the checks of a single upload; if any is refused none is stored
    and each refused file is named in its own message. ``cleaned_data["uploads"]``
    lists ``(file, content_type, caption)``: the caption typed for a single file,
    else each file's own name.
    """

    file = MultipleFileField(
        label=_("ไฟล์หลักฐาน (เลือกได้หลายไฟล์)"),
        error_messages=UploadEvidenceForm.base_fields["file"].error_messages,
        check=checked_content_type,
    )

    def clean_file(self) -> Any:
        uploads = self.cleaned_data["file"]
        if len(uploads) > MAX_FILES_AT_ONCE:
            raise ValidationError(
                _("เลือกไว้ %(count)s ไฟล์ อัปโหลดได้ครั้งละไม่เกิน %(max)s ไฟล์"),
                params={"count": len(uploads), "max": MAX_FILES_AT_ONCE},
                code="too_many_files",
            )
        total = sum(upload.size for upload in uploads)
        if len(uploads) > 1 and total > MAX_FILES_TOTAL_FACTOR * max_upload_bytes():
            raise ValidationError(
                _(
                    "ไฟล์ที่เลือกรวมกัน %(size).1f MB อัปโหลดพร้อมกันได้ไม่เกิน %(mb)s MB "
                    "กรุณาแบ่งอัปโหลดเป็นหลายครั้ง"
                ),
                params={
                    "size": total / 1024 / 1024,
                    "mb": MAX_FILES_TOTAL_FACTOR * settings.KMT_MAX_UPLOAD_MB,
                },
                code="too_large_together",
            )
        # Checked by the field already: this only reads the content types again.
        self.content_types = [checked_content_type(upload) for upload in uploads]
        return uploads

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        uploads = data.get("file")
        if uploads is None:
            return data
        caption = data.get("caption") or ""
        if caption and len(uploads) > 1:
            self.add_error(
                "caption",
                ValidationError(
                    _(
                        "ใส่ชื่อรายการได้เมื่อเลือกไฟล์เดียว เมื่อเลือกหลายไฟล์ "
                        "ระบบจะใช้ชื่อไฟล์เป็นชื่อรายการ กรุณาเว้นช่องนี้ว่างไว้"
                    ),
                    code="caption_for_many",
                ),
            )
            return data
        data["uploads"] = [
            (upload, content_type, caption or PurePath(upload.name).stem)
            for upload, content_type in zip(uploads, self.content_types, strict=True)
        ]
        return data


class HttpURLField(forms.URLField):
    default_validators = [URLValidator(schemes=["http", "https"], message=NOT_HTTP)]
    default_error_messages = {"invalid": NOT_HTTP}


class LinkEvidenceForm(forms.Form):
    url = HttpURLField(
        label=_("ลิงก์"),
        max_length=1000,
        assume_scheme="https",
        error_messages={"required": _("กรุณาใส่ลิงก์")},
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    caption = text_form_field(
        limits.CAPTION,
        label=_("รายการเอกสารอ้างอิง"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LibraryEvidenceForm(forms.Form):
    document = forms.ModelChoiceField(
        label=_("เอกสารในคลังของหน่วยงาน"),
        queryset=Document.objects.none(),
        error_messages={
            "required": _("กรุณาเลือกเอกสาร"),
            "invalid_choice": _("ไม่พบเอกสารนี้ในคลังของหน่วยงาน"),
        },
    )
    caption = text_form_field(
        limits.CAPTION,
        label=_("รายการเอกสารอ้างอิง"),
        required=False,
        help_text=CAPTION_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        document = self.fields["document"]
        assert isinstance(document, forms.ModelChoiceField), document  # declared above
        document.queryset = Document.objects.filter(unit=unit)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        document = data.get("document")
        if document is not None and not data.get("caption"):
            data["caption"] = str(document)
        return data


class CaptionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = EvidenceItem
        fields = ["caption"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 2})}

    def clean_caption(self) -> str:
        caption = self.cleaned_data["caption"].strip()
        if not caption and not self.instance.url:
            raise ValidationError(_("กรุณาใส่ชื่อรายการเอกสารอ้างอิง"), code="required")
        return caption


ADD_FORMS: dict[str, type[forms.Form]] = {
    "upload": UploadsEvidenceForm,
    "link": LinkEvidenceForm,
    "library": LibraryEvidenceForm,
}


class ReplaceFileForm(UploadEvidenceForm):
    """A new file for an existing item: same checks as an upload, the caption stays."""

    caption = None
