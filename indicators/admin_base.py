"""What the admins of both apps share: Thai messages where Django has none, and
history that is read, never reverted.

It imports nothing of either app but the core's date field, so evidence/admin.py may use
it too. Every admin built on these bases takes and shows dates in the Buddhist era.
"""

import datetime
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .formfields import ThaiDateField, ThaiDateInput
from .thaidates import BE_OFFSET, MIN_BE_YEAR, localized_date

STALE_ADMIN_EDIT = _(
    "มีผู้อื่นบันทึกรายการนี้หลังจากที่คุณเปิดหน้านี้ การแก้ไขของคุณจึงยังไม่ได้บันทึก "
    "ค่าที่บันทึกไว้ล่าสุด: %(values)s ถ้ากดบันทึกอีกครั้ง ค่าของคุณจะบันทึกทับ"
)
EDIT_TOKEN = "edit_token"


def _token_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name in ("version", "updated_at")]


def admin_edit_token(obj: models.Model) -> str:
    """What an admin change form remembers of its row. The admin saves every field of
    the form, so any save in between counts: the version (the unit's edits, see
    indicators.versioning) and ``updated_at`` (everything else), where the model has them."""
    return "|".join(str(getattr(obj, name)) for name in _token_fields(type(obj)))


class AdminForm(forms.ModelForm):
    """Django's Thai catalogue lacks the message for a duplicate of several fields
    together (a UniqueConstraint such as unit + indicator); this one says it in Thai.

    A change form of a row that has a version or ``updated_at`` carries its edit token:
    a save over a newer save (two admins, or an admin and the unit) is refused with the
    values saved meanwhile, and the next save overwrites them on purpose. A change of
    ``versioned_fields`` (all fields when None) is a new version for the app's forms.
    """

    versioned_fields: tuple[str, ...] | None = None
    edit_token = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        error_messages = {
            NON_FIELD_ERRORS: {
                "unique_together": _("มี%(model_name)sที่ %(field_labels)s ซ้ำกันอยู่แล้ว"),
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[EDIT_TOKEN].initial = admin_edit_token(self.instance)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        token = cleaned.get(EDIT_TOKEN)
        if token and self.instance.pk is not None:
            model = type(self.instance)
            current = model._default_manager.select_for_update().get(pk=self.instance.pk)
            if admin_edit_token(current) != token:
                # Rendered again with the row's token: saving again is a deliberate overwrite.
                data = cast(QueryDict, self.data).copy()
                data[self.add_prefix(EDIT_TOKEN)] = admin_edit_token(current)
                self.data = data
                raise ValidationError(
                    STALE_ADMIN_EDIT, code="stale", params={"values": self._saved(current)}
                )
        return cleaned

    def _saved(self, current: models.Model) -> str:
        names = [n for n in self.changed_data if n != EDIT_TOKEN] or list(self.fields)
        shown = []
        for name in names:
            try:
                field = current._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            value = field.value_from_object(current)  # type: ignore[union-attr]
            shown.append(f"{field.verbose_name} “{str(value)[:200]}”")  # type: ignore[union-attr]
        return "; ".join(shown)

    def save(self, commit: bool = True) -> Any:
        changed = set(self.changed_data) - {EDIT_TOKEN}
        watched = set(self.versioned_fields) if self.versioned_fields is not None else changed
        if self.instance.pk is not None and hasattr(self.instance, "version") and changed & watched:
            self.instance.version += 1
        return super().save(commit)


# Dates typed and shown as 01/10/2566 (Buddhist era), instead of the admin's Gregorian
# calendar (see _TokenFieldMixin.formfield_for_dbfield).
THAI_DATES: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.DateField: {"form_class": ThaiDateField, "widget": ThaiDateInput},
}


class _TokenFieldMixin:
    """Puts the edit token on the pages (and inline rows) of models that have one, also
    where the admin lists its fields; and gives every date field the Buddhist-era field."""

    model: type[models.Model]

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        # Ahead of formfield_overrides (the admin's calendar widget, or an admin's own).
        if type(db_field) is models.DateField:
            kwargs = {**THAI_DATES[models.DateField], **kwargs}
        formfield: forms.Field | None = super().formfield_for_dbfield(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        return formfield

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))  # type: ignore[misc]
        if EDIT_TOKEN not in fields and _token_fields(self.model):
            fields.append(EDIT_TOKEN)
        elif EDIT_TOKEN in fields and not _token_fields(self.model):
            fields.remove(EDIT_TOKEN)
        return fields


