"""Form fields the evidence forms share."""

from typing import Any

from django import forms
from django.db import models

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
