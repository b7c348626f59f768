"""The dashboard's filters: unit, indicator, status."""

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import Assessment, Indicator, Unit


class DashboardFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("หน่วยงาน"), queryset=Unit.objects.none(), required=False, empty_label=_("ทั้งหมด")
    )
    status = forms.ChoiceField(
        label=_("สถานะ"), choices=[("", _("ทั้งหมด")), *Assessment.Status.choices], required=False
    )
    indicator = forms.ModelChoiceField(
        label=_("ตัวบ่งชี้"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("ทั้งหมด"),
    )

    def __init__(self, *args: object, units: object, cycle: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["indicator"].queryset = Indicator.objects.filter(cycle=cycle)  # type: ignore[attr-defined]
        self.fields["indicator"].label_from_instance = lambda obj: f"{obj.number} {obj.title}"  # type: ignore[attr-defined]
