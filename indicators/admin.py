from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from evidence.admin import EvidenceItemInline

from .access import is_qa_admin
from .admin_base import (
    AdminForm,
    HistoryAdmin,
    ModelAdmin,
    SentStaysAsSent,
    SentStaysAsSentInline,
    StackedInline,
    TabularInline,
)
from .models import (
    Assessment,
    AssessmentTransition,
    Criterion,
    CriterionResult,
    Cycle,
    Indicator,
    Membership,
    Notification,
    ReminderSent,
    ReportJob,
    SarPart,
    Unit,
)
from .services.cycles import cycle_start_from
from .services.indicators import criterion_results_complete, indicator_measure_criterion_ensure

admin.site.site_header = _("KM Tracker – ระบบติดตามตัวบ่งชี้การจัดการความรู้")
admin.site.site_title = _("KM Tracker")
admin.site.index_title = _("ผู้ดูแลระบบประกันคุณภาพ")


class MembershipInline(TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(ModelAdmin):
    list_display = ["name", "evidence_prefix", "parent"]
    search_fields = ["name", "evidence_prefix"]
    list_filter = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Cycle)
class CycleAdmin(ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "year_be",
        "start_date",
        "end_date",
        "submission_deadline",
        "review_deadline",
    ]
    list_filter = ["kind"]
    search_fields = ["year_be"]
    actions = ["start_next_cycle"]

    @admin.action(description=_("เริ่มรอบปีถัดไปจากรอบที่เลือก (คัดลอกตัวบ่งชี้และยกผลการดำเนินงานมาเป็นร่าง)"))
    def start_next_cycle(self, request: HttpRequest, queryset: QuerySet[Cycle]) -> None:
        if not is_qa_admin(request.user):
            raise PermissionDenied(_("เฉพาะผู้ดูแลระบบประกันคุณภาพเท่านั้นที่เริ่มรอบปีใหม่ได้"))
        for source in queryset:
            try:
                report = cycle_start_from(source=source, year_be=source.year_be + 1)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            if report.changed:
                message = _(
                    "เริ่ม%(cycle)s แล้ว: ตัวบ่งชี้ %(indicators)s ผลการประเมิน %(assessments)s "
                    "หลักฐานรอยืนยัน %(items)s รายการ"
                ) % {"cycle": report.cycle, **report.counts}
                self.message_user(request, message, messages.SUCCESS)
            else:
                self.message_user(
                    request,
                    _("%(cycle)s มีครบแล้ว ไม่มีการเปลี่ยนแปลง") % {"cycle": report.cycle},
                    messages.INFO,
                )


