"""A unit's memberships, one at a time (the unit's members page)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from indicators.models import Membership, Unit


def membership_add(*, unit: Unit, email: str, role: str) -> Membership:
    """Adds an existing user (by e-mail or username) to the unit; ValidationError in Thai
    if there is no such user or they are already a member."""
    if role not in Membership.Role.values:
        raise ValidationError(_("บทบาทไม่ถูกต้อง"))
    key = email.strip()
    users = get_user_model().objects.filter(Q(email__iexact=key) | Q(username__iexact=key))
    found = list(users[:2]) if key else []
    if len(found) != 1:
        message = _("ไม่พบผู้ใช้ “%(email)s”") if not found else _("มีผู้ใช้หลายบัญชีที่ตรงกับ “%(email)s”")
        raise ValidationError(message % {"email": key})
    with transaction.atomic():
        if Membership.objects.filter(user=found[0], unit=unit).exists():
            raise ValidationError(_("ผู้ใช้นี้เป็นสมาชิกของหน่วยงานอยู่แล้ว"))
        return Membership.objects.create(user=found[0], unit=unit, role=role)


def membership_set_role(*, membership: Membership, role: str) -> None:
    if role not in Membership.Role.values:
        raise ValidationError(_("บทบาทไม่ถูกต้อง"))
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])


def membership_remove(*, membership: Membership) -> None:
    membership.delete()