def _date_column(field: models.DateField) -> Any:
    """A list column of a date (or date and time) field in the Buddhist era in Thai,
    sortable as the field."""

    @admin.display(description=field.verbose_name, ordering=field.name)
    def column(obj: models.Model) -> str:
        value = getattr(obj, field.name)
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            moment = timezone.localtime(value) if timezone.is_aware(value) else value
            return f"{localized_date(moment.date())} {moment:%H:%M}"
        return localized_date(value)

    column.__name__ = f"{field.name}_thai"
    return column


class _DateColumnsMixin:
    """The change list shows dates as '1 ตุลาคม 2566' (and times as '1 ตุลาคม 2566 09:30'),
    not with Django's Gregorian year."""

    model: type[models.Model]

    def get_list_display(self, request: HttpRequest) -> Any:
        columns = []
        for name in super().get_list_display(request):  # type: ignore[misc]
            try:
                field = self.model._meta.get_field(name) if isinstance(name, str) else None
            except FieldDoesNotExist:
                field = None
            is_date = isinstance(field, models.DateField)  # DateTimeField included
            columns.append(_date_column(field) if is_date else name)  # type: ignore[arg-type]
        return columns


def buddhist_year_filter(field_name: str) -> type[admin.SimpleListFilter]:
    """A change-list filter by the Buddhist-era year of a date field, where Django's
    date_hierarchy would show Gregorian years."""

    class BuddhistYearFilter(admin.SimpleListFilter):
        title = _("ปี พ.ศ.")
        parameter_name = f"{field_name}_year_be"

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
            days = model_admin.get_queryset(request).dates(field_name, "year", order="DESC")
            return [(str(day.year + BE_OFFSET), str(day.year + BE_OFFSET)) for day in days]

        def queryset(self, request: HttpRequest, queryset: Any) -> Any:
            value = self.value() or ""
            if value.isascii() and value.isdigit() and MIN_BE_YEAR <= int(value) <= 3000:
                return queryset.filter(**{f"{field_name}__year": int(value) - BE_OFFSET})
            return queryset  # an unknown year (a hand-made URL) filters nothing

    return BuddhistYearFilter


class ModelAdmin(_DateColumnsMixin, _TokenFieldMixin, admin.ModelAdmin):
    form = AdminForm


class TabularInline(_TokenFieldMixin, admin.TabularInline):
    form = AdminForm


class StackedInline(_TokenFieldMixin, admin.StackedInline):
    form = AdminForm


class HistoryAdmin(_DateColumnsMixin, _TokenFieldMixin, SimpleHistoryAdmin):
    """Edit history is for reading.

    A revert saves the old row whole, status, committee score and positions
    included, past every rule of the change form. simple_history only hides the
    button when revert is disabled and still saves a POST, so the POST is refused.
    """

    form = AdminForm

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """An id that is no id (``abc``, 5000 digits) is "not found", as in Django's own
        admin views; simple_history would let the field's ValueError through as a 500."""
        try:
            self.model._meta.pk.to_python(object_id)
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST":
            raise PermissionDenied(_("ประวัติการแก้ไขใช้ดูย้อนหลังเท่านั้น ย้อนข้อมูลกลับจากหน้านี้ไม่ได้"))
        return super().history_form_view(request, object_id, version_id, extra_context)


class SentStaysAsSent(admin.options.BaseModelAdmin):
    """For the admins of a SAR and its parts: while the assessment is submitted or
    approved, its rows are view-only here too. ``sent_with`` names the assessment
    behind the page's object (for an inline, the object is the page's parent row)."""

    form = AdminForm  # as every admin here, so that the bases agree

    def sent_with(self, obj: Any) -> Any:
        return obj

    def is_sent(self, obj: Any) -> bool:
        if obj is None or obj.pk is None:
            return False
        return not self.sent_with(obj).is_editable

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self.is_sent(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self.is_sent(obj)


class SentStaysAsSentInline(SentStaysAsSent, admin.options.InlineModelAdmin):
    """The same for an inline, which also adds no row under a sent assessment."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and not self.is_sent(obj)
