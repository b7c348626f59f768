"""What happened to my indicators: returned, commented on, approved (newest first)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from indicators.http import AuthenticatedHttpRequest
from indicators.models import Notification
from indicators.services.notifications import notifications_mark_all_read

PAGE_SIZE = 50


@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient=request.user).select_related(
        "assessment__unit", "assessment__indicator"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "indicators/notifications.html", {"page": page})


@login_required
@require_POST
def notification_mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("ทำเครื่องหมายว่าอ่านแล้ว %(count)d รายการ") % {"count": count})
    return redirect("indicators:notifications")
