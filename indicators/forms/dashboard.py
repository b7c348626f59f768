"""The dashboard's filters: unit, indicator, status."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from indicators.models import Assessment, Cycle, Indicator, Unit


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.number} {obj.title}"


class DashboardFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("หน่วยงาน"), queryset=Unit.objects.none(), required=False, empty_label=_("ทั้งหมด")
    )
    status = forms.ChoiceField(
        label=_("สถานะ"), choices=[("", _("ทั้งหมด")), *Assessment.Status.choices], required=False
    )
    indicator = IndicatorChoiceField(
        label=_("ตัวบ่งชี้"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("ทั้งหมด"),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit, indicator = self.fields["unit"], self.fields["indicator"]
        # The fields declared above, as the form copied them.
        assert isinstance(unit, forms.ModelChoiceField), unit
        assert isinstance(indicator, IndicatorChoiceField), indicator
        unit.queryset = units
        indicator.queryset = Indicator.objects.filter(cycle=cycle)
