"""Units and user accounts from an Excel workbook, memberships and the set-password mail.

The workbook has two sheets: "หน่วยงาน" (units: name, evidence prefix, parent unit) and
"ผู้ใช้" (users: name, e-mail, unit, role); either may be empty, not both. Units are
matched by evidence prefix, users by e-mail, so importing the same workbook again
changes nothing. Everything is written in one transaction, or nothing if any row of
either sheet is refused. A new user gets no password but an e-mail with a link to set
one (Django's password-reset token); an import never removes a unit, a user, a
membership or a right.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import Membership, Unit
from indicators.sheets import (
    Column,
    RowError,
    SheetError,
    SheetRow,
    SheetSpec,
    find_sheet,
    load_workbook,
    read_sheet,
    refused,
    write_template,
)

UNITS_SHEET = SheetSpec(
    title=gettext_lazy("หน่วยงาน"),
    english="Units",
    columns=[
        Column("name", gettext_lazy("ชื่อหน่วยงาน"), "Unit name", width=40),
        Column("prefix", gettext_lazy("อักษรย่อรหัสเอกสาร"), "Evidence prefix", width=20),
        Column("parent", gettext_lazy("สังกัด"), "Parent unit", required=False, width=40),
    ],
)
USERS_SHEET = SheetSpec(
    title=gettext_lazy("ผู้ใช้"),
    english="Users",
    columns=[
        Column("name", gettext_lazy("ชื่อ-นามสกุล"), "Name", width=30),
        Column("email", gettext_lazy("อีเมล"), "E-mail", width=32),
        Column("unit", gettext_lazy("หน่วยงาน"), "Unit", required=False, width=40),
        Column("role", gettext_lazy("บทบาท"), "Role", width=26),
    ],
)


class QARole:
    """The university-wide roles, kept as permissions (indicators.access asks them)."""

    OFFICER = "qa_officer"
    ADMIN = "qa_admin"
    PERMISSIONS = {OFFICER: ["review_assessment"], ADMIN: ["review_assessment", "administer_qa"]}

    @staticmethod
    def labels() -> dict[str, str]:
        return {
            QARole.OFFICER: _("เจ้าหน้าที่ประกันคุณภาพ"),
            QARole.ADMIN: _("ผู้ดูแลระบบประกันคุณภาพ"),
        }


def _labels() -> dict[str, Any]:
    return {**dict(Membership.Role.choices), **QARole.labels()}


def _roles() -> dict[str, str]:
    """Every way a role may be written in the sheet → its code: the code, its label in
    the page's language, its Thai label."""
    names = {code: code for code in _labels()}
    names.update({str(label).casefold(): code for code, label in _labels().items()})
    with translation.override(settings.LANGUAGE_CODE):
        names.update({str(label).casefold(): code for code, label in _labels().items()})
    return names


def role_label(code: str) -> str:
    return str(_labels().get(code, code))


def accounts_template() -> bytes:
    """The template workbook: the two sheets with an example row each, and instructions."""
    # Sample data, Thai as the sheet's format is (see sheets.Column.header).
    units = SheetSpec(
        UNITS_SHEET.title,
        UNITS_SHEET.english,
        UNITS_SHEET.columns,
        [["สำนักพิมพ์", "สพ", ""], ["ฝ่ายผลิตตำรา", "ผต", "สำนักพิมพ์"]],
    )
    users = SheetSpec(
        USERS_SHEET.title,
        USERS_SHEET.english,
        USERS_SHEET.columns,
        [
            ["สมชาย ใจดี", "somchai@example.ac.th", "สำนักพิมพ์", "หัวหน้าหน่วยงาน"],
            ["สมศรี รักงาน", "somsri@example.ac.th", "สพ", "ผู้รับผิดชอบตัวบ่งชี้"],
        ],
    )
    with translation.override(settings.LANGUAGE_CODE):
        roles = ", ".join(f"{role_label(code)} ({code})" for code in _role_codes())
    instructions = [
        _("วิธีกรอกแผ่นงาน “หน่วยงาน” และ “ผู้ใช้”"),
        _("• แถวแรกของแต่ละแผ่นงานเป็นหัวคอลัมน์ ห้ามแก้ชื่อ ลบแถวตัวอย่างออกก่อนกรอก"),
        _("• หน่วยงาน: ชื่อหน่วยงานและอักษรย่อรหัสเอกสาร (เช่น สพ) ไม่ซ้ำกัน "
          "สังกัด: ชื่อหรืออักษรย่อของหน่วยงานแม่ ที่มีอยู่แล้วหรืออยู่ในแผ่นงานนี้ เว้นว่างได้"),
        _("• ผู้ใช้: หนึ่งแถวต่อหนึ่งคน อีเมลไม่ซ้ำกัน หน่วยงาน: ชื่อหรืออักษรย่อของหน่วยงาน"),
        _("• บทบาท: %(roles)s (เจ้าหน้าที่และผู้ดูแลระบบประกันคุณภาพ ไม่ต้องระบุหน่วยงานก็ได้)")
        % {"roles": roles},
        _("• ผู้ใช้ใหม่จะได้รับอีเมลพร้อมลิงก์สำหรับตั้งรหัสผ่าน และเข้าสู่ระบบด้วยอีเมลของตน"),
        _("• นำเข้าซ้ำได้: ที่มีอยู่แล้วจะถูกปรับตามแผ่นงาน ไม่มีการลบหน่วยงาน ผู้ใช้ หรือสิทธิ์ใด ๆ "
          "ถ้ามีแถวใดผิด จะไม่บันทึกอะไรเลย"),
    ]  # fmt: skip
    return write_template([units, users], instructions)


