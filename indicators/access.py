"""Who may see and change a unit's data, and why not: the one place views, templates and
services ask.

Members of a unit (staff and head) see its data and edit its records, and its
assessments while they are drafts or returned; the head submits them. QA officers and
administrators see every unit and review what was submitted; administrators reopen what
was approved. Anyone else gets a 404, so an outsider cannot even learn that an object
exists.

A view asks once and gets the object with what the user may do with it (healthchecks'
``_get_rw_check_for_user``)::

    access = get_assessment_for_user(request, pk, need=Capability.EDIT)  # 404 / 403
    access.assessment, access.can_submit, access.why_not_edit            # for the template

A service asks the same object: ``assessment_access(by, assessment).check(...)``. Every
refusal and its Thai reason is written once, in ``refusal()``.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import (
    Assessment,
    Criterion,
    CriterionResult,
    Cycle,
    Indicator,
    Membership,
    ReportJob,
    Unit,
)

AnyUser = User | AnonymousUser


class Capability(StrEnum):
    """What a user may ask to do with an assessment; a unit's records know READ and EDIT."""

    READ = "read"
    EDIT = "edit"  # the unit's text, evidence and records; answering a reviewer's comment too
    SUBMIT = "submit"
    REVIEW = "review"  # comments, committee marks, evidence checks, return and approve
    REOPEN = "reopen"
    # The QA administrator's set-up: cycles, indicator sets, criteria and scoring rules,
    # which unit keeps which indicator, units and accounts.
    SET_UP = "set_up"
    SET_OWNERS = "set_owners"  # name who keeps the indicator (ผู้ดูแลตัวบ่งชี้), any status
    # Import the SAR page from a Word or text file: the unit's members while they may
    # edit, and the QA administrator for any unit (whose set-up it may also change).
    IMPORT_SAR = "import_sar"


@dataclass(frozen=True)
class Refusal:
    """Why a user may not do something, in Thai, for the page or the 403.

    ``for_now``: refused because of the assessment's status, until the workflow moves
    on (a service raises ValidationError); otherwise refused because of who the user
    is (PermissionDenied).
    """

    reason: str
    code: str
    for_now: bool = False

    def error(self) -> PermissionDenied | ValidationError:
        if self.for_now:
            return ValidationError(self.reason, code=self.code)
        return PermissionDenied(self.reason)


@dataclass(frozen=True)
class Standing:
    """Who a user is for one unit: their role in it (None: not a member) and their QA
    rights, looked up only when a question needs them (Django caches them on the user)."""

    role: str | None
    user: AnyUser | None = None

    @property
    def qa_officer(self) -> bool:
        return self.user is not None and can_see_all_units(self.user)

    @property
    def qa_admin(self) -> bool:
        return self.user is not None and is_qa_admin(self.user)


