"""Who may see and change a unit's data: the one place views ask.

Members of a unit (staff and head) see and edit its assessments while they are
editable; QA officers and administrators see every unit. Anyone else gets a
404, so an outsider cannot even learn that an object exists.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Assessment, Cycle, Membership, ReportJob, Unit

AnyUser = AbstractBaseUser | AnonymousUser


def can_see_all_units(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.has_perm("indicators.review_assessment"))
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
