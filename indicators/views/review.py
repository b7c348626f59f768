"""The QA review: the review page, evidence item by item, comments and answers, and the
workflow buttons (submit, return, approve, reopen)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from evidence.access import get_evidence_item_for_user, get_review_comment_for_user
from evidence.models import EvidenceItem, ReviewComment
from indicators.access import (
    AssessmentAccess,
    Capability,
    get_assessment_for_user,
    get_criterion_result_for_user,
)
from indicators.forms.review import (
    ApproveForm,
    CommentForm,
    CommitteeMetForm,
    ItemReviewForm,
    ReasonForm,
    ReplyForm,
)
from indicators.fragments import kept_check, part_key
from indicators.http import AuthenticatedHttpRequest, HtmxHttpRequest, safe_next_url
from indicators.locking import StaleEditError
from indicators.review import review_data
from indicators.services.review import (
    criterion_result_committee_mark,
    evidence_item_review,
    review_comment_add,
    review_comment_reply,
    review_comment_resolve,
)
from indicators.services.workflow import (
    assessment_approve,
    assessment_reopen,
    assessment_return,
    assessment_submit,
)
from indicators.versioning import resave_data, stale_rows


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to the page the form was on (only within this site), else ``default``."""
    return redirect(safe_next_url(request) or default)


@login_required
@require_GET
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    key = part_key(request, "review")  # before anything the page shows is read
    # A view from the cache has passed this check under the same key (fragments.kept_check).
    check = kept_check(
        key, lambda: get_assessment_for_user(request, pk, need=Capability.REVIEW, any_status=True)
    )
    access = check.seen_by(request.user)
    assessment = access.assessment

    def load_page() -> dict[str, object]:
        # Only when the page is not in the fragments cache under the data version.
        data = review_data(assessment)
        return {
            "access": access,
            "transitions": assessment.transitions.select_related("by").order_by("at", "pk"),
            "comment_form": CommentForm(),
            "item_form": ItemReviewForm(),
            "return_form": ReasonForm(),
            "reopen_form": ReasonForm(),
            "approve_form": ApproveForm(
                initial={"committee_score": assessment.committee_score or data["suggested_score"]}
            ),
            **data,
        }

    context = {
        "assessment": assessment,
        "page_key": key,
        "load_page": load_page,
    }
    return render(request, "indicators/review.html", context)


def _item_response(
    request: HttpRequest, item: EvidenceItem, access: AssessmentAccess, form: ItemReviewForm
) -> HttpResponse:
    data = review_data(access.assessment)
    fresh = next(i for c in data["criteria"] for i in c.items if i.item.pk == item.pk)
    context = {
        "item": fresh.item,
        "item_review": fresh,
        "item_form": form,
        "assessment": access.assessment,
        "access": access,
    }
    return render(request, "indicators/_review_item.html", context)


