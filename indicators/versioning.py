"""No silent overwrite: every edit form carries the version of the row it was loaded
with, and a save over a newer version is refused with both versions shown.

One mechanism for every edited model: a ``version`` integer (``CriterionResult`` had it
first) that a save of the user's content moves on by one. ``updated_at`` would not do:
the records have none, and an evidence item's changes whenever the link checker or a
reviewer writes to it, which would refuse captions nobody else had touched.

The services lock the row, call :func:`claim_version` and save; the views catch
``StaleEditError`` and show :func:`stale_rows` beside the user's own values, with the
form's version moved on (:func:`resave_data`) so that its next save is a deliberate
overwrite.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .locking import StaleEditError
from .thaidates import thai_date

VERSION = "version"


def version_column() -> models.PositiveIntegerField:
    """The ``version`` of an edited model, moved on by each save of the user's content
    (a save names the version it was edited from)."""
    return models.PositiveIntegerField(_("รุ่น"), default=1, editable=False)


def version_field() -> forms.IntegerField:
    # Not required, so that a form posted by an older page still validates; the
    # services then have nothing to compare and save as before.
    return forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


# The mixin goes before a Form or ModelForm; mypy checks it as one.
_FormBase = forms.BaseForm if TYPE_CHECKING else object


class VersionedFormMixin(_FormBase):  # type: ignore[misc,valid-type]
    """For a form that edits one row: adds the hidden ``version`` it was loaded with.

    A ModelForm takes it from its instance; another form gets it as ``initial``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[VERSION] = version_field()
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.initial.setdefault(VERSION, instance.version)


def claim_version(current: Any, version: int | None) -> None:
    """``current`` is the row as it is now, locked for update. Raises StaleEditError if
    it was saved since ``version`` (the one the user's form was loaded with); otherwise
    moves it to the next version, which the caller saves."""
    if version is not None and current.version != version:
        raise StaleEditError(current)
    current.version += 1


def resave_data(data: QueryDict, current: Any, *, prefix: str = "") -> QueryDict:
    """The user's posted values with the version of the row as it is now: the form
    keeps their text, and saving it again overwrites the other save on purpose."""
    data = data.copy()
    data[f"{prefix}-{VERSION}" if prefix else VERSION] = str(current.version)
    return data


@dataclass(frozen=True)
class StaleRow:
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


def shown(value: Any) -> str:
    """A value as a person reads it, for the side-by-side table."""
    if value is None:
        return ""
    if isinstance(value, models.Manager):
        value = value.all()
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return thai_date(value)
    if isinstance(value, (models.QuerySet, list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _theirs(current: models.Model, name: str) -> str:
    field = current._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(getattr(current, f"get_{name}_display")())
    return shown(getattr(current, name))


def _yours(form: forms.BaseForm, name: str) -> str:
    field, value = form.fields[name], form.cleaned_data.get(name)
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
        field, forms.ModelChoiceField
    ):
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    return shown(value)


def stale_rows(
    form: forms.BaseForm, current: models.Model, *, extra: Iterable[StaleRow] = ()
) -> list[StaleRow]:
    """Each field the user could edit: the value saved now beside theirs (validated)."""
    rows = [
        StaleRow(str(field.label), _theirs(current, name), _yours(form, name))
        for name, field in form.fields.items()
        if name != VERSION and not field.disabled
    ]
    return [*rows, *extra]
