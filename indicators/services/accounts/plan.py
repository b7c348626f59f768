"""What importing an accounts workbook would do: every row of both sheets checked
(against each other and against the units and users that exist), and what each would
create or change. Writes nothing."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from indicators.models import Membership, Unit
from indicators.services.accounts.workbook import (
    UNITS_SHEET,
    USERS_SHEET,
    QARole,
    read_workbook,
    role_codes,
    role_label,
    roles_as_written,
)
from indicators.sheets import RowError, SheetRow, planned_action, refused


@dataclass
class PlannedUnit:
    row: int
    name: str
    prefix: str
    parent: str  # as written: a name or a prefix
    existing: Unit | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        return planned_action(self.existing, self.changed)


@dataclass
class PlannedUser:
    row: int
    name: str
    email: str
    unit: str  # the unit's prefix ('' for none)
    role: str
    existing: User | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        return planned_action(self.existing, self.changed)

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    @property
    def names(self) -> tuple[str, str]:
        first, _sep, last = self.name.partition(" ")
        return first, last.strip()


@dataclass
class AccountsPlan:
    units: list[PlannedUnit]
    users: list[PlannedUser]
    invited: list[User] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind, planned in (("units", self.units), ("users", self.users)):
            for action in ("create", "update", "unchanged"):
                counts[f"{kind}_{action}"] = sum(1 for p in planned if p.action == action)
        return counts

    @property
    def changed(self) -> bool:
        planned: list[PlannedUnit | PlannedUser] = [*self.units, *self.users]
        return any(p.action != "unchanged" for p in planned)


def _plan_units(
    rows: list[SheetRow], sheet: str, errors: list[RowError]
) -> tuple[list[PlannedUnit], dict[str, str]]:
    """The units of the sheet and every unit known by name or prefix → its prefix."""
    label = {column.key: column.header for column in UNITS_SHEET.columns}

    def refuse(row: SheetRow, key: str, message: str) -> None:
        errors.append(RowError(row.number, label[key], message, sheet))

    existing = {unit.evidence_prefix: unit for unit in Unit.objects.select_related("parent")}
    names = {unit.name: prefix for prefix, unit in existing.items()}
    planned: list[PlannedUnit] = []
    seen_prefix: dict[str, int] = {}
    seen_name: dict[str, int] = {}
    for row in rows:
        name, prefix = row["name"], row["prefix"]
        problems = len(errors)
        if not name:
            refuse(row, "name", _("ต้องระบุชื่อหน่วยงาน"))
        elif len(name) > 200:
            refuse(row, "name", _("ชื่อหน่วยงานยาวเกิน 200 ตัวอักษร"))
        elif name in seen_name:
            refuse(row, "name", _("ชื่อหน่วยงานซ้ำกับแถวที่ %(row)s") % {"row": seen_name[name]})
        if not prefix:
            refuse(row, "prefix", _("ต้องระบุอักษรย่อรหัสเอกสาร เช่น สพ"))
        elif len(prefix) > 20 or len(prefix.split()) != 1:
            refuse(row, "prefix", _("อักษรย่อต้องเป็นคำเดียว ไม่มีช่องว่าง ยาวไม่เกิน 20 ตัวอักษร"))
        elif prefix in seen_prefix:
            refuse(row, "prefix", _("อักษรย่อซ้ำกับแถวที่ %(row)s") % {"row": seen_prefix[prefix]})
        if len(errors) > problems:
            continue
        seen_name[name], seen_prefix[prefix] = row.number, row.number
        owner = names.get(name)
        if owner is not None and owner != prefix:
            refuse(
                row,
                "name",
                _("ชื่อนี้เป็นของหน่วยงานอักษรย่อ “%(prefix)s” ที่มีอยู่แล้ว") % {"prefix": owner},
            )
            continue
        planned.append(PlannedUnit(row.number, name, prefix, row["parent"], existing.get(prefix)))
    known = {unit.evidence_prefix: unit.evidence_prefix for unit in existing.values()}
    known.update({unit.name: unit.evidence_prefix for unit in existing.values()})
    for unit in planned:
        known[unit.prefix] = unit.prefix
        known[unit.name] = unit.prefix
    parents = {
        prefix: (u.parent.evidence_prefix if u.parent else "") for prefix, u in existing.items()
    }
    # Without a parent column the sheet says nothing of parents: existing ones are kept.
    parent_column = any("parent" in row.values for row in rows)
    for unit in planned:
        if not parent_column:
            continue
        parent = known.get(unit.parent, "") if unit.parent else ""
        row = SheetRow(unit.row)
        if unit.parent and not parent:
            refuse(row, "parent", _("ไม่พบหน่วยงาน “%(name)s”") % {"name": unit.parent})
            continue
        parents[unit.prefix] = parent
    for unit in planned:
        # Walk up from each unit: a chain that comes back to it is a loop.
        seen, step = {unit.prefix}, parents.get(unit.prefix, "")
        while step and step not in seen:
            seen.add(step)
            step = parents.get(step, "")
        if step:
            refuse(SheetRow(unit.row), "parent", _("สังกัดวนกลับมาที่หน่วยงานนี้เอง"))
            continue
        current = unit.existing
        if current is not None:
            if current.name != unit.name:
                unit.changed.append(str(label["name"]))
            old_parent = current.parent.evidence_prefix if current.parent else ""
            if old_parent != parents.get(unit.prefix, ""):
                unit.changed.append(str(label["parent"]))
        unit.parent = parents.get(unit.prefix, "")
    return planned, known


def _plan_users(
    rows: list[SheetRow], sheet: str, units: dict[str, str], errors: list[RowError]
) -> list[PlannedUser]:
    label = {column.key: column.header for column in USERS_SHEET.columns}

    def refuse(row: SheetRow, key: str, message: str) -> None:
        errors.append(RowError(row.number, label[key], message, sheet))

    roles = roles_as_written()
    planned: list[PlannedUser] = []
    seen: dict[str, int] = {}
    for row in rows:
        problems = len(errors)
        name, email, unit_text, role_text = (
            row["name"],
            row["email"].lower(),
            row["unit"],
            row["role"],
        )
        if not name:
            refuse(row, "name", _("ต้องระบุชื่อ-นามสกุล"))
        elif len(name) > 150:
            refuse(row, "name", _("ชื่อ-นามสกุลยาวเกิน 150 ตัวอักษร"))
        try:
            if len(email) > 150:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            refuse(row, "email", _("อีเมลไม่ถูกต้อง (ได้ “%(text)s”)") % {"text": row["email"]})
        else:
            if email in seen:
                refuse(row, "email", _("อีเมลซ้ำกับแถวที่ %(row)s") % {"row": seen[email]})
            seen.setdefault(email, row.number)
        role = roles.get(role_text.casefold())
        if role is None:
            choices = ", ".join(role_label(code) for code in role_codes())
            refuse(
                row,
                "role",
                _("บทบาทต้องเป็น %(choices)s (ได้ “%(text)s”)")
                % {"choices": choices, "text": role_text},
            )
        unit = units.get(unit_text, "") if unit_text else ""
        if unit_text and not unit:
            refuse(row, "unit", _("ไม่พบหน่วยงาน “%(name)s”") % {"name": unit_text})
        elif not unit_text and role in Membership.Role.values:
            refuse(row, "unit", _("ผู้รับผิดชอบตัวบ่งชี้และหัวหน้าหน่วยงานต้องระบุหน่วยงาน"))
        if len(errors) > problems or role is None:
            continue
        planned.append(PlannedUser(row.number, name, email, unit, role))
    if not planned:
        return planned
    # Compared in lower case in the database too: PostgreSQL's = and IN are case-sensitive.
    emails = [user.email for user in planned]
    accounts = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"), username_lower=Lower("username"))
        .filter(Q(email_lower__in=emails) | Q(username_lower__in=emails))
    )
    by_email: dict[str, list[User]] = {}
    for account in accounts:
        for key in {account.email.lower(), account.username.lower()}:
            by_email.setdefault(key, []).append(account)
    for user in planned:
        found = {account.pk: account for account in by_email.get(user.email, [])}
        if len(found) > 1:
            refuse(SheetRow(user.row), "email", _("มีผู้ใช้มากกว่าหนึ่งบัญชีที่ใช้อีเมลนี้ กรุณาแก้ในหน้าผู้ดูแลระบบ"))
            continue
        user.existing = next(iter(found.values()), None)
    _plan_user_changes(planned)
    return planned


def _plan_user_changes(planned: list[PlannedUser]) -> None:
    existing = [user.existing for user in planned if user.existing is not None]
    memberships = {
        (m.user_id, m.unit.evidence_prefix): m.role
        for m in Membership.objects.filter(user__in=existing).select_related("unit")
    }
    for user in planned:
        account = user.existing
        if account is None:
            continue
        if (account.first_name, account.last_name) != user.names:
            user.changed.append(_("ชื่อ"))
        if user.unit:
            role = user.role if user.role in Membership.Role.values else Membership.Role.STAFF
            current = memberships.get((account.pk, user.unit))
            if current is None:
                user.changed.append(_("เพิ่มเข้าหน่วยงาน"))
            elif current != role and user.role in Membership.Role.values:
                user.changed.append(_("บทบาท"))
        if user.role in QARole.PERMISSIONS:
            codes = QARole.PERMISSIONS[user.role]
            if not all(account.has_perm(f"indicators.{code}") for code in codes):
                user.changed.append(_("สิทธิ์"))


def plan_accounts(data: bytes) -> AccountsPlan:
    """The plan of the workbook; SheetError with every refused row of both sheets."""
    unit_rows, user_rows, units_title, users_title = read_workbook(data)
    errors: list[RowError] = []
    units, known = _plan_units(unit_rows, units_title, errors)
    users = _plan_users(user_rows, users_title, known, errors)
    if errors:
        raise refused(sorted(errors, key=lambda error: (error.sheet != units_title, error.row)))
    return AccountsPlan(units=units, users=users)