def refusal(capability: Capability, who: Standing, *, status: str | None = None) -> Refusal | None:
    """Why a user may not do ``capability``, or None if they may: every refusal and its
    Thai reason, written once.

    ``status`` is the assessment's, or None for a unit's records, which have no
    workflow. Who the user is is asked first (a refusal for good), then the status (a
    refusal for now).
    """
    role = who.role
    Status = Assessment.Status
    current = {"status": Status(status).label if status else ""}
    match capability:
        case Capability.READ:
            if role is None and not who.qa_officer:
                reason = _("เฉพาะบุคลากรของหน่วยงานนี้และเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่เปิดดูได้")
                return Refusal(reason, "not_member")
        case Capability.EDIT:
            if role is None:
                reason = _("คุณเปิดดูได้อย่างเดียว เพราะไม่ได้เป็นบุคลากรของหน่วยงานนี้")
                return Refusal(reason, "not_member")
            if status == Status.SUBMITTED:
                reason = _("ผลการประเมินนี้ส่งให้เจ้าหน้าที่ประกันคุณภาพแล้ว จึงแก้ไขไม่ได้ จนกว่าจะถูกส่งกลับให้แก้ไข")
                return Refusal(reason, "submitted", for_now=True)
            if status == Status.APPROVED:
                reason = _("ผลการประเมินนี้ได้รับอนุมัติแล้ว จึงแก้ไขไม่ได้อีก")
                return Refusal(reason, "approved", for_now=True)
        case Capability.SUBMIT:
            if role != Membership.Role.HEAD:
                reason = _("เฉพาะหัวหน้าหน่วยงานเท่านั้นที่ส่งผลการประเมินได้")
                return Refusal(reason, "not_head")
            if status in (Status.SUBMITTED, Status.APPROVED):
                reason = _("ส่งผลการประเมินได้เฉพาะเมื่อเป็นร่างหรือถูกส่งกลับแก้ไข (สถานะปัจจุบัน: %(status)s)")
                return Refusal(reason % current, "not_editable", for_now=True)
        case Capability.REVIEW:
            if not who.qa_officer:
                reason = _("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ตรวจประเมินได้")
                return Refusal(reason, "not_qa_officer")
            if status == Status.APPROVED:
                reason = _("ผลการประเมินนี้อนุมัติแล้ว ต้องให้ผู้ดูแลระบบเปิดแก้ไขใหม่ก่อน")
                return Refusal(reason, "approved", for_now=True)
            if status in (Status.DRAFT, Status.RETURNED):
                reason = _("ตรวจประเมินได้เฉพาะเมื่อหน่วยงานส่งผลการประเมินแล้ว (สถานะปัจจุบัน: %(status)s)")
                return Refusal(reason % current, "not_submitted", for_now=True)
        case Capability.REOPEN:
            if not who.qa_admin:
                reason = _("เฉพาะผู้ดูแลระบบประกันคุณภาพเท่านั้นที่เปิดแก้ไขใหม่ได้")
                return Refusal(reason, "not_qa_admin")
            if status is not None and status != Status.APPROVED:
                reason = _("เปิดแก้ไขใหม่ได้เฉพาะผลการประเมินที่อนุมัติแล้ว (สถานะปัจจุบัน: %(status)s)")
                return Refusal(reason % current, "not_approved", for_now=True)
        case Capability.SET_UP:
            if not who.qa_admin:
                reason = _(
                    "เฉพาะผู้ดูแลระบบประกันคุณภาพเท่านั้นที่ตั้งค่าระบบได้ "
                    "(รอบปี ตัวบ่งชี้ การมอบหมายตัวบ่งชี้ หน่วยงานและผู้ใช้)"
                )
                return Refusal(reason, "not_qa_admin")
        case Capability.SET_OWNERS:
            if role != Membership.Role.HEAD and not who.qa_admin:
                reason = _("เฉพาะหัวหน้าหน่วยงานและผู้ดูแลระบบประกันคุณภาพเท่านั้นที่กำหนดผู้ดูแลตัวบ่งชี้ได้")
                return Refusal(reason, "not_head_or_admin")
        case Capability.IMPORT_SAR:
            if role is None and not who.qa_admin:
                reason = _("เฉพาะบุคลากรของหน่วยงานนี้และผู้ดูแลระบบประกันคุณภาพเท่านั้นที่นำเข้าไฟล์ SAR ได้")
                return Refusal(reason, "not_member_or_admin")
            # The same refusal as an edit while the assessment is submitted or approved.
            return refusal(Capability.EDIT, Standing(Membership.Role.STAFF), status=status)
    return None


class _Access:
    """What AssessmentAccess and UnitAccess share: the answers, asked of ``refusal()``."""

    who: Standing

    @property
    def role(self) -> str | None:
        """The user's role in the unit (staff or head); None for anyone else."""
        return self.who.role

    @property
    def qa_officer(self) -> bool:
        return self.who.qa_officer

    def refusal(self, capability: Capability, *, any_status: bool = False) -> Refusal | None:
        raise NotImplementedError

    def why_not(self, capability: Capability) -> str:
        """The Thai reason the user may not do it now; '' if they may."""
        refused = self.refusal(capability)
        return refused.reason if refused else ""

    def check(self, capability: Capability, *, any_status: bool = False) -> None:
        """For services: PermissionDenied if the user may not do it at all, ValidationError
        if not in the assessment's status (``any_status``: ask only who the user is)."""
        refused = self.refusal(capability, any_status=any_status)
        if refused is not None:
            raise refused.error()

    def require(self, need: Capability | None, *, any_status: bool = False) -> Self:
        """For views: Http404 for those who may not even read, PermissionDenied (with the
        Thai reason) for those who may not do ``need``; this object otherwise."""
        if not self.can_read:
            raise Http404
        refused = None if need is None else self.refusal(need, any_status=any_status)
        if refused is not None:
            raise PermissionDenied(refused.reason)
        return self

    @property
    def can_read(self) -> bool:
        return self.refusal(Capability.READ) is None

    @property
    def can_edit(self) -> bool:
        return self.refusal(Capability.EDIT) is None

    @property
    def can_set_up(self) -> bool:
        """Cycles, indicators and criteria (QA administrators only)."""
        return self.refusal(Capability.SET_UP) is None

    @property
    def why_not_edit(self) -> str:
        """Why the page is read-only for this user ('' if they may edit)."""
        return self.why_not(Capability.EDIT)


@dataclass(frozen=True)
class UnitAccess(_Access):
    """A unit with what one user may do with its records (meetings, people, documents…)."""

    unit: Unit
    who: Standing

    def refusal(self, capability: Capability, *, any_status: bool = False) -> Refusal | None:
        return refusal(capability, self.who)


@dataclass(frozen=True)
class AssessmentAccess(_Access):
    """An assessment with what one user may do with it, and why not.

    The answers are worked out from the assessment's status as it is when asked, so a
    service that refreshed the status under the assessment's lock asks again.
    """

    assessment: Assessment
    who: Standing

    def refusal(self, capability: Capability, *, any_status: bool = False) -> Refusal | None:
        """Why the user may not do it now, or None; ``any_status`` asks only who they are."""
        refused = refusal(capability, self.who, status=self.assessment.status)
        if refused is not None and refused.for_now and any_status:
            return None
        return refused

    @property
    def can_submit(self) -> bool:
        return self.refusal(Capability.SUBMIT) is None

    @property
    def can_review(self) -> bool:
        return self.refusal(Capability.REVIEW) is None

    @property
    def can_reopen(self) -> bool:
        return self.refusal(Capability.REOPEN) is None

    @property
    def can_set_owners(self) -> bool:
        return self.refusal(Capability.SET_OWNERS) is None

    @property
    def can_import_sar(self) -> bool:
        return self.refusal(Capability.IMPORT_SAR) is None


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


