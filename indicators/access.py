"""Who may see and change a unit's data: the one place views ask.

Members of a unit (staff and head) see and edit its assessments while they are
editable; QA officers and administrators see every unit. Anyone else gets a
404, so an outsider cannot even learn that an object exists.
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Assessment, CriterionResult, Cycle, Membership, ReportJob, Unit

AnyUser = AbstractBaseUser | AnonymousUser


def can_see_all_units(user: AnyUser) -> bool:
    """QA officers and QA administrators read every unit's data."""
    return bool(
        user.is_authenticated
        and (
            user.is_superuser
            or user.has_perm("indicators.review_assessment")
            or user.has_perm("indicators.administer_qa")
        )
    )


def is_qa_officer(user: AnyUser) -> bool:
    return can_see_all_units(user)


def is_qa_admin(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or user.has_perm("indicators.administer_qa"))
    )


def unit_role(user: AnyUser, unit: Unit) -> str | None:
    """The user's role in the unit (staff/head), or None for non-members."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, unit=unit).only("role").first()
    return membership.role if membership else None


def visible_units(user: AnyUser):  # -> QuerySet[Unit]
    if can_see_all_units(user):
        return Unit.objects.all()
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(memberships__user=user).distinct()


def get_unit_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Unit:
    """A unit the user may see; with write=True, one whose records they may edit."""
    unit = get_object_or_404(Unit, pk=pk)
    role = unit_role(request.user, unit)
    if role is None and not can_see_all_units(request.user):
        raise Http404
    if write and role is None:
        raise PermissionDenied(_("เฉพาะบุคลากรของหน่วยงานนี้เท่านั้นที่แก้ไขได้"))
    return unit


def get_assessment_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Assessment:
    """An assessment the user may see; with write=True, one they may edit now."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("unit", "indicator__cycle"), pk=pk
    )
    role = unit_role(request.user, assessment.unit)
    if role is None and not can_see_all_units(request.user):
        raise Http404
    if write:
        if role is None:
            raise PermissionDenied(_("เฉพาะบุคลากรของหน่วยงานนี้เท่านั้นที่แก้ไขได้"))
        if not assessment.is_editable:
            raise PermissionDenied(
                _("ผลการประเมินนี้ถูกส่งหรืออนุมัติแล้ว จึงแก้ไขไม่ได้ (%(status)s)")
                % {"status": assessment.get_status_display()}
            )
    assessment.user_role = role  # type: ignore[attr-defined]
    return assessment


def get_assessment_for_reviewer(request: HttpRequest, pk: int) -> Assessment:
    """An assessment for the review pages: QA officers only (others 403, outsiders 404)."""
    assessment = get_assessment_for_user(request, pk)
    if not is_qa_officer(request.user):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ตรวจประเมินได้"))
    return assessment


def dashboard_units_for_user(user: AnyUser) -> QuerySet[Unit]:
    """The units a user follows on the dashboard: all for QA officers and administrators,
    the units they head for a unit head; anyone else is refused."""
    if can_see_all_units(user) or is_qa_admin(user):
        return Unit.objects.all()
    if user.is_authenticated:
        headed = Unit.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.HEAD
        ).distinct()
        if headed.exists():
            return headed
    raise PermissionDenied(_("หน้าภาพรวมเปิดให้เฉพาะเจ้าหน้าที่ประกันคุณภาพและหัวหน้าหน่วยงาน"))


@dataclass
class AssessmentActions:
    """What the user may do with an assessment now, and why the page is read-only."""

    role: str | None
    can_edit: bool
    can_submit: bool
    can_review: bool
    can_reopen: bool
    can_reply: bool
    read_only_reason: str


def assessment_actions(user: AnyUser, assessment: Assessment) -> AssessmentActions:
    role = getattr(assessment, "user_role", None)
    if role is None and not hasattr(assessment, "user_role"):
        role = unit_role(user, assessment.unit)
    editable = assessment.is_editable
    status = Assessment.Status
    reason = ""
    if role is None and not is_qa_officer(user):
        reason = _("คุณไม่ได้เป็นบุคลากรของหน่วยงานนี้ จึงดูได้อย่างเดียว")
    elif role is None:
        reason = ""  # reviewers never edit the unit's text; nothing to explain
    elif assessment.status == status.SUBMITTED:
        reason = _("ส่งผลการประเมินแล้ว รอเจ้าหน้าที่ประกันคุณภาพตรวจ จึงแก้ไขไม่ได้")
    elif assessment.status == status.APPROVED:
        reason = _("ผลการประเมินอนุมัติแล้ว จึงแก้ไขไม่ได้")
    return AssessmentActions(
        role=role,
        can_edit=role is not None and editable,
        can_submit=role == Membership.Role.HEAD and editable,
        can_review=is_qa_officer(user) and assessment.status == status.SUBMITTED,
        can_reopen=is_qa_admin(user) and assessment.status == status.APPROVED,
        can_reply=role is not None and editable,
        read_only_reason=reason,
    )


def get_criterion_result_for_user(
    request: HttpRequest, pk: int, *, write: bool = False, review: bool = False
) -> CriterionResult:
    """A criterion result whose assessment the user may see, edit now (write=True) or
    review (review=True: QA officers only)."""
    result = get_object_or_404(CriterionResult.objects.select_related("criterion"), pk=pk)
    if review:
        result.assessment = get_assessment_for_reviewer(request, result.assessment_id)
    else:
        result.assessment = get_assessment_for_user(request, result.assessment_id, write=write)
    return result


def edit_block_reason(assessment: Assessment) -> str | None:
    """Why the user may not edit this assessment (Thai, for the page), or None if they may.

    Needs an assessment from get_assessment_for_user, which knows the user's role.
    """
    if getattr(assessment, "user_role", None) is None:
        return _("คุณเปิดดูได้อย่างเดียว เพราะไม่ได้เป็นบุคลากรของหน่วยงานนี้")
    if assessment.status == Assessment.Status.SUBMITTED:
        return _("ผลการประเมินนี้ส่งให้เจ้าหน้าที่ประกันคุณภาพแล้ว จึงแก้ไขไม่ได้ จนกว่าจะถูกส่งกลับให้แก้ไข")
    if assessment.status == Assessment.Status.APPROVED:
        return _("ผลการประเมินนี้ได้รับอนุมัติแล้ว จึงแก้ไขไม่ได้อีก")
    return None


def get_cycle_for_user(request: HttpRequest, pk: int, *, all_units: bool = False) -> Cycle:
    """A cycle; with all_units=True, only for those who may read every unit's data
    (QA officers and administrators): reports across units."""
    cycle = get_object_or_404(Cycle, pk=pk)
    if all_units and not can_see_all_units(request.user):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ดูรายงานทุกหน่วยงานได้"))
    return cycle


def get_report_job_for_user(request: HttpRequest, pk: int) -> ReportJob:
    """A background report job: only its requester sees it (or a superuser), and only
    while they may still read every unit."""
    job = get_object_or_404(ReportJob.objects.select_related("cycle"), pk=pk)
    owner = request.user.is_authenticated and job.requested_by_id == request.user.pk
    if not can_see_all_units(request.user) or not (owner or request.user.is_superuser):
        raise Http404
    return job
