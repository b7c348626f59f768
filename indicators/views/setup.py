"""The QA administrator's setup pages: cycles, each cycle's indicator set (copied from an
earlier cycle or edited by hand), indicators with their scoring rules, and criteria.

Only QA administrators (``Capability.SET_UP``) open them; anyone else gets 403. Every
write goes through indicators.services.cycles or .indicators, which check the same and
refuse (in Thai) what would break a unit's work.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from indicators.access import (
    check_can_set_up,
    get_criterion_for_setup,
    get_cycle_for_setup,
    get_indicator_for_setup,
)
from indicators.forms.setup import (
    CriterionForm,
    CriterionMoveForm,
    CycleForm,
    IndicatorForm,
    IndicatorSetCopyForm,
)
from indicators.http import AuthenticatedHttpRequest
from indicators.models import Cycle, Indicator
from indicators.services.cycles import cycle_save, indicator_set_copy
from indicators.services.indicators import (
    assessments_with_data,
    criterion_add,
    criterion_delete,
    criterion_move,
    criterion_update,
    indicator_delete,
    indicator_save,
)


def _cycle_url(cycle: Cycle) -> str:
    return reverse("indicators:setup_cycle", args=[cycle.pk])


def _indicator_url(indicator: Indicator) -> str:
    return reverse("indicators:setup_indicator", args=[indicator.pk])


def _refused(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_GET
def cycle_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_can_set_up(request.user)
    cycles = Cycle.objects.annotate(indicator_count=Count("indicators")).order_by("-start_date")
    return render(request, "indicators/setup/cycle_list.html", {"cycles": cycles})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_can_set_up(request.user)
    return _cycle_form(request, Cycle())


@login_required
@require_http_methods(["GET", "POST"])
def cycle_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _cycle_form(request, get_cycle_for_setup(request, pk))


def _cycle_form(request: AuthenticatedHttpRequest, cycle: Cycle) -> HttpResponse:
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            saved = cycle_save(cycle=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("บันทึก%(cycle)sแล้ว") % {"cycle": saved})
            return redirect(_cycle_url(saved))
    return render(request, "indicators/setup/cycle_form.html", {"form": form, "cycle": cycle})


@login_required
@require_GET
def cycle_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The cycle's indicator set, with the ways to fill it."""
    cycle = get_cycle_for_setup(request, pk)
    indicators = cycle.indicators.annotate(
        criteria_count=Count("criteria", distinct=True),
        assessment_count=Count("assessments", distinct=True),
    )
    context = {
        "cycle": cycle,
        "indicators": indicators,
        "copy_form": IndicatorSetCopyForm(cycle=cycle),
    }
    return render(request, "indicators/setup/cycle.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_set_copy_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_setup(request, pk)
    form = IndicatorSetCopyForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        try:
            report = indicator_set_copy(source=source, cycle=cycle, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if report.changed:
                message = _("คัดลอกจาก%(source)sแล้ว: ตัวบ่งชี้ %(indicators)s เกณฑ์ %(criteria)s ข้อ") % {
                    "source": source,
                    **report.counts,
                }
                messages.success(request, message)
            else:
                messages.info(
                    request,
                    _("รอบปีนี้มีตัวบ่งชี้และเกณฑ์ของ%(source)sครบแล้ว ไม่มีการเปลี่ยนแปลง") % {"source": source},
                )
            return redirect(_cycle_url(cycle))
    return render(
        request, "indicators/setup/indicator_set_copy.html", {"cycle": cycle, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_setup(request, pk)
    return _indicator_form(request, Indicator(cycle=cycle))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An indicator's scoring rule and its criteria."""
    return _indicator_form(request, get_indicator_for_setup(request, pk))


def _indicator_form(request: AuthenticatedHttpRequest, indicator: Indicator) -> HttpResponse:
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            saved = indicator_save(indicator=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("บันทึกตัวบ่งชี้ที่ %(number)s แล้ว") % {"number": saved.number})
            return redirect(_indicator_url(saved))
    context = {
        "form": form,
        "indicator": indicator,
        "cycle": indicator.cycle,
        "criteria": indicator.criteria.all() if indicator.pk else [],
        "criterion_form": CriterionForm(),
        "written": assessments_with_data(indicator).exists() if indicator.pk else False,
    }
    return render(request, "indicators/setup/indicator.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_setup(request, pk)
    if request.method == "POST":
        try:
            indicator_delete(indicator=indicator, by=request.user)
        except ValidationError as error:
            _refused(request, error)
            return redirect(_indicator_url(indicator))
        messages.success(request, _("ลบตัวบ่งชี้ที่ %(number)s แล้ว") % {"number": indicator.number})
        return redirect(_cycle_url(indicator.cycle))
    context = {
        "indicator": indicator,
        "cycle": indicator.cycle,
        "assessment_count": indicator.assessments.count(),
        "written": list(assessments_with_data(indicator)),
    }
    return render(request, "indicators/setup/indicator_delete.html", context)


@login_required
@require_POST
def criterion_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_setup(request, pk)
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            criterion = criterion_add(
                indicator=indicator, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("เพิ่มเกณฑ์ข้อ %(order)s แล้ว") % {"order": criterion.order})
    else:
        for message in form.errors.get("text", []):
            messages.error(request, str(message))
    return redirect(_indicator_url(indicator))


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion_for_setup(request, pk)
    form = CriterionForm(request.POST or None, initial={"text": criterion.text})
    if request.method == "POST" and form.is_valid():
        try:
            criterion_update(criterion=criterion, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("บันทึกเกณฑ์ข้อ %(order)s แล้ว") % {"order": criterion.order})
            return redirect(_indicator_url(criterion.indicator))
    context = {
        "form": form,
        "criterion": criterion,
        "indicator": criterion.indicator,
        "cycle": criterion.indicator.cycle,
    }
    return render(request, "indicators/setup/criterion_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion_for_setup(request, pk)
    indicator = criterion.indicator
    if request.method == "POST":
        try:
            criterion_delete(criterion=criterion, by=request.user)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("ลบเกณฑ์ข้อ %(order)s แล้ว") % {"order": criterion.order})
        return redirect(_indicator_url(indicator))
    context = {
        "criterion": criterion,
        "indicator": indicator,
        "cycle": indicator.cycle,
        "written": list(assessments_with_data(indicator)),
    }
    return render(request, "indicators/setup/criterion_delete.html", context)


@login_required
@require_POST
def criterion_move_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion_for_setup(request, pk)
    form = CriterionMoveForm(request.POST)
    if form.is_valid():
        try:
            criterion_move(
                criterion=criterion, up=form.cleaned_data["direction"] == "up", by=request.user
            )
        except ValidationError as error:
            _refused(request, error)
    else:
        messages.error(request, _("ทิศทางที่เลือกไม่ถูกต้อง"))
    return redirect(_indicator_url(criterion.indicator))