def _role_codes() -> list[str]:
    return [*Membership.Role.values, QARole.OFFICER, QARole.ADMIN]


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
        if self.existing is None:
            return "create"
        return "update" if self.changed else "unchanged"


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
        if self.existing is None:
            return "create"
        return "update" if self.changed else "unchanged"

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


def _read(data: bytes) -> tuple[list[SheetRow], list[SheetRow], str, str]:
    book = load_workbook(data)
    try:
        units_sheet = find_sheet(book, UNITS_SHEET)
        users_sheet = find_sheet(book, USERS_SHEET)
        if units_sheet is None and users_sheet is None:
            raise SheetError(
                _("ไม่พบแผ่นงาน “%(units)s” หรือ “%(users)s” ในไฟล์ กรุณาใช้แบบฟอร์มที่ดาวน์โหลดจากหน้านี้")
                % {"units": UNITS_SHEET.title, "users": USERS_SHEET.title}
            )
        units = read_sheet(units_sheet, UNITS_SHEET, allow_empty=True) if units_sheet else []
        users = read_sheet(users_sheet, USERS_SHEET, allow_empty=True) if users_sheet else []
        titles = (
            units_sheet.title if units_sheet else str(UNITS_SHEET.title),
            users_sheet.title if users_sheet else str(USERS_SHEET.title),
        )
    finally:
        book.close()
    if not units and not users:
        raise SheetError(_("ไม่มีข้อมูลหน่วยงานหรือผู้ใช้ในไฟล์: ใส่ข้อมูลตั้งแต่แถวถัดจากหัวคอลัมน์"))
    return units, users, *titles


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

    roles = _roles()
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
            choices = ", ".join(role_label(code) for code in _role_codes())
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


def _plan(data: bytes) -> AccountsPlan:
    unit_rows, user_rows, units_title, users_title = _read(data)
    errors: list[RowError] = []
    units, known = _plan_units(unit_rows, units_title, errors)
    users = _plan_users(user_rows, users_title, known, errors)
    if errors:
        raise refused(sorted(errors, key=lambda error: (error.sheet != units_title, error.row)))
    return AccountsPlan(units=units, users=users)


def accounts_preview(*, data: bytes) -> AccountsPlan:
    """What importing the workbook would create and change; writes nothing. Raises
    SheetError (with every refused row of both sheets) if it cannot be imported."""
    return _plan(data)


def accounts_import(*, data: bytes, send_mail: bool = True) -> AccountsPlan:
    """Imports the workbook in one transaction; new users are mailed a link to set their
    password once it is committed. Raises SheetError and writes nothing if any row is
    refused."""
    with transaction.atomic():
        plan = _plan(data)
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


def set_password_link(user: User) -> str:
    """The address where the user sets a password: Django's password-reset link."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.KMT_BASE_URL.rstrip("/") + path


def send_set_password_mails(users: list[User]) -> int:
    """One Thai mail per new user with the link to set a password (valid for
    PASSWORD_RESET_TIMEOUT; after that, "ลืมรหัสผ่าน" on the sign-in page sends another)."""
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[KM Tracker] ตั้งรหัสผ่านเพื่อเข้าใช้ระบบ")
        for user in users:
            if not user.email:
                continue
            context: dict[str, Any] = {
                "user": user,
                "link": set_password_link(user),
                "login_url": settings.KMT_BASE_URL.rstrip("/") + reverse("login"),
                "university": settings.KMT_UNIVERSITY_NAME,
            }
            body = render_to_string("registration/set_password_email.txt", context)
            messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


# --- Memberships, one at a time (the unit's members page) -------------------------------


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
