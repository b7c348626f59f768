"""A meeting's agenda (ระเบียบวาระ) as a formset: at most a set number of items, numbers unique."""

from django import forms
from django.forms import inlineformset_factory
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.translation import gettext_lazy as _

from evidence.forms.records import THAI_DIGITS
from evidence.models import (
    AgendaItem,
    Meeting,
)
from indicators import limits
from indicators.versioning import StaleRow


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["number", "title", "resolution", "page"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "resolution": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].translate(THAI_DIGITS).split())


class BaseAgendaFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": _("การประชุมหนึ่งครั้งมีวาระได้ไม่เกิน %(num)d วาระ"),
    }

    def stale_rows(self, current: Meeting) -> list[StaleRow]:
        """The agenda as saved now and as the user left it (a refused save)."""
        theirs = [str(item) for item in current.agenda.all()]
        yours = [
            str(AgendaItem(number=row.get("number", ""), title=row.get("title", "")))
            for row in self.cleaned_data
            if row and not row.get(DELETION_FIELD_NAME)
        ]
        return [StaleRow(str(_("ระเบียบวาระ")), "\n".join(theirs), "\n".join(yours))]

    def clean(self) -> None:
        # Before Django's own unique check, whose message names the field in English.
        self._refuse_duplicate_numbers()
        super().clean()

    def _refuse_duplicate_numbers(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            number = getattr(form, "cleaned_data", {}).get("number")
            if number is None:
                continue
            if number in seen:
                raise forms.ValidationError(
                    _("วาระที่ %(number)s ซ้ำกัน แต่ละวาระต้องมีเลขไม่ซ้ำกัน") % {"number": number}
                    if number
                    else _("เว้นเลขวาระได้เพียงวาระเดียว"),
                    code="duplicate",
                )
            seen.add(number)


def agenda_formset_class(*, editable: bool) -> type[forms.BaseInlineFormSet]:
    """Two empty rows to fill when editing; none when the page is read-only."""
    return inlineformset_factory(
        Meeting,
        AgendaItem,
        form=AgendaItemForm,
        formset=BaseAgendaFormSet,
        extra=2 if editable else 0,
        can_delete=editable,
        # A forged TOTAL_FORMS builds no more forms than this (absolute_max) and a
        # longer agenda is refused with a message (validate_max).
        max_num=limits.AGENDA_ITEMS,
        absolute_max=limits.AGENDA_ITEMS,
        validate_max=True,
    )
