"""The rules of access: what a user may ask to do (``Capability``), who they are for a
unit (``Standing``) and ``refusal()``, which writes every refusal and its Thai reason
once. The objects views and services ask are in ``indicators.access``."""

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Assessment, Membership

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
