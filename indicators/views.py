"""The staff's pages: my work, a unit's indicators, and the indicator page itself."""

import copy
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence.models import EvidenceItem

from . import services
from .access import (
    assessment_actions,
    edit_block_reason,
    get_assessment_for_user,
    get_criterion_result_for_user,
    get_unit_for_user,
    visible_units,
)
from .forms import AssessmentDetailsForm, MetForm, NarrativeForm
from .models import Assessment, CriterionResult, Cycle, Unit
from .notifications import pending_items_for
from .review_views import attach_review


def _assessment_rows(units: list[Unit], cycle: Cycle | None) -> QuerySet[Assessment]:
    """The units' assessments of the cycle, with what the tables show, in one query."""
    return (
        Assessment.objects.filter(unit__in=units, indicator__cycle=cycle)
        .select_related("unit", "indicator")
        .with_met_count()
        .annotate(criteria_total=Count("indicator__criteria", distinct=True))
        .order_by("unit__name", "indicator__sort_key")
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    cycle = Cycle.objects.current()
    units = list(visible_units(request.user).order_by("name"))
    by_unit: dict[int, list[Assessment]] = {unit.pk: [] for unit in units}
    for assessment in _assessment_rows(units, cycle):
        by_unit[assessment.unit_id].append(assessment)
    rows = [(unit, by_unit[unit.pk]) for unit in units]
    context = {"cycle": cycle, "rows": rows, "pending": pending_items_for(request.user)}
    return render(request, "indicators/home.html", context)


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request, pk)
    cycles = list(Cycle.objects.filter(indicators__assessments__unit=unit).distinct())
    cycle_pk = request.GET.get("cycle")
    if cycle_pk:
        if not cycle_pk.isdigit():
            raise Http404
        cycle = get_object_or_404(Cycle, pk=int(cycle_pk))
    else:
        cycle = Cycle.objects.current()
    context = {
        "unit": unit,
        "cycle": cycle,
        "cycles": cycles,
        "assessments": list(_assessment_rows([unit], cycle)),
    }
    return render(request, "indicators/unit.html", context)


def _with_results(assessment: Assessment) -> Assessment:
    """Loads criteria, results, evidence items and documents in three queries."""
    items = EvidenceItem.objects.select_related("document", "meeting", "activity").order_by(
        "position"
    )
    results = CriterionResult.objects.select_related(
        "criterion", "carried_from__assessment__indicator__cycle"
    ).prefetch_related(Prefetch("evidence_items", queryset=items))
    prefetch_related_objects([assessment], Prefetch("results", queryset=results))
    return assessment


def _page_context(assessment: Assessment, user: Any = None) -> dict[str, Any]:
    reason = edit_block_reason(assessment)
    if reason is None:
        for result in assessment.results.all():
            result.narrative_form = _narrative_form(result)
    context = {"assessment": assessment, "can_edit": reason is None, "readonly_reason": reason}
    if user is not None:
        # The review side of the page: workflow buttons, comments, citation flags.
        context["actions"] = assessment_actions(user, assessment)
        context.update(attach_review(assessment, list(assessment.results.all())))
    return context


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _with_results(get_assessment_for_user(request, pk))
    context = _page_context(assessment, request.user)
    if context["can_edit"]:
        context["details_form"] = _details_form(assessment)
    return render(request, "indicators/assessment.html", context)


def _narrative_form(result: CriterionResult, data: Any = None) -> NarrativeForm:
    initial = {"narrative": result.narrative, "version": result.version}
    return NarrativeForm(data, initial=initial, auto_id=f"result-{result.pk}-%s")


def _details_form(assessment: Assessment, data: Any = None) -> AssessmentDetailsForm:
    token = services.assessment_edit_token(assessment)
    return AssessmentDetailsForm(data, instance=assessment, initial={"edited_from": token})


@login_required
@require_http_methods(["GET", "POST"])
def result_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    """Saves one narrative in place (htmx), refusing to overwrite a newer save."""
    result = get_criterion_result_for_user(request, pk, write=True)
    context: dict[str, Any] = {"result": result, "assessment": result.assessment, "can_edit": True}
    if request.method == "GET":
        form = _narrative_form(result)
    else:
        form = _narrative_form(result, request.POST)
        if form.is_valid():
            try:
                result = services.criterion_result_save_narrative(
                    result=result, **form.cleaned_data
                )
            except services.StaleEditError as stale:
                # Keep the user's text in the box and show theirs beside it; the
                # next save starts from their version, so it is a deliberate choice.
                theirs = stale.current
                data = request.POST.copy()
                data["version"] = str(theirs.version)
                form = _narrative_form(result, data)
                last = theirs.history.select_related("history_user").first()
                by = last.history_user if last else None
                context.update(conflict=theirs, conflict_by=by and (by.get_full_name() or by))
            except services.AssessmentLockedError as locked:
                context.update(locked=str(locked))
            else:
                if not request.htmx:
                    return redirect(f"{result.assessment.get_absolute_url()}#criterion-{pk}")
                context.update(saved=result)
                form = _narrative_form(result)
    context["form"] = form
    if request.htmx:
        return render(request, "indicators/_narrative.html", context)
    return render(request, "indicators/result_edit.html", context)


@login_required
@require_POST
def result_met(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks a criterion met or not; the score partial is swapped out of band."""
    result = get_criterion_result_for_user(request, pk, write=True)
    form = MetForm(request.POST)
    form.is_valid()  # a missing checkbox is a valid "not met"
    error = None
    try:
        result = services.criterion_result_set_met(result=result, met=form.cleaned_data["met"])
    except services.AssessmentLockedError as locked:
        error = str(locked)
    assessment = _with_results(get_assessment_for_user(request, result.assessment_id))
    if not request.htmx:
        return redirect(f"{assessment.get_absolute_url()}#criterion-{pk}")
    result = next(r for r in assessment.results.all() if r.pk == result.pk)
    context = {**_page_context(assessment), "result": result, "met_error": error, "oob": True}
    return render(request, "indicators/_met.html", context)


@login_required
@require_POST
def assessment_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Saves target, result value, strengths and improvements (htmx or plain post)."""
    assessment = get_assessment_for_user(request, pk, write=True)
    form = _details_form(assessment, request.POST)
    context: dict[str, Any] = {}
    if form.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if name != "edited_from"}
        try:
            assessment = services.assessment_update_details(
                assessment=assessment, values=values, edited_from=form.cleaned_data["edited_from"]
            )
        except services.StaleEditError as stale:
            data = request.POST.copy()
            data["edited_from"] = services.assessment_edit_token(stale.current)
            # The form validates into its instance: give it a copy, keep theirs intact.
            form = _details_form(copy.copy(stale.current), data)
            context["conflict"] = stale.current
        except services.AssessmentLockedError as locked:
            context["locked"] = str(locked)
        else:
            if not request.htmx:
                return redirect(f"{assessment.get_absolute_url()}#details")
            context["saved"] = True
            form = _details_form(assessment)
    assessment = _with_results(get_assessment_for_user(request, pk))
    context.update(_page_context(assessment), details_form=form, oob=bool(request.htmx))
    if request.htmx:
        return render(request, "indicators/_details.html", context)
    return render(request, "indicators/assessment.html", context)
