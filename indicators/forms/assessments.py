"""Forms of the staff's pages: they validate and normalise, the services act."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evidence.forms.fields import OwnRowsField
from indicators import limits
from indicators.limits import text_form_field
from indicators.models import Assessment


class NarrativeForm(forms.Form):
    """One criterion's narrative, with the version it was edited from."""

    narrative = text_form_field(
        limits.NARRATIVE,
        label=_("ผลการดำเนินงานตามเกณฑ์"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "narrative-input"}),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def clean_narrative(self) -> str:
        # Windows line ends from the browser would count as a change on every save.
        return self.cleaned_data["narrative"].replace("\r\n", "\n").strip()


class MetForm(forms.Form):
    met = forms.BooleanField(label=_("ผ่านเกณฑ์"), required=False)


class AssessmentDetailsForm(forms.ModelForm):
    """Target, measured result, strengths and improvements of one assessment."""

    edited_from = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Assessment
        fields = ["target", "result_value", "numerator", "denominator", "strengths", "improvements"]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "improvements": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicator = self.instance.indicator
        if not indicator.has_ratio:
            del self.fields["numerator"]
            del self.fields["denominator"]
        if indicator.is_counted:
            # Process indicators take their result from the criteria met.
            del self.fields["result_value"]
            self.fields["target"].label = _("เป้าหมาย (จำนวนข้อ)")
            return
        unit = indicator.result_unit
        if unit:
            self.fields["result_value"].label = _("ผลการดำเนินงาน (%(unit)s)") % {"unit": unit}
        if indicator.has_ratio:
            self.fields["numerator"].label = indicator.numerator_label
            self.fields["denominator"].label = indicator.denominator_label
            rule = _("ร้อยละ = ตัวตั้ง ÷ ตัวหาร × 100") if indicator.is_percentage else _("ตัวตั้ง ÷ ตัวหาร")
            self.fields["result_value"].help_text = _(
                "กรอกเอง หรือกรอกตัวตั้งและตัวหารแล้วระบบคำนวณให้ (%(rule)s ปัดทศนิยม 2 ตำแหน่ง)"
            ) % {"rule": rule}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if "numerator" not in self.fields or self.errors:
            return cleaned
        numerator, denominator = cleaned.get("numerator"), cleaned.get("denominator")
        try:
            self.instance.indicator.check_ratio(numerator, denominator)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name, message)
            return cleaned
        if numerator is not None and denominator is not None:
            cleaned["result_value"] = self.instance.indicator.value_from(numerator, denominator)
        return cleaned

    def clean_strengths(self) -> str:
        return self.cleaned_data["strengths"].replace("\r\n", "\n").strip()

    def clean_improvements(self) -> str:
        return self.cleaned_data["improvements"].replace("\r\n", "\n").strip()


class MembersField(OwnRowsField):
    """The unit's members, shown by their full name (their username if they have none);
    an id past the database's range is refused like any other stranger."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class OwnersForm(forms.Form):
    """The owners of an assessment or of one of its criteria, picked among its unit's
    members (the page draws the boxes from its own list of members)."""

    owners = MembersField(
        label=_("ผู้ดูแลตัวบ่งชี้"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "invalid_choice": _("เลือกได้เฉพาะบุคลากรของหน่วยงานนี้"),
            "invalid_pk_value": _("เลือกได้เฉพาะบุคลากรของหน่วยงานนี้"),
        },
    )

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(memberships__unit=assessment.unit_id).distinct()
        field = self.fields["owners"]
        assert isinstance(field, MembersField)
        field.queryset = members.order_by("first_name", "last_name", "username")
