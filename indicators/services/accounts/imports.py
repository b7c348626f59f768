"""Importing an accounts workbook: the preview, and the writes in one transaction."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission, User
from django.db import transaction

from indicators.models import Membership, Unit
from indicators.services.accounts.mail import send_set_password_mails
from indicators.services.accounts.plan import AccountsPlan, plan_accounts
from indicators.services.accounts.workbook import QARole


def accounts_preview(*, data: bytes) -> AccountsPlan:
    """What importing the workbook would create and change; writes nothing. Raises
    SheetError (with every refused row of both sheets) if it cannot be imported."""
    return plan_accounts(data)


def accounts_import(*, data: bytes, send_mail: bool = True) -> AccountsPlan:
    """Imports the workbook in one transaction; new users are mailed a link to set their
    password once it is committed. Raises SheetError and writes nothing if any row is
    refused."""
    with transaction.atomic():
        plan = plan_accounts(data)
        units: dict[str, Unit] = {unit.evidence_prefix: unit for unit in Unit.objects.all()}
        for planned_unit in plan.units:
            unit = planned_unit.existing
            if unit is None:
                units[planned_unit.prefix] = Unit.objects.create(
                    name=planned_unit.name, evidence_prefix=planned_unit.prefix
                )
            elif planned_unit.changed:
                unit.name = planned_unit.name
                unit.save(update_fields=["name"])
        for planned_unit in plan.units:
            unit = units[planned_unit.prefix]
            parent = units[planned_unit.parent] if planned_unit.parent else None
            if unit.parent_id != (parent.pk if parent else None):
                unit.parent = parent
                unit.save(update_fields=["parent"])
        permissions = {
            p.codename: p for p in Permission.objects.filter(content_type__app_label="indicators")
        }
        for planned_user in plan.users:
            first, last = planned_user.names
            account = planned_user.existing
            if account is None:
                account = get_user_model()(
                    username=planned_user.email,
                    email=planned_user.email,
                    first_name=first,
                    last_name=last,
                )
                account.set_unusable_password()
                account.save()
                plan.invited.append(account)
            elif (account.first_name, account.last_name) != (first, last):
                account.first_name, account.last_name = first, last
                account.save(update_fields=["first_name", "last_name"])
            if planned_user.unit:
                _set_membership(account, units[planned_user.unit], planned_user.role)
            for code in QARole.PERMISSIONS.get(planned_user.role, []):
                account.user_permissions.add(permissions[code])
        if send_mail:
            invited = list(plan.invited)
            transaction.on_commit(lambda: send_set_password_mails(invited))
    return plan


def _set_membership(account: User, unit: Unit, role: str) -> None:
    """Adds the user to the unit with the role; a QA role adds them as staff, and never
    changes the role they already have there."""
    unit_role = role if role in Membership.Role.values else Membership.Role.STAFF
    membership = Membership.objects.filter(user=account, unit=unit).first()
    if membership is None:
        Membership.objects.create(user=account, unit=unit, role=unit_role)
    elif membership.role != unit_role and role in Membership.Role.values:
        membership.role = unit_role
        membership.save(update_fields=["role"])
