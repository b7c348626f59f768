"""What the admins of both apps share: Thai messages where Django has none, and
history that is read, never reverted.

It imports nothing of either app, so evidence/admin.py may use it too.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin


class AdminForm(forms.ModelForm):
    """Django's Thai catalogue lacks the message for a duplicate of several fields
    together (a UniqueConstraint such as unit + indicator); this one says it in Thai."""

    class Meta:
        error_messages = {
            NON_FIELD_ERRORS: {
                "unique_together": _("มี%(model_name)sที่ %(field_labels)s ซ้ำกันอยู่แล้ว"),
            }
        }


class ModelAdmin(admin.ModelAdmin):
    form = AdminForm


class TabularInline(admin.TabularInline):
    form = AdminForm


class StackedInline(admin.StackedInline):
    form = AdminForm


class HistoryAdmin(SimpleHistoryAdmin):
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
