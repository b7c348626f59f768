"""The accounts workbook: its two sheets' columns, the roles as they may be written in
it, the template to download, and reading its rows (nothing checked against the
database here: see ``plan``)."""

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import Membership
from indicators.sheets import (
    Column,
    SheetError,
    SheetRow,
    SheetSpec,
    find_sheet,
    load_workbook,
    read_sheet,
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


def roles_as_written() -> dict[str, str]:
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
        roles = ", ".join(f"{role_label(code)} ({code})" for code in role_codes())
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


def role_codes() -> list[str]:
    return [*Membership.Role.values, QARole.OFFICER, QARole.ADMIN]


def read_workbook(data: bytes) -> tuple[list[SheetRow], list[SheetRow], str, str]:
    """The rows of the units and users sheets, and the two sheets' titles as found;
    SheetError if neither sheet is there or both are empty."""
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
