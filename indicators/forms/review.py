"""Forms of the review workflow: they validate and normalise; the services act."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from evidence.models import EvidenceItem
from indicators import limits
from indicators.limits import text_form_field
from indicators.versioning import VersionedFormMixin


class ReasonForm(forms.Form):
    reason = text_form_field(
        limits.REASON,
        label=_("เหตุผล"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("กรุณาระบุเหตุผล")},
    )


class ApproveForm(forms.Form):
    committee_score = forms.DecimalField(
        label=_("คะแนนของกรรมการ"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
        error_messages={"required": _("กรุณาระบุคะแนนของกรรมการ")},
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "5"}),
    )


class CommentForm(forms.Form):
    body = text_form_field(
        limits.COMMENT,
        label=_("ความเห็น"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("กรุณาเขียนความเห็น")},
    )
    result = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReplyForm(VersionedFormMixin, forms.Form):
    reply = text_form_field(
        limits.COMMENT,
        label=_("คำตอบของหน่วยงาน"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("กรุณาเขียนคำตอบ")},
    )


class ItemReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("ผลการตรวจ"),
        choices=[
            (EvidenceItem.Review.ACCEPTED, EvidenceItem.Review.ACCEPTED.label),
            (EvidenceItem.Review.NEEDS_FIX, EvidenceItem.Review.NEEDS_FIX.label),
        ],
    )
    comment = text_form_field(
        limits.COMMENT, label=_("ความเห็น"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["comment"] = (data.get("comment") or "").strip()
        if data.get("status") == EvidenceItem.Review.NEEDS_FIX and not data["comment"]:
            self.add_error("comment", _("กรุณาระบุว่าต้องแก้ไขอะไร"))
        return data


class CommitteeMetForm(forms.Form):
    committee_met = forms.TypedChoiceField(
        label=_("ความเห็นของกรรมการ"),
        choices=[("", _("ยังไม่พิจารณา")), ("yes", _("ผ่านเกณฑ์")), ("no", _("ไม่ผ่านเกณฑ์"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
    )