class CriterionInline(TabularInline):
    model = Criterion
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ModelAdmin):
    list_display = ["number", "title", "kind", "cycle"]
    list_filter = ["cycle", "kind"]
    search_fields = ["number", "title"]
    inlines = [CriterionInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        # A criterion added here has its (empty) result in every assessment at once.
        for criterion in formset.new_objects:
            if isinstance(criterion, Criterion):
                criterion_results_complete(criterion=criterion)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # An output/outcome indicator saved without criteria gets its measure criterion.
        indicator_measure_criterion_ensure(indicator=form.instance)

    # Django's "Enter a valid JSON." has no Thai translation.
    formfield_overrides = {
        models.JSONField: {
            "error_messages": {
                "invalid": _("เขียนตารางคะแนนในรูปแบบ JSON เช่น [[1, 1], [2, 2], [3, 3]]")
            }
        }
    }


@admin.register(Criterion)
class CriterionAdmin(ModelAdmin):
    list_display = ["indicator", "order", "text"]
    list_filter = ["indicator__cycle"]
    search_fields = ["text", "indicator__title"]

    def save_model(self, request: HttpRequest, obj: Criterion, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            criterion_results_complete(criterion=obj)


class CriterionResultForm(AdminForm):
    """Only the narrative has a version in the app (met / not met is saved on its own):
    a narrative changed here is a new version, and whoever has the old one open in the
    app is told on saving instead of overwriting this change."""

    versioned_fields = ("narrative",)


class CriterionResultInline(SentStaysAsSentInline, StackedInline):
    model = CriterionResult
    form = CriterionResultForm
    extra = 0
    fields = ["criterion", "narrative", "met", "committee_met"]
    # The committee's view is recorded on the review page (criterion_result_committee_mark).
    readonly_fields = ["committee_met"]
    show_change_link = True


class TransitionInline(TabularInline):
    model = AssessmentTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "reason"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AssessmentTransition)
class AssessmentTransitionAdmin(ModelAdmin):
    """The workflow log is evidence of its own: readable, never edited by hand."""

    list_display = ["assessment", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status", "assessment__unit", "assessment__indicator__cycle"]
    search_fields = ["reason", "assessment__unit__name"]
    list_select_related = ["assessment__unit", "assessment__indicator__cycle", "by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(SentStaysAsSent, HistoryAdmin):
    list_display = ["unit", "indicator", "status", "target", "committee_score", "updated_at"]
    list_filter = ["status", "indicator__cycle", "unit", "indicator__kind"]
    search_fields = ["unit__name", "unit__evidence_prefix", "indicator__title"]
    list_select_related = ["unit", "indicator__cycle"]
    inlines = [CriterionResultInline, TransitionInline]
    fields = [
        "unit",
        "indicator",
        "status",
        "target",
        "result_value",
        "committee_score",
        "strengths",
        "improvements",
        "carried_over",
    ]
    # Status and the committee's score change only through the workflow services
    # (submit, return, approve, reopen), which log each step; a new one starts as a draft.
    readonly_fields = ["status", "committee_score"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Its results, criteria and evidence codes belong to this unit and indicator.
            fields += ["unit", "indicator"]
        return fields


@admin.register(CriterionResult)
class CriterionResultAdmin(SentStaysAsSent, HistoryAdmin):
    list_display = ["assessment", "criterion", "met", "committee_met", "updated_at"]
    list_filter = ["met", "assessment__indicator__cycle", "assessment__unit"]
    search_fields = ["narrative", "criterion__text", "assessment__unit__name"]
    list_select_related = ["assessment__unit", "assessment__indicator__cycle", "criterion"]
    form = CriterionResultForm
    readonly_fields = ["committee_met", "version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Its evidence codes are made of this assessment and criterion.
            fields += ["assessment", "criterion"]
        return fields

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "assessment":
            kwargs["queryset"] = Assessment.objects.editable().select_related(
                "unit", "indicator__cycle"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def sent_with(self, obj: CriterionResult) -> Assessment:
        return obj.assessment

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return [EvidenceItemInline]


@admin.register(ReportJob)
class ReportJobAdmin(ModelAdmin):
    """Background reports: started from the reports page, looked at (or deleted) here."""

    list_display = ["kind", "cycle", "status", "progress", "requested_by", "created_at"]
    list_filter = ["kind", "status", "cycle"]
    search_fields = ["filename", "requested_by__username"]
    list_select_related = ["cycle", "requested_by"]
    readonly_fields = [field.name for field in ReportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SarPart)
class SarPartAdmin(ModelAdmin):
    """The annual SAR's stored parts, laid out by the worker: looked at here, or deleted
    (the next SAR lays a deleted part out again)."""

    list_display = ["kind", "unit", "cycle", "assessment", "pages", "rendered_at", "queued_at"]
    list_filter = ["kind", "cycle"]
    search_fields = ["unit__name", "unit__evidence_prefix"]
    list_select_related = ["unit", "cycle", "assessment__indicator"]
    readonly_fields = [field.name for field in SarPart._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ModelAdmin):
    """What each user was told in the app: written by the workflow, looked at here."""

    list_display = ["recipient", "kind", "assessment", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "assessment__unit__name"]
    list_select_related = ["recipient", "assessment__unit", "assessment__indicator__cycle"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(ModelAdmin):
    """The reminders send_reminders mailed: one row per person, assessment and day."""

    list_display = ["recipient", "kind", "assessment", "day", "sent_at"]
    list_filter = ["kind", "day"]
    search_fields = ["recipient__username", "assessment__unit__name"]
    list_select_related = ["recipient", "assessment__unit", "assessment__indicator__cycle"]
    readonly_fields = [field.name for field in ReminderSent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
