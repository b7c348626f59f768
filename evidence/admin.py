from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

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

# Links are https unless typed otherwise (Django 6's default, chosen now).
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


class EvidenceItemInline(admin.TabularInline):
    model = EvidenceItem
    formfield_overrides = HTTPS_LINKS
    extra = 0
    fields = ["position", "caption", "document", "url", "meeting", "activity", "review_status"]
    autocomplete_fields = ["document", "meeting", "activity"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit", "content_type", "size", "uploaded_at"]
    list_filter = ["unit", "content_type"]
    search_fields = ["title", "original_name", "sha256"]
    readonly_fields = ["size", "content_type", "sha256", "uploaded_at"]


class HistoryAdmin(SimpleHistoryAdmin):
    """The change history of a row, with an id that is no id (``abc``, 5000 digits) a 404.

    simple_history looks the id up as given and lets the database field's ValueError
    through as a 500; Django's own admin views answer such ids with "not found".
    """

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            self.model._meta.pk.to_python(object_id)
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)


@admin.register(EvidenceItem)
class EvidenceItemAdmin(HistoryAdmin):
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


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["meeting", "number", "title", "page"]
    list_filter = ["meeting__unit"]
    search_fields = ["title", "resolution", "meeting__body"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["body", "number", "date", "unit"]
    list_filter = ["unit", "body"]
    search_fields = ["body", "number", "agenda__title"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "section", "unit"]
    list_filter = ["unit", "section"]
    search_fields = ["name", "position"]


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "headcount", "unit", "cycle"]
    list_filter = ["unit", "cycle"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


class TopicRenameInline(admin.TabularInline):
    model = TopicRename
    extra = 0


@admin.register(TopicRename)
class TopicRenameAdmin(admin.ModelAdmin):
    list_display = ["topic", "previous_title", "renamed_on", "meeting"]
    list_filter = ["topic__unit"]
    search_fields = ["previous_title", "topic__title"]


@admin.register(KnowledgeTopic)
class KnowledgeTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "cycle"]
    list_filter = ["unit", "cycle"]
    search_fields = ["title", "renames__previous_title"]
    inlines = [TopicRenameInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "attendance", "unit"]
    list_filter = ["kind", "unit"]
    search_fields = ["title", "speakers", "place"]
    date_hierarchy = "date"
    filter_horizontal = ["attendees"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["assessment", "body", "author", "created_at", "resolved_at"]
    list_filter = ["assessment__indicator__cycle", "assessment__unit"]
    search_fields = ["body", "reply"]
