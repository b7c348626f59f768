"""The assignment matrix of a cycle (units × indicators) as the browser posts it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, Unit

# A cell as the page names it: "<unit pk>-<indicator pk>".
CELL_SEPARATOR = "-"
STALE_PAGE = _("ตารางนี้ไม่ตรงกับข้อมูลปัจจุบัน กรุณาโหลดหน้าใหม่แล้วเลือกอีกครั้ง")


def cell_name(unit_id: int, indicator_id: int) -> str:
    return f"{unit_id}{CELL_SEPARATOR}{indicator_id}"


def _pks(text: str) -> list[int]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not all(part.isdigit() and len(part) <= 12 for part in parts):
        raise forms.ValidationError(STALE_PAGE, code="bad_pk")
    return [int(part) for part in parts]


class AssignmentForm(forms.Form):
    """Which cells are checked, among the units and indicators the page showed.

    Each checkbox posts ``cell``; with JavaScript the page packs them into one ``cells``
    field instead (60 units × 15 indicators would pass Django's limit of 1,000 fields).
    ``units`` and ``indicators`` name what the page showed, so that a unit added since
    is not taken for one whose boxes were all unchecked.
    """

    units = forms.CharField(widget=forms.HiddenInput, max_length=20_000)
    indicators = forms.CharField(widget=forms.HiddenInput, max_length=5_000)
    cells = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500_000)

    def __init__(
        self, *args: Any, units: list[Unit], indicators: list[Indicator], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.known_units = {unit.pk: unit for unit in units}
        self.known_indicators = {indicator.pk: indicator for indicator in indicators}

    def clean_units(self) -> list[Unit]:
        pks = _pks(self.cleaned_data["units"])
        if not set(pks) <= set(self.known_units):
            raise forms.ValidationError(STALE_PAGE, code="unknown_unit")
        return [self.known_units[pk] for pk in dict.fromkeys(pks)]

    def clean_indicators(self) -> list[Indicator]:
        pks = _pks(self.cleaned_data["indicators"])
        if not set(pks) <= set(self.known_indicators):
            raise forms.ValidationError(STALE_PAGE, code="unknown_indicator")
        return [self.known_indicators[pk] for pk in dict.fromkeys(pks)]

    def checked_names(self) -> list[str]:
        """The cells as posted, packed by the page's script or one checkbox each."""
        if "cells" in self.data:
            return [name for name in str(self.data.get("cells", "")).split(",") if name]
        getlist = getattr(self.data, "getlist", None)
        return [str(name) for name in getlist("cell")] if getlist else []

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        units, indicators = cleaned.get("units"), cleaned.get("indicators")
        if units is None or indicators is None:
            return cleaned
        shown = {
            cell_name(unit.pk, indicator.pk): (unit.pk, indicator.pk)
            for unit in units
            for indicator in indicators
        }
        names = self.checked_names()
        if not all(name in shown for name in names):
            raise forms.ValidationError(STALE_PAGE, code="unknown_cell")
        cleaned["wanted"] = {shown[name] for name in names}
        return cleaned
