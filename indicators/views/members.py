"""A unit's members and their roles, managed by the QA administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from indicators.access import check_can_set_up
from indicators.forms.members import MembershipAddForm, MembershipRoleForm
from indicators.http import AuthenticatedHttpRequest
from indicators.models import Membership, Unit
from indicators.services.accounts.mail import send_set_password_mails
from indicators.services.accounts.memberships import (
    membership_add,
    membership_remove,
    membership_set_role,
)


@login_required
@require_http_methods(["GET", "POST"])
def unit_members(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check_can_set_up(request.user)
    unit = get_object_or_404(Unit, pk=pk)
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = membership_add(unit=unit, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("เพิ่ม %(user)s เข้าหน่วยงานแล้ว") % {"user": membership.user})
            return redirect("indicators:unit_members", pk=unit.pk)
    memberships = unit.memberships.select_related("user").order_by(
        "user__first_name", "user__username"
    )
    context = {
        "unit": unit,
        "form": form,
        "memberships": memberships,
        "roles": Membership.Role.choices,
    }
    return render(request, "indicators/sheets/unit_members.html", context)


@login_required
@require_POST
def membership_role(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check_can_set_up(request.user)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        membership_set_role(membership=membership, role=form.cleaned_data["role"])
        messages.success(request, _("เปลี่ยนบทบาทของ %(user)s แล้ว") % {"user": membership.user})
    else:
        messages.error(request, _("บทบาทไม่ถูกต้อง"))
    return redirect("indicators:unit_members", pk=membership.unit_id)


@login_required
@require_POST
def membership_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check_can_set_up(request.user)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    unit_id = membership.unit_id
    membership_remove(membership=membership)
    messages.success(request, _("นำ %(user)s ออกจากหน่วยงานแล้ว") % {"user": membership.user})
    return redirect("indicators:unit_members", pk=unit_id)


@login_required
@require_POST
def membership_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mails the member a new link to set a password (the first one may have expired)."""
    check_can_set_up(request.user)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    user = membership.user
    if user.is_active and user.email and send_set_password_mails([user]):
        messages.success(request, _("ส่งลิงก์ตั้งรหัสผ่านไปที่ %(email)s แล้ว") % {"email": user.email})
    else:
        messages.error(request, _("ส่งลิงก์ไม่ได้: บัญชีนี้ไม่มีอีเมลหรือถูกระงับการใช้งาน"))
    return redirect("indicators:unit_members", pk=membership.unit_id)
