"""How long the free text that users and imports write may be, in characters.

Every figure leaves generous headroom over what a real SAR needs (the seed page,
``indicators/demo/sar_press_km_2563.txt``, has narratives of up to about 2,000
characters and captions of about 200) while keeping a page, a PDF and a history diff
of one record bounded. The model fields carry the limits (``BoundedTextField``), so
``full_clean`` and model forms enforce them; plain forms use the same constants, the
services call ``check_text`` before writing, and ``parse_sar`` refuses an import with
the line number. The README ("Limits") says why each figure.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

NARRATIVE = 20_000  # one criterion's result (CriterionResult.narrative)
SUMMARY = 10_000  # strengths, improvements of an assessment
CRITERION = 2_000  # a criterion's own text (imported or set up by an administrator)
CAPTION = 2_000  # an evidence item's caption (EvidenceItem.caption)
COMMENT = 5_000  # a reviewer's comment and the unit's reply
REASON = 2_000  # why an assessment was returned or reopened
AGENDA_TITLE = 2_000  # an agenda item's subject
RECORD_TEXT = 5_000  # a resolution, an activity's notes, a topic's strategic alignment
SPEAKERS = 2_000  # an activity's speakers
INDICATOR_TITLE = 500  # Indicator.title (a CharField of that length)
URL = 1_000  # EvidenceItem.url (a URLField of that length)
AGENDA_ITEMS = 100  # agenda items of one meeting, in its form

TOO_LONG = _("ข้อความยาวเกินกำหนด: ได้ไม่เกิน %(limit_value)s ตัวอักษร (ตอนนี้ %(show_value)s ตัวอักษร)")
# For a plain form's CharField(max_length=...): its validator's code is "max_length".
TOO_LONG_ERRORS = {"max_length": TOO_LONG}


class BoundedTextField(models.TextField):
    """A TextField whose ``max_length`` is enforced by ``full_clean`` too (Django's own
    TextField leaves it to forms), with the Thai message in forms and models alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            # Not in _validators, so the migrations need not spell it out.
            self.validators.append(MaxLengthValidator(self.max_length, message=TOO_LONG))

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        kwargs["error_messages"] = {**TOO_LONG_ERRORS, **(kwargs.get("error_messages") or {})}
        if form_class is not None:
            kwargs["form_class"] = form_class
        if choices_form_class is not None:
            kwargs["choices_form_class"] = choices_form_class
        return super().formfield(**kwargs)


def check_text(model: type[models.Model], **values: str) -> None:
    """Runs each named field's validators (its length limit among them) on the value
    about to be written; raises one ValidationError keyed by field, in Thai.

    For the services that write text without ``full_clean``: the limit stays on the
    model field, the one place it is set."""
    errors: dict[str, Any] = {}
    for name, value in values.items():
        model_field = model._meta.get_field(name)
        assert isinstance(model_field, models.Field)
        try:
            model_field.run_validators(value)
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)


def text_form_field(limit: int, **kwargs: Any) -> forms.CharField:
    """A plain form's text field with the limit and its Thai message."""
    messages = {**TOO_LONG_ERRORS, **kwargs.pop("error_messages", {})}
    return forms.CharField(max_length=limit, error_messages=messages, **kwargs)
