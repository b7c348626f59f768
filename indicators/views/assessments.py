"""The indicator page and its in-place saves: narratives, met / not met, target and details."""

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence.models import EvidenceItem
from indicators.access import (
    AssessmentAccess,
    Capability,
    get_assessment_for_user,
    get_criterion_result_for_user,
)
from indicators.forms.assessments import (
    AssessmentDetailsForm,
    MetForm,
    NarrativeForm,
    OwnersForm,
)
from indicators.fragments import kept_check, part_key
from indicators.http import AuthenticatedHttpRequest
from indicators.locking import AssessmentLockedError, StaleEditError
from indicators.models import Assessment, AssessmentTransition, CriterionResult
from indicators.review import review_context
from indicators.services.editing import (
    assessment_edit_token,
    assessment_update_details,
    criterion_result_save_narrative,
    criterion_result_set_met,
)
from indicators.services.owners import assessment_set_owners, criterion_result_set_owners


def _with_results(assessment: Assessment) -> Assessment:
    """Loads criteria, results, evidence items and documents in three queries."""
    items = EvidenceItem.objects.select_related("document", "meeting", "activity").order_by(
        "position"
    )
    owners = User.objects.order_by("first_name", "last_name", "username")
    results = CriterionResult.objects.select_related(
        "criterion", "carried_from__assessment__indicator__cycle"
    ).prefetch_related(Prefetch("evidence_items", queryset=items))
    results = results.prefetch_related(Prefetch("owners", queryset=owners))
    prefetch_related_objects(
        [assessment], Prefetch("results", queryset=results), Prefetch("owners", queryset=owners)
    )
    return assessment


def _last_return(assessment: Assessment) -> AssessmentTransition | None:
    """Why a returned assessment was sent back, shown at the top of its page."""
    if assessment.status != Assessment.Status.RETURNED:
        return None
    returns = assessment.transitions.filter(to_status=Assessment.Status.RETURNED)
    return returns.select_related("by").order_by("-at", "-pk").first()


def _page_context(access: AssessmentAccess, *, criteria: bool = False) -> dict[str, Any]:
    """The indicator page; with ``criteria`` (the whole page, not a partial), each
    criterion's review side (comments, citation flags) and, for those who may edit,
    its narrative form: ``criteria`` is a list of (CriterionReview, form or None)."""
    assessment = _with_results(access.assessment)
    context: dict[str, Any] = {"assessment": assessment, "access": access}
    if criteria:
        context["last_return"] = _last_return(assessment)
        if access.can_set_owners:
            # One list for the assessment's form and every criterion's.
            members = User.objects.filter(memberships__unit=assessment.unit_id).distinct()
            context["unit_members"] = list(members.order_by("first_name", "username"))
        context.update(review_context(assessment, list(assessment.results.all())))
        context["criteria"] = [
            (review, _narrative_form(review.result) if access.can_edit else None)
            for review in context["criteria"]
        ]
    return context


@login_required
@require_GET
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    key = part_key(request, "assessment")  # before anything the page shows is read
    # A view from the cache has passed this check under the same key (fragments.kept_check).
    check = kept_check(key, lambda: get_assessment_for_user(request, pk))
    access = check.seen_by(request.user)

    def load_page() -> dict[str, Any]:
        # Only when the page is not in the fragments cache under the data version.
        context = _page_context(access, criteria=True)
        if access.can_edit:
            context["details_form"] = _details_form(access.assessment)
        return context

    context = {
        "assessment": access.assessment,
        "page_key": key,
        "load_page": load_page,
    }
    return render(request, "indicators/assessment.html", context)


def _narrative_form(result: CriterionResult, data: Any = None) -> NarrativeForm:
    initial = {"narrative": result.narrative, "version": result.version}
    return NarrativeForm(data, initial=initial, auto_id=f"result-{result.pk}-%s")


def _details_form(assessment: Assessment, data: Any = None) -> AssessmentDetailsForm:
    token = assessment_edit_token(assessment)
    return AssessmentDetailsForm(data, instance=assessment, initial={"edited_from": token})