@login_required
@require_POST
def review_item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Accept an evidence item or ask for a fix (htmx: answers with the item's new row)."""
    item, access = get_evidence_item_for_user(request, pk)
    form = ItemReviewForm(request.POST)
    if form.is_valid():
        try:
            evidence_item_review(
                item=item,
                by=request.user,
                status=form.cleaned_data["status"],
                comment=form.cleaned_data["comment"],
            )
            form = ItemReviewForm()
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        return _item_response(request, item, access, form)
    for message in form.non_field_errors() + form.errors.get("comment", []):
        messages.error(request, str(message))
    return _back(request, reverse("indicators:review", args=[item.result.assessment_id]))


@login_required
@require_POST
def committee_met(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The committee's met / not met for one criterion (htmx: answers with the cell)."""
    result, access = get_criterion_result_for_user(
        request, pk, need=Capability.REVIEW, any_status=True
    )
    form = CommitteeMetForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            criterion_result_committee_mark(
                result=result, by=request.user, committee_met=form.cleaned_data["committee_met"]
            )
        except ValidationError as exc:
            error = _error_text(exc)
    else:
        error = _("ค่าที่เลือกไม่ถูกต้อง")
    if not request.htmx:
        if error:
            messages.error(request, error)
        return _back(request, reverse("indicators:review", args=[result.assessment.pk]))
    data = review_data(result.assessment)
    fresh = next(c.result for c in data["criteria"] if c.result.pk == result.pk)
    context = {"result": fresh, "assessment": result.assessment, "error": error, **data}
    context["access"] = access
    return render(request, "indicators/_committee_met.html", context)


@login_required
@require_POST
def comment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A reviewer's comment on the assessment or on one criterion."""
    access = get_assessment_for_user(request, pk, need=Capability.REVIEW, any_status=True)
    assessment = access.assessment
    form = CommentForm(request.POST)
    comment = None
    if form.is_valid():
        result_pk = form.cleaned_data["result"]
        result = get_object_or_404(assessment.results, pk=result_pk) if result_pk else None
        try:
            comment = review_comment_add(
                assessment=assessment,
                by=request.user,
                body=form.cleaned_data["body"],
                criterion_result=result,
            )
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx and comment is not None:
        context = {"comment": comment, "access": access}
        return render(request, "indicators/_comment.html", context)
    if request.htmx:
        body_errors = " ".join(str(message) for message in form.errors.get("body", []))
        return HttpResponse(f'<div class="text-danger small">{body_errors}</div>', status=422)
    if comment is None:
        messages.error(request, _("บันทึกความเห็นไม่ได้: กรุณาเขียนความเห็น"))
    return _back(request, reverse("indicators:review", args=[assessment.pk]))


def _comment_action(
    request: HtmxHttpRequest, pk: int, act: Callable[[ReviewComment, ReplyForm], Any], form: Any
) -> HttpResponse:
    comment, access = get_review_comment_for_user(request, pk)
    stale = None
    if form.is_valid():
        try:
            act(comment, form)
        except ValidationError as error:
            form.add_error(None, error)
        except StaleEditError as refused:
            # A reply saved over another one: theirs is shown, the user's stays in the box.
            stale = stale_rows(form, refused.current)
            form = ReplyForm(resave_data(request.POST, refused.current))
    assessment = access.assessment
    if request.htmx:
        comment.refresh_from_db()
        comment.assessment = assessment
        context = {
            "comment": comment,
            "reply_form": form if form.errors or stale else ReplyForm(),
            "access": access,
            "stale": stale,
        }
        return render(request, "indicators/_comment.html", context)
    if stale:
        messages.error(request, _("มีผู้อื่นบันทึกคำตอบนี้ก่อนคุณ คำตอบของคุณจึงยังไม่ได้บันทึก"))
    for message in form.non_field_errors() + form.errors.get("reply", []):
        messages.error(request, str(message))
    return _back(request, reverse("indicators:history", args=[assessment.pk]))


@login_required
@require_POST
def comment_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The unit's answer to a reviewer's comment."""

    def act(comment: ReviewComment, form: ReplyForm) -> None:
        review_comment_reply(comment=comment, by=request.user, **form.cleaned_data)

    return _comment_action(request, pk, act, ReplyForm(request.POST))


@login_required
@require_POST
def comment_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The reviewer closes a comment."""

    def act(comment: ReviewComment, form: Any) -> None:
        review_comment_resolve(comment=comment, by=request.user)

    return _comment_action(request, pk, act, forms.Form(request.POST))


TRANSITIONS: dict[str, tuple[type | None, Callable[..., Any], Any]] = {
    "submit": (None, assessment_submit, gettext_lazy("ส่งผลการประเมินแล้ว")),
    "return": (ReasonForm, assessment_return, gettext_lazy("ส่งกลับให้หน่วยงานแก้ไขแล้ว")),
    "approve": (ApproveForm, assessment_approve, gettext_lazy("อนุมัติผลการประเมินแล้ว")),
    "reopen": (ReasonForm, assessment_reopen, gettext_lazy("เปิดให้แก้ไขใหม่แล้ว")),
}


@login_required
@require_POST
def assessment_transition(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, return, approve or reopen; the service checks who may and from where."""
    assessment = get_assessment_for_user(request, pk).assessment
    form_class, service, done = TRANSITIONS[action]
    fields: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return _back(request, reverse("indicators:history", args=[pk]))
        fields = form.cleaned_data
    try:
        service(assessment=assessment, by=request.user, **fields)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return _back(request, reverse("indicators:history", args=[pk]))
