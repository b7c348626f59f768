"""Evidence under a criterion: add, caption, replace, move, remove.

Every action answers htmx with the criterion's whole evidence list, so codes
renumbered by a move or a removal show at once; without htmx it redirects back.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence.access import get_evidence_item_for_user
from evidence.forms.items import ADD_FORMS, CaptionForm, LibraryEvidenceForm, ReplaceFileForm
from evidence.models import EvidenceItem
from evidence.services.items import (
    NewUpload,
    evidence_item_add,
    evidence_item_move,
    evidence_item_remove,
    evidence_item_replace_document,
    evidence_item_set_caption,
    evidence_items_add_uploads,
)
from indicators.access import AssessmentAccess, Capability, get_criterion_result_for_user
from indicators.http import AuthenticatedHttpRequest
from indicators.locking import StaleEditError, refused_if_locked
from indicators.models import CriterionResult
from indicators.versioning import resave_data, stale_rows


def _render_list(
    request: HttpRequest, access: AssessmentAccess, result: CriterionResult, **extra: Any
) -> HttpResponse:
    items = EvidenceItem.objects.select_related("document", "meeting", "activity").order_by(
        "position"
    )
    if hasattr(result, "_prefetched_objects_cache"):
        result._prefetched_objects_cache.pop("evidence_items", None)
    prefetch_related_objects([result], Prefetch("evidence_items", queryset=items))
    context = {"result": result, "access": access}
    return render(request, "indicators/_evidence_list.html", {**context, **extra})


def _back(result: CriterionResult) -> HttpResponse:
    return redirect(f"{result.assessment.get_absolute_url()}#criterion-{result.pk}")


def _add_form(kind: str, result: CriterionResult, *args: Any) -> Any:
    # Ids unique on a page that shows the forms of several criteria.
    options: dict[str, Any] = {"auto_id": f"add-{result.pk}-{kind}-%s"}
    if ADD_FORMS[kind] is LibraryEvidenceForm:
        options["unit"] = result.assessment.unit
    return ADD_FORMS[kind](*args, **options)


@login_required
@require_GET
def result_evidence(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The evidence list of one criterion (htmx refresh, e.g. after cancelling an edit).

    The focus goes back to the item whose editing was cancelled (``?item=``), else to
    the add button whose form was closed.
    """
    result, access = get_criterion_result_for_user(request, pk)
    item = request.GET.get("item", "")
    if item.isdigit():
        return _render_list(request, access, result, focus_pk=int(item))
    return _render_list(request, access, result, focus_add=True)


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Adds an item under a criterion result: an uploaded file, a link or a library document."""
    result, access = get_criterion_result_for_user(request, pk, need=Capability.EDIT)
    kind = request.POST.get("kind") or request.GET.get("kind") or "upload"
    kind = kind if kind in ADD_FORMS else "upload"
    add_forms = {name: _add_form(name, result) for name in ADD_FORMS}
    if request.method == "POST":
        form = _add_form(kind, result, request.POST, request.FILES)
        if form.is_valid():
            with refused_if_locked():
                item, note = _add(kind, result=result, data=form.cleaned_data, by=request.user)
            if not request.htmx:
                messages.success(request, note)
                return _back(result)
            return _render_list(request, access, result, note=note, focus_pk=item.pk)
        add_forms[kind] = form
    extra = {"add_forms": add_forms, "add_kind": kind}
    if request.htmx:
        return _render_list(request, access, result, **extra)
    return render(request, "evidence/item_add.html", {"result": result, **extra})


def _add(
    kind: str, *, result: CriterionResult, data: dict[str, Any], by: Any
) -> tuple[EvidenceItem, str]:
    """Calls the service for the kind of item; returns the (first) item added and the
    Thai note for the user."""
    if kind == "upload":
        uploads = [NewUpload(*upload) for upload in data["uploads"]]
        added = evidence_items_add_uploads(result=result, uploads=uploads, by=by)
        return added[0][0], _uploads_note(added)
    if kind == "link":
        item = evidence_item_add(result=result, caption=data["caption"], url=data["url"])
    else:
        item = evidence_item_add(result=result, caption=data["caption"], document=data["document"])
    return item, _("เพิ่มหลักฐาน %(code)s แล้ว") % {"code": item.code}


def _uploads_note(added: list[tuple[EvidenceItem, bool]]) -> str:
    """What the upload added; files already in the library are cited, not stored twice."""
    codes = ", ".join(item.code for item, _created in added)
    note = _("เพิ่มหลักฐาน %(code)s แล้ว") % {"code": codes}
    known = [item.code for item, created in added if not created]
    if len(added) == 1 and known:
        return _("ไฟล์นี้มีอยู่ในคลังเอกสารของหน่วยงานแล้ว จึงอ้างอิงไฟล์เดิมเป็น %(code)s") % {"code": known[0]}
    if known:
        already = _("ไฟล์ของ %(codes)s มีอยู่ในคลังเอกสารของหน่วยงานแล้ว จึงอ้างอิงไฟล์เดิม") % {
            "codes": ", ".join(known)
        }
        note = f"{note} {already}"
    return note


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Edits an item's caption in place, refusing to overwrite a newer save."""
    item, access = get_evidence_item_for_user(request, pk, need=Capability.EDIT)
    form = CaptionForm(request.POST or None, instance=item, auto_id=f"item-{item.pk}-%s")
    extra: dict[str, Any] = {"editing_pk": item.pk}
    if request.method == "POST" and form.is_valid():
        try:
            with refused_if_locked():
                evidence_item_set_caption(item=item, **form.cleaned_data)
        except StaleEditError as stale:
            # The user's caption stays in the box, the saved one beside it.
            extra["stale"] = stale_rows(form, stale.current)
            data = resave_data(request.POST, stale.current)
            form = CaptionForm(data, instance=item, auto_id=f"item-{item.pk}-%s")
        else:
            note = _("แก้ไข %(code)s แล้ว") % {"code": item.code}
            if not request.htmx:
                messages.success(request, note)
                return _back(item.result)
            return _render_list(request, access, item.result, note=note, focus_pk=item.pk)
    extra["caption_form"] = form
    if request.htmx:
        return _render_list(request, access, item.result, **extra)
    context = {"result": item.result, "item": item, **extra}
    return render(request, "evidence/item_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_replace(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Uploads a new file for an item (e.g. one the reviewer asked to fix); the code stays."""
    item = get_evidence_item_for_user(request, pk, need=Capability.EDIT)[0]
    form = ReplaceFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refused_if_locked():
            evidence_item_replace_document(
                item=item,
                upload=form.cleaned_data["file"],
                content_type=form.cleaned_data["content_type"],
                by=request.user,
            )
        messages.success(request, _("แทนที่ไฟล์ของ %(code)s แล้ว") % {"code": item.code})
        return _back(item.result)
    context = {"result": item.result, "item": item, "form": form}
    return render(request, "evidence/item_replace.html", context)


@login_required
@require_POST
def item_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Moves an item one place up or down (or to the top or bottom); codes follow."""
    item, access = get_evidence_item_for_user(request, pk, need=Capability.EDIT)
    steps = {"up": item.position - 1, "down": item.position + 1, "first": 1, "last": 10_000}
    to_position = steps.get(request.POST.get("direction", ""))
    if to_position is None:
        return HttpResponse(status=400)
    with refused_if_locked():
        rewritten = evidence_item_move(item=item, to_position=to_position, by=request.user)
    note = _followed_note(rewritten)
    if not request.htmx:
        if note:
            messages.success(request, note)
        return _back(item.result)
    return _render_list(request, access, item.result, moved_pk=item.pk, note=note)


@login_required
@require_POST
def item_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Removes an item; the document stays in the unit's library for other citations."""
    item, access = get_evidence_item_for_user(request, pk, need=Capability.EDIT)
    result, code = item.result, item.code
    with refused_if_locked():
        rewritten = evidence_item_remove(item=item, by=request.user)
    note = _("ลบ %(code)s แล้ว รายการที่เหลือเลื่อนลำดับให้ต่อเนื่อง") % {"code": code}
    if rewritten:
        note = f"{note} {_followed_note(rewritten)}"
    if not request.htmx:
        messages.success(request, note)
        return _back(result)
    return _render_list(request, access, result, note=note)


def _followed_note(rewritten: int) -> str:
    """Tells the user that texts on the page changed under them (the page still shows
    the old narratives until it is reloaded)."""
    if not rewritten:
        return ""
    return ngettext(
        "ปรับรหัสหลักฐานที่อ้างถึงใน %(n)s ข้อความให้ตามไปแล้ว โหลดหน้าใหม่เพื่อดูข้อความล่าสุด",
        "ปรับรหัสหลักฐานที่อ้างถึงใน %(n)s ข้อความให้ตามไปแล้ว โหลดหน้าใหม่เพื่อดูข้อความล่าสุด",
        rewritten,
    ) % {"n": rewritten}
