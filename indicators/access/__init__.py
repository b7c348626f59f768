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

from dataclasses import dataclass, replace
from typing import Self, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..models import (
    Assessment,
    Criterion,
    CriterionResult,
    Cycle,
    Indicator,
    Membership,
    ReportJob,
    Unit,
)
from .rules import (
    AnyUser,
    Capability,
    Refusal,
    Standing,
    can_see_all_units,
    is_qa_admin,
    refusal,
)

_Row = TypeVar("_Row", bound=Model)

__all__ = [
    "AnyUser",
    "Capability",
    "Refusal",
    "Standing",
    "can_see_all_units",
    "is_qa_admin",
    "refusal",
]


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

    def seen_by(self, user: AnyUser) -> Self:
        """The same answers for ``user`` itself (an access kept in a cache holds a copy of
        the user it was asked for: indicators.fragments.kept_check)."""
        # UnitAccess and AssessmentAccess are dataclasses; this base class is not.
        return replace(self, who=Standing(self.who.role, user))  # type: ignore[type-var]

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


def _role_in(user: AnyUser, unit_id: int) -> str | None:
    """The user's role in the unit (staff/head), or None for non-members."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, unit_id=unit_id).only("role").first()
    return membership.role if membership else None


def _with_viewer_role(rows: QuerySet[_Row], user: AnyUser, unit: str) -> QuerySet[_Row]:
    """The rows with ``viewer_role``, the user's role in the row's unit (the ``unit``
    field's), read in the same query as the row (what _role_in reads on its own)."""
    if not user.is_authenticated:
        return rows
    roles = Membership.objects.filter(user=user, unit=OuterRef(unit)).order_by("pk")
    return rows.annotate(viewer_role=Subquery(roles.values("role")[:1]))


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
    unit = get_object_or_404(_with_viewer_role(Unit.objects.all(), request.user, "pk"), pk=pk)
    role = getattr(unit, "viewer_role", None)
    return UnitAccess(unit, Standing(role, request.user)).require(need)


def get_assessment_for_user(
    request: HttpRequest, pk: int, *, need: Capability | None = None, any_status: bool = False
) -> AssessmentAccess:
    """An assessment the user may see, with what they may do with it; with ``need``, one
    they may do that with now (``any_status``: whatever its status), PermissionDenied
    with the Thai reason if not."""
    rows = Assessment.objects.select_related("unit", "indicator__cycle")
    assessment = get_object_or_404(_with_viewer_role(rows, request.user, "unit"), pk=pk)
    who = Standing(getattr(assessment, "viewer_role", None), request.user)
    return AssessmentAccess(assessment, who).require(need, any_status=any_status)


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
