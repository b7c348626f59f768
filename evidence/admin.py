from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    AgendaItem,
    Document,
    EvidenceItem,
    KnowledgeTopic,
    Meeting,
    Person,
    TargetGroup,
    TopicRename,
)


class EvidenceItemInline(admin.TabularInline):
    model = EvidenceItem
    extra = 0
    fields = ["position", "caption", "document", "url", "meeting", "activity", "review_status"]
    autocomplete_fields = ["document", "meeting", "activity"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit", "content_type", "size", "uploaded_at"]
    list_filter = ["unit", "content_type"]
    search_fields = ["title", "original_name", "sha256"]
    readonly_fields = ["size", "content_type", "sha256", "uploaded_at"]


@admin.register(EvidenceItem)
class EvidenceItemAdmin(SimpleHistoryAdmin):
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