def is_qa_admin(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or user.has_perm("indicators.administer_qa"))
    )


def _role_in(user: AnyUser, unit_id: int) -> str | None:
    """The user's role in the unit (staff/head), or None for non-members."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, unit_id=unit_id).only("role").first()
    return membership.role if membership else None


def unit_access(user: AnyUser, unit: Unit) -> UnitAccess:
    """What the user may do with the unit's records."""
    return UnitAccess(unit, Standing(_role_in(user, unit.pk), user))


def assessment_access(user: AnyUser, assessment: Assessment) -> AssessmentAccess:
    """What the user may do with the assessment: services ask here, views through
    get_assessment_for_user."""
    return AssessmentAccess(assessment, Standing(_role_in(user, assessment.unit_id), user))


def visible_units(user: AnyUser) -> QuerySet[Unit]:
    if can_see_all_units(user):
        return Unit.objects.all()
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(memberships__user=user).distinct()


def get_unit_for_user(
    request: HttpRequest, pk: int, *, need: Capability | None = None
) -> UnitAccess:
    """A unit the user may see, with what they may do with its records; with ``need``,
    one they may do that with (PermissionDenied with the reason if not)."""
    unit = get_object_or_404(Unit, pk=pk)
    return unit_access(request.user, unit).require(need)


def get_assessment_for_user(
    request: HttpRequest, pk: int, *, need: Capability | None = None, any_status: bool = False
) -> AssessmentAccess:
    """An assessment the user may see, with what they may do with it; with ``need``, one
    they may do that with now (``any_status``: whatever its status), PermissionDenied
    with the Thai reason if not."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("unit", "indicator__cycle"), pk=pk
    )
    return assessment_access(request.user, assessment).require(need, any_status=any_status)


def get_criterion_result_for_user(
    request: HttpRequest, pk: int, *, need: Capability | None = None, any_status: bool = False
) -> tuple[CriterionResult, AssessmentAccess]:
    """A criterion result and what the user may do with its assessment, asked as
    get_assessment_for_user asks."""
    result = get_object_or_404(CriterionResult.objects.select_related("criterion"), pk=pk)
    access = get_assessment_for_user(
        request, result.assessment_id, need=need, any_status=any_status
    )
    result.assessment = access.assessment
    return result, access


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


def get_cycle_for_user(request: HttpRequest, pk: int, *, all_units: bool = False) -> Cycle:
    """A cycle; with all_units=True, only for those who may read every unit's data
    (QA officers and administrators): reports across units."""
    cycle = get_object_or_404(Cycle, pk=pk)
    if all_units and not can_see_all_units(request.user):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ดูรายงานทุกหน่วยงานได้"))
    return cycle


def check_can_set_up(user: AnyUser) -> None:
    """For the set-up services and views (cycles, indicators, criteria, assignments,
    Excel imports, units and their members): PermissionDenied with the Thai reason
    unless the user is a QA administrator."""
    refused = refusal(Capability.SET_UP, Standing(None, user))
    if refused is not None:
        raise refused.error()


def get_cycle_for_setup(request: HttpRequest, pk: int) -> Cycle:
    """A cycle to set up: only for QA administrators (403 for anyone else)."""
    check_can_set_up(request.user)
    return get_object_or_404(Cycle, pk=pk)


def get_indicator_for_setup(request: HttpRequest, pk: int) -> Indicator:
    """An indicator to set up, with its cycle: only for QA administrators."""
    check_can_set_up(request.user)
    return get_object_or_404(Indicator.objects.select_related("cycle"), pk=pk)


def get_criterion_for_setup(request: HttpRequest, pk: int) -> Criterion:
    """A criterion to set up, with its indicator and cycle: only for QA administrators."""
    check_can_set_up(request.user)
    return get_object_or_404(Criterion.objects.select_related("indicator__cycle"), pk=pk)


def get_report_job_for_user(request: HttpRequest, pk: int) -> ReportJob:
    """A background report job: only its requester sees it (or a superuser), and only
    while they may still read what it is a report of (one unit, or every unit)."""
    related = ("cycle", "unit", "assessment__indicator__cycle")
    job = get_object_or_404(ReportJob.objects.select_related(*related), pk=pk)
    user = request.user
    owner = user.is_authenticated and job.requested_by_id == user.pk
    if not (owner or user.is_superuser):
        raise Http404
    if job.unit is not None:
        may_read = unit_access(user, job.unit).can_read
    else:
        may_read = can_see_all_units(user)
    if not may_read:
        raise Http404
    return job