@login_required
@require_http_methods(["GET", "POST"])
def result_narrative(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Saves one narrative in place (htmx), refusing to overwrite a newer save."""
    result, access = get_criterion_result_for_user(request, pk, need=Capability.EDIT)
    context: dict[str, Any] = {"result": result, "assessment": access.assessment}
    if request.method == "GET":
        form = _narrative_form(result)
    else:
        form = _narrative_form(result, request.POST)
        if form.is_valid():
            try:
                result = criterion_result_save_narrative(result=result, **form.cleaned_data)
            except StaleEditError as stale:
                # Keep the user's text in the box and show theirs beside it; the
                # next save starts from their version, so it is a deliberate choice.
                theirs: CriterionResult = stale.current
                data = request.POST.copy()
                data["version"] = str(theirs.version)
                form = _narrative_form(result, data)
                last = theirs.history.select_related("history_user").first()
                by = last.history_user if last else None
                context.update(conflict=theirs, conflict_by=by and (by.get_full_name() or by))
            except AssessmentLockedError as locked:
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
def result_met(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Marks a criterion met or not; the score partial is swapped out of band."""
    result = get_criterion_result_for_user(request, pk, need=Capability.EDIT)[0]
    form = MetForm(request.POST)
    form.is_valid()  # a missing checkbox is a valid "not met"
    error = None
    try:
        result = criterion_result_set_met(result=result, met=form.cleaned_data["met"])
    except AssessmentLockedError as locked:
        error = str(locked)
    if not request.htmx:
        return redirect(f"{result.assessment.get_absolute_url()}#criterion-{pk}")
    # The partial shows the assessment as it is now, with its score.
    context = _page_context(get_assessment_for_user(request, result.assessment_id))
    result = next(r for r in context["assessment"].results.all() if r.pk == result.pk)
    context.update(result=result, met_error=error, oob=True)
    return render(request, "indicators/_met.html", context)


@login_required
@require_POST
def assessment_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Saves target, result value, strengths and improvements (htmx or plain post)."""
    assessment = get_assessment_for_user(request, pk, need=Capability.EDIT).assessment
    form = _details_form(assessment, request.POST)
    context: dict[str, Any] = {}
    if form.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if name != "edited_from"}
        try:
            assessment = assessment_update_details(
                assessment=assessment, values=values, edited_from=form.cleaned_data["edited_from"]
            )
        except StaleEditError as stale:
            current: Assessment = stale.current
            data = request.POST.copy()
            data["edited_from"] = assessment_edit_token(current)
            # The form validates into its instance: give it a copy, keep theirs intact.
            form = _details_form(copy.copy(current), data)
            context["conflict"] = current
        except AssessmentLockedError as locked:
            context["locked"] = str(locked)
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                for message in messages_:
                    form.add_error(name if name in form.fields else None, message)
        else:
            if not request.htmx:
                return redirect(f"{assessment.get_absolute_url()}#details")
            context["saved"] = True
            form = _details_form(assessment)
    access = get_assessment_for_user(request, pk)
    context.update(_page_context(access, criteria=not request.htmx))
    context.update(details_form=form, oob=bool(request.htmx))
    if request.htmx:
        return render(request, "indicators/_details.html", context)
    return render(request, "indicators/assessment.html", context)


@login_required
@require_POST
def assessment_owners(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The head (or the QA administrator) names who keeps the indicator."""
    assessment = get_assessment_for_user(request, pk, need=Capability.SET_OWNERS).assessment
    form = OwnersForm(request.POST, assessment=assessment)
    if form.is_valid():
        try:
            assessment_set_owners(
                assessment=assessment, owners=form.cleaned_data["owners"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("บันทึกผู้ดูแลตัวบ่งชี้แล้ว"))
    else:
        messages.error(request, " ".join(str(error) for error in form.errors.get("owners", [])))
    return redirect(f"{assessment.get_absolute_url()}#owners")


@login_required
@require_POST
def result_owners(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The head (or the QA administrator) names who writes one criterion."""
    result, access = get_criterion_result_for_user(request, pk, need=Capability.SET_OWNERS)
    form = OwnersForm(request.POST, assessment=access.assessment)
    if form.is_valid():
        try:
            criterion_result_set_owners(
                result=result, owners=form.cleaned_data["owners"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("บันทึกผู้ดูแลเกณฑ์แล้ว"))
    else:
        messages.error(request, " ".join(str(error) for error in form.errors.get("owners", [])))
    return redirect(f"{access.assessment.get_absolute_url()}#criterion-{result.pk}")
