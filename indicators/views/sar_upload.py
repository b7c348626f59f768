"""Importing the SAR page from a Word or text file: upload, preview beside what the app
holds, then confirm (indicators.services.sar_upload)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from indicators.access import AssessmentAccess, Capability, get_assessment_for_user
from indicators.forms.sar_upload import SarConfirmForm, SarUploadForm
from indicators.http import AuthenticatedHttpRequest
from indicators.locking import StaleEditError, refused_if_locked
from indicators.sar_docx import SarFileError
from indicators.services.sar_upload import (
    SarUpload,
    sar_upload_confirm,
    sar_upload_preview,
    sar_upload_read,
)


def _preview(access: AssessmentAccess, upload: SarUpload) -> dict[str, Any]:
    preview = sar_upload_preview(assessment=access.assessment, upload=upload)
    confirm = SarConfirmForm.carrying(
        assessment_pk=access.assessment.pk, upload=upload, fingerprint=preview.fingerprint
    )
    may_write = preview.changed and (access.can_set_up or not preview.set_up_changes)
    return {"preview": preview, "confirm": confirm if may_write else None}


def _confirm(request: AuthenticatedHttpRequest, access: AssessmentAccess) -> dict[str, Any]:
    """Writes what the preview showed; after someone else's save, the fresh preview."""
    confirm = SarConfirmForm(request.POST, assessment_pk=access.assessment.pk)
    if not confirm.is_valid():
        raise SarFileError(" ".join(str(error) for error in confirm.errors.get("payload", [])))
    upload, fingerprint = confirm.cleaned_data["payload"]
    try:
        with refused_if_locked():
            report = sar_upload_confirm(
                assessment=access.assessment,
                upload=upload,
                fingerprint=fingerprint,
                by=request.user,
            )
    except StaleEditError:
        return {**_preview(access, upload), "stale": True}
    done = _("นำเข้าจากไฟล์แล้ว: สร้างใหม่ %(created)s แก้ไข %(updated)s คงเดิม %(unchanged)s รายการ")
    messages.success(request, done % report.counts)
    return {"done": True}


@login_required
@require_http_methods(["GET", "POST"])
def sar_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the upload form. POST a file: what it holds beside what the app holds. POST
    the confirmation: the import, then back to the indicator page."""
    access = get_assessment_for_user(request, pk, need=Capability.IMPORT_SAR)
    context: dict[str, Any] = {"assessment": access.assessment, "access": access}
    uploaded = request.method == "POST" and "confirm" not in request.POST
    form = SarUploadForm(request.POST, request.FILES) if uploaded else SarUploadForm()
    context["form"] = form
    try:
        if request.method == "POST" and not uploaded:
            context.update(_confirm(request, access))
            if context.get("done"):
                return redirect(access.assessment)
        elif uploaded and form.is_valid():
            context.update(_preview(access, sar_upload_read(data=form.cleaned_data["file"])))
    except SarFileError as error:
        context["error"] = str(error)
    return render(request, "indicators/sar_upload.html", context)
