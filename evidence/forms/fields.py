"""Form fields the evidence forms share."""

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

# The range of the primary keys (64-bit signed integers on every database the app runs on).
PK_RANGE = range(-(2**63), 2**63)


class OwnRowsField(forms.ModelMultipleChoiceField):
    """Several of the unit's own rows (people who attended, members of a group).

    An id past the database's integer range is refused like any other id that is not
    one of the unit's rows: Django passes it on to an ``id IN (...)`` query, which
    SQLite answers with OverflowError (a server error) instead of no rows.
    """

    def clean(self, value: Any) -> models.QuerySet[Any]:
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # Django's own check refuses it
            if number not in PK_RANGE:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type="file" multiple>``: a list of uploads.

    Each file gets FileField's own checks, then ``check`` (the app's checks of an
    upload, whose messages name the file); every refused file gets its own message,
    so the user learns which of the files to fix.
    """

    widget = MultipleFileInput

    def __init__(self, *, check: Callable[[Any], object], **kwargs: Any) -> None:
        self.check = check
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = [
            upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload
        ]
        if not uploads:
            return [super().clean(None, initial)] if self.required else []
        cleaned: list[Any] = []
        errors: list[forms.ValidationError] = []
        for upload in uploads:
            try:
                super().clean(upload, initial)
            except forms.ValidationError as error:
                errors.extend(
                    forms.ValidationError(
                        _("ไฟล์ “%(name)s”: %(reason)s"),
                        params={"name": PurePath(upload.name or "").name, "reason": message},
                        code=error.code,
                    )
                    for message in error.messages
                )
                continue
            try:
                self.check(upload)
            except forms.ValidationError as error:
                errors.append(error)
                continue
            cleaned.append(upload)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned
