import hashlib
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Max, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from indicators.admin_base import (
    AdminForm,
    HistoryAdmin,
    ModelAdmin,
    SentStaysAsSent,
    SentStaysAsSentInline,
    TabularInline,
    buddhist_year_filter,
)
from indicators.models import Assessment, CriterionResult

from .forms.items import UploadEvidenceForm
from .forms.records import NOT_OUR_ACTIVITY, NOT_OUR_DOCUMENT, NOT_OUR_MEETING
from .models import (
    Activity,
    AgendaItem,
    Document,
    EvidenceItem,
    KnowledgeTopic,
    Meeting,
    Person,
    ReviewComment,
    TargetGroup,
    TopicRename,
)
from .services.items import evidence_item_remove, evidence_items_renumber
from .services.records import unit_record_delete, unit_record_delete_refusal


def _admin_user(request: HttpRequest) -> User:
    """The admin lets only signed-in staff in: its user is never anonymous."""
    assert isinstance(request.user, User)
    return request.user


# Links are https unless typed otherwise (Django 6's default, chosen now).
HTTPS_LINKS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


def next_position(result: CriterionResult) -> int:
    """A new item takes the next code under its criterion, as in the app."""
    return (result.evidence_items.aggregate(last=Max("position"))["last"] or 0) + 1


class EvidenceItemForm(AdminForm):
    """An item cites the documents, meetings and activities of its own unit only."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # Unset relations raise RelatedObjectDoesNotExist, an AttributeError.
        result = data.get("result") or getattr(self.instance, "result", None)
        assessment = getattr(result, "assessment", None)
        if assessment is None:
            return data
        for name, message in (
            ("document", NOT_OUR_DOCUMENT),
            ("meeting", NOT_OUR_MEETING),
            ("activity", NOT_OUR_ACTIVITY),
        ):
            value = data.get(name)
            if value is not None and value.unit_id != assessment.unit_id:
                self.add_error(name, message)
        return data


class EvidenceItemFormSet(BaseInlineFormSet):
    """Positions (the codes) are not typed: a new item goes last, and the gaps that
    deleted items leave are closed once everything else is saved."""

    def save_new(self, form: ModelForm, commit: bool = True) -> EvidenceItem:
        form.instance.position = next_position(self.instance)
        return super().save_new(form, commit)

    def save(self, commit: bool = True) -> list[EvidenceItem]:
        saved = super().save(commit)
        if commit and self.deleted_objects:
            removed = [item.position for item in self.deleted_objects]
            evidence_items_renumber(result=self.instance, removed=removed)
        return saved


class EvidenceItemInline(SentStaysAsSentInline, TabularInline):
    model = EvidenceItem
    form = EvidenceItemForm
    formset = EvidenceItemFormSet
    formfield_overrides = HTTPS_LINKS
    extra = 0
    fields = ["position", "caption", "document", "url", "meeting", "activity", "review_status"]
    # Positions move only through the services (codes without gaps); the review
    # status only through the reviewer's page.
    readonly_fields = ["position", "review_status"]
    autocomplete_fields = ["document", "meeting", "activity"]

    def sent_with(self, obj: CriterionResult) -> Assessment:
        return obj.assessment  # obj is the criterion result of the page


class DocumentForm(AdminForm):
    """A file added here is checked as an upload in the app is; its size, type and
    SHA-256 are read from it, never typed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "original_name" in self.fields:
            self.fields["original_name"].required = False

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload
        check = UploadEvidenceForm(data={}, files={"file": upload})
        if not check.is_valid():
            raise ValidationError(check.errors.as_data()["file"])
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        self.instance.size = upload.size
        self.instance.content_type = check.content_type
        self.instance.sha256 = digest.hexdigest()
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if not isinstance(upload, UploadedFile):
            return data
        if not data.get("original_name"):
            data["original_name"] = PurePath(upload.name or "file").name[:255]
        # The same file is kept once per unit (constraint document_unique_content).
        unit = data.get("unit")
        same = Document.objects.filter(unit=unit, sha256=self.instance.sha256)
        existing = same.exclude(pk=self.instance.pk).first() if unit else None
        if existing is not None:
            self.add_error(
                "file",
                _("ไฟล์นี้มีอยู่ในคลังเอกสารของหน่วยงานแล้ว: %(document)s") % {"document": existing},
            )
        return data


@admin.register(Document)
class DocumentAdmin(ModelAdmin):
    form = DocumentForm
    list_display = ["__str__", "unit", "content_type", "size", "uploaded_at"]
    list_filter = ["unit", "content_type"]
    search_fields = ["title", "original_name", "sha256"]
    # Read from the file, or written by the upload and `manage.py check_documents`.
    readonly_fields = [
        "size",
        "content_type",
        "sha256",
        "thumbnail",
        "uploaded_by",
        "uploaded_at",
        "file_status",
        "file_checked_at",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # A new file is cited through the app's "replace file" (its checks and history);
            # items of this unit cite the document.
            fields += ["unit", "file"]
        return fields

    def save_model(
        self, request: HttpRequest, obj: Document, form: ModelForm, change: bool
    ) -> None:
        # The admin lets in only active staff, never an anonymous user.
        if not change and request.user.is_authenticated:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(EvidenceItem)
class EvidenceItemAdmin(SentStaysAsSent, HistoryAdmin):
    form = EvidenceItemForm
    formfield_overrides = HTTPS_LINKS
    list_display = ["code", "caption", "kind", "review_status"]
    list_filter = ["review_status", "result__assessment__unit", "result__assessment__indicator"]
    search_fields = ["caption", "url"]
    list_select_related = [
        "result__criterion",
        "result__assessment__unit",
        "result__assessment__indicator",
    ]
    autocomplete_fields = ["document", "meeting", "activity"]
    readonly_fields = ["position", "review_status"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Moving it would leave a gap here and take another item's code there.
            fields.append("result")
        return fields

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "result":
            kwargs["queryset"] = CriterionResult.objects.filter(
                assessment__status__in=Assessment.EDITABLE_STATUSES
            ).select_related("criterion", "assessment__unit", "assessment__indicator__cycle")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def sent_with(self, obj: EvidenceItem) -> Assessment:
        return obj.result.assessment

    def save_model(
        self, request: HttpRequest, obj: EvidenceItem, form: ModelForm, change: bool
    ) -> None:
        if not change:
            obj.position = next_position(obj.result)
        super().save_model(request, obj, form, change)

    # Deleting closes the gap, as deleting in the app does.
    def delete_model(self, request: HttpRequest, obj: EvidenceItem) -> None:
        evidence_item_remove(item=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[EvidenceItem]) -> None:
        for item in queryset:
            evidence_item_remove(item=item)


class AgendaItemInline(TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(ModelAdmin):
    list_display = ["meeting", "number", "title", "page"]
    list_filter = ["meeting__unit"]
    search_fields = ["title", "resolution", "meeting__body"]


class CitedRecordAdmin(ModelAdmin):
    """Meetings and activities: deleted as in the app (evidence.services.records), refused
    while a submitted or approved assessment's evidence points to them."""

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = [unit_record_delete_refusal(record) for record in objs]
        return deleted, counts, perms_needed, [*protected, *filter(None, refusals)]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        unit_record_delete(record=obj, by=_admin_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for record in queryset:
            unit_record_delete(record=record, by=_admin_user(request))


@admin.register(Meeting)
class MeetingAdmin(CitedRecordAdmin):
    list_display = ["body", "number", "date", "unit"]
    list_filter = ["unit", "body", buddhist_year_filter("date")]
    search_fields = ["body", "number", "agenda__title"]
    inlines = [AgendaItemInline]


@admin.register(Person)
class PersonAdmin(ModelAdmin):
    list_display = ["name", "position", "section", "unit"]
    list_filter = ["unit", "section"]
    search_fields = ["name", "position"]


@admin.register(TargetGroup)
class TargetGroupAdmin(ModelAdmin):
    list_display = ["name", "headcount", "unit", "cycle"]
    list_filter = ["unit", "cycle"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


class TopicRenameInline(TabularInline):
    model = TopicRename
    extra = 0


@admin.register(TopicRename)
class TopicRenameAdmin(ModelAdmin):
    list_display = ["topic", "previous_title", "renamed_on", "meeting"]
    list_filter = ["topic__unit"]
    search_fields = ["previous_title", "topic__title"]


@admin.register(KnowledgeTopic)
class KnowledgeTopicAdmin(ModelAdmin):
    list_display = ["title", "unit", "cycle"]
    list_filter = ["unit", "cycle"]
    search_fields = ["title", "renames__previous_title"]
    inlines = [TopicRenameInline]


@admin.register(Activity)
class ActivityAdmin(CitedRecordAdmin):
    list_display = ["title", "kind", "date", "attendance", "unit"]
    list_filter = ["kind", "unit", buddhist_year_filter("date")]
    search_fields = ["title", "speakers", "place"]
    filter_horizontal = ["attendees"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(ModelAdmin):
    list_display = ["assessment", "body", "author", "created_at", "resolved_at"]
    list_filter = ["assessment__indicator__cycle", "assessment__unit"]
    search_fields = ["body", "reply"]
