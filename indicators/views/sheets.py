"""The QA administrator's imports from Excel: a cycle's indicator set, units and accounts.

Each page offers its template workbook and an upload; an upload is only previewed, and
the confirmation (which carries the same file back) writes it, all or nothing."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from indicators.access import check_can_set_up
from indicators.forms.sheets import SheetConfirmForm, SheetUploadForm
from indicators.http import AuthenticatedHttpRequest
from indicators.models import Cycle, Unit
from indicators.services.accounts.imports import accounts_import, accounts_preview
from indicators.services.accounts.workbook import accounts_template
from indicators.services.indicator_sets.imports import indicator_set_import, indicator_set_preview
from indicators.services.indicator_sets.workbook import indicator_set_template
from indicators.sheets import XLSX_CONTENT_TYPE, SheetError


def _workbook(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


def _import_page(
    request: AuthenticatedHttpRequest,
    *,
    template: str,
    context: dict[str, Any],
    preview: Callable[[bytes], Any],
    apply: Callable[[bytes], Any],
    done: Callable[[Any], str],
) -> HttpResponse:
    """GET: the upload form. POST a file: its preview (or every refused row). POST the
    confirmation: the import, then back here with what was done."""
    upload = SheetUploadForm()
    page: dict[str, Any] = {**context, "form": upload}
    if request.method == "POST" and "confirm" in request.POST:
        confirm = SheetConfirmForm(request.POST)
        if confirm.is_valid():
            try:
                result = apply(confirm.cleaned_data["sheet"])
            except SheetError as error:
                page["error"] = error
            else:
                messages.success(request, done(result))
                return redirect(request.path)
        else:
            page["error"] = SheetError(_("ข้อมูลไฟล์เสียหาย กรุณาอัปโหลดใหม่"))
    elif request.method == "POST":
        upload = SheetUploadForm(request.POST, request.FILES)
        page["form"] = upload
        if upload.is_valid():
            data = upload.cleaned_data["file"]
            try:
                page["plan"] = preview(data)
            except SheetError as error:
                page["error"] = error
            else:
                page["confirm"] = SheetConfirmForm.carrying(data)
    return render(request, template, page)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_set_import_page(request: AuthenticatedHttpRequest, cycle_pk: int) -> HttpResponse:
    check_can_set_up(request.user)
    cycle = get_object_or_404(Cycle, pk=cycle_pk)

    def done(plan: Any) -> str:
        counts = plan.counts
        return (
            _("นำเข้าตัวบ่งชี้แล้ว: สร้างใหม่ %(create)s แก้ไข %(update)s คงเดิม %(unchanged)s ตัวบ่งชี้")
            % counts
        )

    return _import_page(
        request,
        template="indicators/sheets/indicator_set_import.html",
        context={"cycle": cycle, "indicators": cycle.indicators.annotate(Count("criteria"))},
        preview=lambda data: indicator_set_preview(cycle=cycle, data=data),
        apply=lambda data: indicator_set_import(cycle=cycle, data=data),
        done=done,
    )


@login_required
@require_GET
def indicator_set_template_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_can_set_up(request.user)
    return _workbook(indicator_set_template(), _("แบบฟอร์มนำเข้าตัวบ่งชี้.xlsx"))


@login_required
@require_http_methods(["GET", "POST"])
def accounts_import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_can_set_up(request.user)

    def done(plan: Any) -> str:
        counts = plan.counts
        return (
            _(
                "นำเข้าแล้ว: หน่วยงานใหม่ %(units_create)s แก้ไข %(units_update)s, "
                "ผู้ใช้ใหม่ %(users_create)s (ส่งอีเมลตั้งรหัสผ่านแล้ว) แก้ไข %(users_update)s"
            )
            % counts
        )

    units = Unit.objects.select_related("parent").annotate(Count("memberships"))
    return _import_page(
        request,
        template="indicators/sheets/accounts_import.html",
        context={"units": units},
        preview=lambda data: accounts_preview(data=data),
        apply=lambda data: accounts_import(data=data),
        done=done,
    )


@login_required
@require_GET
def accounts_template_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_can_set_up(request.user)
    return _workbook(accounts_template(), _("แบบฟอร์มนำเข้าหน่วยงานและผู้ใช้.xlsx"))
