"""Pages for the records a unit's narrative speaks of: meetings and their agenda,
people and target groups, KM activities, knowledge topics and their renames.

Members of the unit edit; QA officers see the same pages read-only (a write
answers 403); anyone else gets 404, all through the access helpers. Every kind of
record is added and edited the same way: a RecordKind says what differs.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from evidence.access import get_evidence_item_for_user, get_unit_record_for_user
from evidence.forms.agenda import agenda_formset_class
from evidence.forms.records import (
    ActivityForm,
    ItemLinksForm,
    KnowledgeTopicForm,
    MeetingForm,
    PersonForm,
    TargetGroupForm,
    TopicRenameForm,
    UnitRecordForm,
)
from evidence.models import (
    Activity,
    EvidenceItem,
    KnowledgeTopic,
    Meeting,
    Person,
    TargetGroup,
)
from evidence.services.items import evidence_item_set_links
from evidence.services.records import (
    knowledge_topic_rename,
    unit_record_delete,
    unit_record_save,
)
from indicators.access import AssessmentAccess, Capability, UnitAccess, get_unit_for_user
from indicators.http import AuthenticatedHttpRequest, safe_next_url
from indicators.locking import StaleEditError, refused_if_locked
from indicators.models import Unit
from indicators.versioning import resave_data, stale_rows

# Evidence codes in the order the SAR prints them.
CODE_ORDER = [
    "result__assessment__indicator__cycle__start_date",
    "result__assessment__indicator__sort_key",
    "result__criterion__order",
    "position",
]
GET_POST = ["GET", "POST"]
ViewFunction = Callable[[AuthenticatedHttpRequest, int], HttpResponse]
R = TypeVar("R", Meeting, Person, TargetGroup, Activity, KnowledgeTopic)


def _citing_items() -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.with_code_parts().order_by(*CODE_ORDER)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _need(request: HttpRequest) -> Capability | None:
    """Anyone who may see a record opens its page; only those who may edit post to it."""
    return Capability.EDIT if request.method == "POST" else None


def _page(
    request: HttpRequest,
    template: str,
    access: UnitAccess | AssessmentAccess,
    unit: Unit,
    **context: Any,
) -> HttpResponse:
    context.update(unit=unit, access=access)
    return render(request, f"evidence/records/{template}", context)


# Adding and editing a record --------------------------------------------------


def _nothing_below(record: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    """One kind of record, as its add and edit pages show it."""

    model: type[R]
    form_class: type[UnitRecordForm]
    template: str  # under templates/evidence/records/
    back: str  # the URL name of the list a save returns to
    below: Callable[[R], dict[str, Any]] = _nothing_below  # shown under the edit form
    agenda: bool = False  # a meeting's agenda, edited on the same page


def _record_page(
    request: HttpRequest, kind: RecordKind[R], access: UnitAccess, record: R | None
) -> HttpResponse:
    """Adds or edits one record (a meeting with its agenda); read-only for those who may
    only look. A save over someone else's newer one is refused with both shown."""
    unit, data = access.unit, _data(request)
    form, agenda = _record_forms(kind, access, record, data)
    context = kind.below(record) if record else {}
    if request.method == "POST" and form.is_valid() and (agenda is None or agenda.is_valid()):
        try:
            saved = unit_record_save(form=form, agenda=agenda, version=form.cleaned_data["version"])
        except StaleEditError as stale:
            context["stale"] = stale_rows(
                form, stale.current, extra=agenda.stale_rows(stale.current) if agenda else ()
            )
            form, agenda = _record_forms(kind, access, record, resave_data(data, stale.current))
        else:
            messages.success(request, _("บันทึก “%(record)s” แล้ว") % {"record": saved})
            return redirect(kind.back, unit.pk)
    if not access.can_edit:
        form.make_read_only()
        for agenda_form in agenda or []:
            for field in agenda_form.fields.values():
                field.disabled = True
    return _page(
        request, kind.template, access, unit, form=form, agenda=agenda, record=record, **context
    )


def _record_forms(
    kind: RecordKind, access: UnitAccess, record: Model | None, data: Any
) -> tuple[UnitRecordForm, Any]:
    form = kind.form_class(data, instance=record, unit=access.unit)
    agenda = None
    if kind.agenda:
        formset = agenda_formset_class(editable=access.can_edit)
        agenda = formset(data, instance=form.instance, prefix="agenda")
    return form, agenda


def _add_view(kind: RecordKind) -> ViewFunction:
    """The page that adds a record of this kind to a unit: for its members only."""

    @login_required
    @require_http_methods(GET_POST)
    def add(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
        access = get_unit_for_user(request, unit_pk, need=Capability.EDIT)
        return _record_page(request, kind, access, None)

    return add


def _edit_view(kind: RecordKind[R]) -> ViewFunction:
    """The page of one record of this kind: edited by members, read by QA officers."""

    @login_required
    @require_http_methods(GET_POST)
    def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        record, access = get_unit_record_for_user(request, kind.model, pk, need=_need(request))
        return _record_page(request, kind, access, record)

    return edit


MEETING = RecordKind(
    Meeting,
    MeetingForm,
    "meeting_form.html",
    back="evidence:meeting_list",
    below=lambda meeting: {"citing": _citing_items().filter(meeting=meeting)},
    agenda=True,
)
PERSON = RecordKind(Person, PersonForm, "person_form.html", back="evidence:people")
TARGET_GROUP = RecordKind(
    TargetGroup, TargetGroupForm, "target_group_form.html", back="evidence:people"
)
ACTIVITY = RecordKind(
    Activity,
    ActivityForm,
    "activity_form.html",
    back="evidence:activity_list",
    below=lambda activity: {"citing": _citing_items().filter(activity=activity)},
)
TOPIC = RecordKind(
    KnowledgeTopic,
    KnowledgeTopicForm,
    "topic_form.html",
    back="evidence:topic_list",
    below=lambda topic: {"renames": topic.renames.select_related("meeting")},
)


def _delete_page(
    request: AuthenticatedHttpRequest,
    record: Meeting | Activity,
    access: UnitAccess,
    *,
    back: str,
) -> HttpResponse:
    refused = None
    if request.method == "POST":
        label = str(record)
        try:
            unit_record_delete(record=record, by=request.user)
        except ValidationError as error:
            refused = " ".join(error.messages)
        else:
            messages.success(request, _("ลบ “%(record)s” แล้ว") % {"record": label})
            return redirect(back, record.unit_id)
    citing = record.evidence_items.count()
    context = {"record": record, "citing": citing, "refused": refused}
    return _page(request, "confirm_delete.html", access, access.unit, **context)


@login_required
@require_GET
def records(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    access = get_unit_for_user(request, unit_pk)
    unit = access.unit
    # One count per table: a single aggregate over five joins multiplies the rows.
    counts = {
        "meetings": Meeting.objects.filter(unit=unit).count(),
        "people": Person.objects.filter(unit=unit).count(),
        "target_groups": TargetGroup.objects.filter(unit=unit).count(),
        "activities": Activity.objects.filter(unit=unit).count(),
        "topics": KnowledgeTopic.objects.filter(unit=unit).count(),
    }
    return _page(request, "overview.html", access, unit, counts=counts)


# Meetings ---------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    access = get_unit_for_user(request, unit_pk)
    meetings = (
        Meeting.objects.filter(unit=access.unit)
        .select_related("minutes")
        .prefetch_related("agenda", Prefetch("evidence_items", queryset=_citing_items()))
    )
    return _page(request, "meeting_list.html", access, access.unit, meetings=meetings)


meeting_add, meeting_edit = _add_view(MEETING), _edit_view(MEETING)


@login_required
@require_http_methods(GET_POST)
def meeting_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, access = get_unit_record_for_user(request, Meeting, pk, need=Capability.EDIT)
    return _delete_page(request, meeting, access, back="evidence:meeting_list")


# People and target groups -----------------------------------------------------


@login_required
@require_GET
def people(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    access = get_unit_for_user(request, unit_pk)
    groups = (
        TargetGroup.objects.filter(unit=access.unit)
        .select_related("cycle")
        .prefetch_related("members")
        .order_by("-cycle__start_date", "name")
    )
    persons = Person.objects.filter(unit=access.unit).prefetch_related("target_groups")
    return _page(request, "people.html", access, access.unit, groups=groups, persons=persons)


person_add, person_edit = _add_view(PERSON), _edit_view(PERSON)
target_group_add, target_group_edit = _add_view(TARGET_GROUP), _edit_view(TARGET_GROUP)


# KM activities ----------------------------------------------------------------


@login_required
@require_GET
def activity_list(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    access = get_unit_for_user(request, unit_pk)
    activities = (
        Activity.objects.filter(unit=access.unit)
        .select_related("topic")
        .prefetch_related("attendees", Prefetch("evidence_items", queryset=_citing_items()))
    )
    return _page(request, "activity_list.html", access, access.unit, activities=activities)


activity_add, activity_edit = _add_view(ACTIVITY), _edit_view(ACTIVITY)


@login_required
@require_http_methods(GET_POST)
def activity_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity, access = get_unit_record_for_user(request, Activity, pk, need=Capability.EDIT)
    return _delete_page(request, activity, access, back="evidence:activity_list")


# Knowledge topics -------------------------------------------------------------


@login_required
@require_GET
def topic_list(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    access = get_unit_for_user(request, unit_pk)
    topics = (
        KnowledgeTopic.objects.filter(unit=access.unit)
        .select_related("cycle", "target_group", "good_practice")
        .prefetch_related("renames__meeting")
        .annotate(activity_count=Count("activities"))
        .order_by("-cycle__start_date", "title")
    )
    return _page(request, "topic_list.html", access, access.unit, topics=topics)


topic_add, topic_edit = _add_view(TOPIC), _edit_view(TOPIC)


@login_required
@require_http_methods(GET_POST)
def topic_rename(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    topic, access = get_unit_record_for_user(request, KnowledgeTopic, pk, need=Capability.EDIT)
    form = TopicRenameForm(_data(request), topic=topic)
    if request.method == "POST" and form.is_valid():
        previous = topic.title
        try:
            knowledge_topic_rename(topic=topic, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("เปลี่ยนชื่อประเด็นความรู้จาก “%(old)s” เป็น “%(new)s” แล้ว")
                % {"old": previous, "new": topic.title},
            )
            return redirect(topic)
    return _page(request, "topic_rename.html", access, topic.unit, form=form, record=topic)


# Evidence item ↔ meeting / activity ---------------------------------------------


@login_required
@require_http_methods(GET_POST)
def item_links(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item, access = get_evidence_item_for_user(request, pk, need=_need(request))
    unit = access.assessment.unit
    form = ItemLinksForm(_data(request), instance=item, unit=unit)
    saved = request.method == "POST" and form.is_valid()
    context: dict[str, Any] = {"item": item}
    if saved:
        try:
            with refused_if_locked():
                evidence_item_set_links(item=item, **form.cleaned_data)
        except StaleEditError as stale:
            saved = False
            # The user's choices stay selected, the saved ones beside them.
            context.update(item=_chosen(item, form), stale=stale_rows(form, stale.current))
            form = ItemLinksForm(resave_data(request.POST, stale.current), instance=item, unit=unit)
        if saved and not request.htmx:
            messages.success(request, _("บันทึกการเชื่อมโยงของ %(code)s แล้ว") % {"code": item.code})
            return redirect(safe_next_url(request) or reverse("evidence:item_links", args=[pk]))
        if saved:  # the next change starts from this save's version
            form = ItemLinksForm(None, instance=item, unit=unit)
    context.update(
        form=form,
        saved=saved,
        meetings=form.meetings,
        activities=form.activities,
        can_write=access.can_edit,
        next=safe_next_url(request),
    )
    if request.htmx:
        return render(request, "evidence/_item_links.html", context)
    return _page(request, "item_links.html", access, unit, **context)


def _chosen(item: EvidenceItem, form: ItemLinksForm) -> EvidenceItem:
    """The item as the user chose it (not saved), for the selects to show."""
    shown = copy.copy(item)
    shown.meeting, shown.activity = form.cleaned_data["meeting"], form.cleaned_data["activity"]
    return shown
