"""Units and users from a workbook: all or nothing, idempotent, the set-password mail."""

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from indicators.access import can_see_all_units, is_qa_admin
from indicators.models import Membership, Unit
from indicators.services.accounts.imports import accounts_import, accounts_preview
from indicators.services.accounts.memberships import membership_add
from indicators.services.accounts.workbook import accounts_template
from indicators.sheets import SheetError
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from tests.sheet_helpers import read_back, xlsx

pytestmark = pytest.mark.django_db

UNITS = ["ชื่อหน่วยงาน", "อักษรย่อรหัสเอกสาร", "สังกัด"]
USERS = ["ชื่อ-นามสกุล", "อีเมล", "หน่วยงาน", "บทบาท"]


def workbook(units: list[list[Any]], users: list[list[Any]]) -> bytes:
    return xlsx({"หน่วยงาน": [UNITS, *units], "ผู้ใช้": [USERS, *users]})


def ten_units() -> list[list[Any]]:
    rows: list[list[Any]] = [["มหาวิทยาลัยทดสอบ", "มท", None]]
    rows += [[f"คณะที่ {n}", f"ค{n}", "มหาวิทยาลัยทดสอบ"] for n in range(1, 10)]
    return rows


def twenty_users() -> list[list[Any]]:
    rows: list[list[Any]] = []
    for n in range(1, 21):
        unit = f"ค{(n % 9) + 1}"
        role = "หัวหน้าหน่วยงาน" if n <= 9 else "ผู้รับผิดชอบตัวบ่งชี้"
        rows.append([f"ผู้ใช้ ทดสอบ{n}", f"User{n}@Example.ac.th", unit, role])
    return rows


def test_import_creates_units_users_memberships_and_mails_each_new_user(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        plan = accounts_import(data=workbook(ten_units(), twenty_users()))
    assert plan.counts["units_create"] == 10 and plan.counts["users_create"] == 20
    faculty = Unit.objects.get(evidence_prefix="ค3")
    assert faculty.name == "คณะที่ 3" and faculty.parent == Unit.objects.get(evidence_prefix="มท")
    user = User.objects.get(email="user2@example.ac.th")
    assert user.username == "user2@example.ac.th" and user.get_full_name() == "ผู้ใช้ ทดสอบ2"
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Membership.Role.HEAD
    assert Membership.objects.get(user__email="user12@example.ac.th").role == "staff"
    assert len(mail.outbox) == 20
    message = next(m for m in mail.outbox if m.to == ["user2@example.ac.th"])
    assert "ตั้งรหัสผ่าน" in message.subject and "เรียน ผู้ใช้ ทดสอบ2" in message.body


def test_the_link_in_the_mail_sets_a_password(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        users = [["สมศรี รักงาน", "somsri@example.ac.th", "หก", "staff"]]
        accounts_import(data=workbook([["หน่วยงาน ก", "หก", None]], users))
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    page = client.get(path, follow=True)
    assert page.status_code == 200 and "ตั้งรหัสผ่าน" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    answer = client.post(
        form_url, {"new_password1": "ใหม่-Strong-2567", "new_password2": "ใหม่-Strong-2567"}
    )
    assert answer.status_code == 302
    assert Client().login(username="somsri@example.ac.th", password="ใหม่-Strong-2567")
    # The link is used up.
    again = client.get(path, follow=True)
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in again.content.decode()


def test_a_second_import_changes_nothing_and_mails_nobody(
    django_capture_on_commit_callbacks: Any,
) -> None:
    data = workbook(ten_units(), twenty_users())
    with django_capture_on_commit_callbacks(execute=True):
        accounts_import(data=data)
    mail.outbox.clear()
    before = (
        list(Unit.objects.values_list()),
        list(User.objects.values_list("pk", "username", "email", "first_name", "last_name")),
        list(Membership.objects.values_list()),
    )
    assert not accounts_preview(data=data).changed
    with django_capture_on_commit_callbacks(execute=True):
        plan = accounts_import(data=data)
    assert not plan.changed and mail.outbox == []
    after = (
        list(Unit.objects.values_list()),
        list(User.objects.values_list("pk", "username", "email", "first_name", "last_name")),
        list(Membership.objects.values_list()),
    )
    assert after == before


def test_one_bad_row_among_50_writes_nothing_and_names_row_and_column() -> None:
    units = ten_units()
    users = twenty_users() + [[f"คนที่ {n}", f"p{n}@example.ac.th", "ค1", "staff"] for n in range(20)]
    assert len(units) + len(users) == 50
    users[32][1] = "ไม่ใช่อีเมล"  # the users sheet's Excel row 34
    with pytest.raises(SheetError) as raised:
        accounts_import(data=workbook(units, users))
    assert [str(error) for error in raised.value.errors] == [
        "แผ่นงาน “ผู้ใช้” แถวที่ 34 คอลัมน์ “อีเมล”: อีเมลไม่ถูกต้อง (ได้ “ไม่ใช่อีเมล”)"
    ]
    assert not Unit.objects.exists() and not User.objects.exists()
    assert mail.outbox == []


def test_every_refused_row_of_both_sheets_is_listed() -> None:
    UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ")
    units = [
        ["หน่วย ก", "หก", "ไม่มีหน่วยนี้"],  # row 2: unknown parent
        ["หน่วย ข", "หก", None],  # row 3: prefix twice
        ["สำนักพิมพ์", "สน", None],  # row 4: a name another unit has
        [None, "หค", None],  # row 5: no name
        ["หน่วย ง", "ห ง", None],  # row 6: a prefix with a space
    ]
    users = [
        ["ก ข", "a@example.ac.th", "สพ", "staff"],
        ["ค ง", "A@example.ac.th", "สพ", "staff"],  # row 3: same e-mail
        ["จ ฉ", "b@example.ac.th", "ไม่มี", "staff"],  # row 4: unknown unit
        ["ช ซ", "c@example.ac.th", "สพ", "ผู้อำนวยการ"],  # row 5: bad role
        ["ฌ ญ", "d@example.ac.th", None, "head"],  # row 6: head of nothing
        [None, "e@example.ac.th", "สพ", "staff"],  # row 7: no name
    ]
    with pytest.raises(SheetError) as raised:
        accounts_import(data=workbook(units, users))
    found = [(e.sheet, e.row, e.column) for e in raised.value.errors]
    assert found == [
        ("หน่วยงาน", 2, "สังกัด"),
        ("หน่วยงาน", 3, "อักษรย่อรหัสเอกสาร"),
        ("หน่วยงาน", 4, "ชื่อหน่วยงาน"),
        ("หน่วยงาน", 5, "ชื่อหน่วยงาน"),
        ("หน่วยงาน", 6, "อักษรย่อรหัสเอกสาร"),
        ("ผู้ใช้", 3, "อีเมล"),
        ("ผู้ใช้", 4, "หน่วยงาน"),
        ("ผู้ใช้", 5, "บทบาท"),
        ("ผู้ใช้", 6, "หน่วยงาน"),
        ("ผู้ใช้", 7, "ชื่อ-นามสกุล"),
    ]
    messages = [e.message for e in raised.value.errors]
    assert "ไม่พบหน่วยงาน “ไม่มีหน่วยนี้”" in messages[0]
    assert "ซ้ำกับแถวที่ 2" in messages[5]
    assert Unit.objects.count() == 1 and not User.objects.exists()


def test_a_parent_loop_is_refused() -> None:
    units = [["หน่วย ก", "หก", "หข"], ["หน่วย ข", "หข", "หก"]]
    with pytest.raises(SheetError) as raised:
        accounts_import(data=workbook(units, []))
    assert {e.row for e in raised.value.errors} == {2, 3}
    assert all("วนกลับ" in e.message for e in raised.value.errors)


def test_existing_users_are_matched_by_email_and_qa_roles_become_rights(
    django_capture_on_commit_callbacks: Any,
) -> None:
    unit = UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ")
    alice = MembershipFactory(
        user=UserFactory(username="alice", email="Alice@Example.ac.th"), unit=unit
    ).user
    users = [
        ["Alice Liddell", "ALICE@example.ac.th", "สำนักพิมพ์", "หัวหน้าหน่วยงาน"],
        ["บ๊อบ ตรวจ", "bob@example.ac.th", None, "เจ้าหน้าที่ประกันคุณภาพ"],
        ["ดอร่า ดูแล", "dora@example.ac.th", "สพ", "qa_admin"],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        plan = accounts_import(data=xlsx({"Users": [["Name", "E-mail", "Unit", "Role"], *users]}))
    assert [u.action for u in plan.users] == ["update", "create", "create"]
    alice.refresh_from_db()
    assert alice.username == "alice" and alice.get_full_name() == "Alice Liddell"
    assert Membership.objects.get(user=alice).role == Membership.Role.HEAD
    bob = User.objects.get(email="bob@example.ac.th")
    assert can_see_all_units(bob) and not is_qa_admin(bob) and not bob.memberships.exists()
    dora = User.objects.get(email="dora@example.ac.th")
    assert is_qa_admin(dora) and Membership.objects.get(user=dora).role == "staff"
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.ac.th", "dora@example.ac.th"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (xlsx({"Sheet": [["a"], [1]]}), "ไม่พบแผ่นงาน"),
        (workbook([], []), "ไม่มีข้อมูลหน่วยงานหรือผู้ใช้"),
        (xlsx({"ผู้ใช้": [["ชื่อ-นามสกุล", "อีเมล"], ["ก", "a@b.th"]]}), "“บทบาท”"),
        (b"not a workbook", ".xlsx"),
    ],
)
def test_whole_file_problems_are_said_in_thai(data: bytes, message: str) -> None:
    with pytest.raises(SheetError) as raised:
        accounts_import(data=data)
    assert message in raised.value.message


def test_the_template_reads_back_and_imports(django_capture_on_commit_callbacks: Any) -> None:
    data = accounts_template()
    sheets = read_back(data)
    assert list(sheets) == ["หน่วยงาน", "ผู้ใช้", "คำอธิบาย"]
    assert sheets["หน่วยงาน"][0] == UNITS and sheets["ผู้ใช้"][0] == USERS
    with django_capture_on_commit_callbacks(execute=True):
        plan = accounts_import(data=data)
    assert plan.counts["units_create"] == 2 and plan.counts["users_create"] == 2
    assert Unit.objects.get(evidence_prefix="ผต").parent == Unit.objects.get(evidence_prefix="สพ")


def test_membership_add_refuses_unknown_and_duplicate_users() -> None:
    unit = UnitFactory()
    user = UserFactory(username="eve", email="eve@example.ac.th")
    membership_add(unit=unit, email="EVE@example.ac.th", role="head")
    with pytest.raises(Exception, match="เป็นสมาชิกของหน่วยงานอยู่แล้ว"):
        membership_add(unit=unit, email="eve", role="staff")
    with pytest.raises(Exception, match="ไม่พบผู้ใช้"):
        membership_add(unit=unit, email="nobody@example.ac.th", role="staff")
    assert Membership.objects.get(unit=unit).user == user


def test_command_imports_and_refuses_with_rows(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    path = tmp_path / "accounts.xlsx"
    path.write_bytes(workbook(ten_units(), twenty_users()))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_accounts", str(path), "--no-email", stdout=out)
    assert "หน่วยงาน: สร้าง 10" in out.getvalue() and "ผู้ใช้: สร้าง 20" in out.getvalue()
    assert mail.outbox == []
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([], [["ก ข", "x@example.ac.th", "ไม่มี", "staff"]]))
    with pytest.raises(CommandError, match="แถวที่ 2 คอลัมน์ “หน่วยงาน”"):
        call_command("import_accounts", str(bad))


def test_a_units_sheet_without_the_parent_column_keeps_parents() -> None:
    parent = UnitFactory(name="มหาวิทยาลัย", evidence_prefix="มห")
    UnitFactory(name="คณะ ก", evidence_prefix="คก", parent=parent)
    data = xlsx({"หน่วยงาน": [UNITS[:2], ["คณะ ก ใหม่", "คก"]]})
    plan = accounts_import(data=data)
    assert [(u.action, u.changed) for u in plan.units] == [("update", ["ชื่อหน่วยงาน"])]
    unit = Unit.objects.get(evidence_prefix="คก")
    assert unit.name == "คณะ ก ใหม่" and unit.parent == parent
    cleared = accounts_import(data=workbook([["คณะ ก ใหม่", "คก", None]], []))
    assert cleared.units[0].changed == ["สังกัด"]
    assert Unit.objects.get(evidence_prefix="คก").parent is None


def test_in_english_the_sheet_is_still_thai_and_english_roles_are_read() -> None:
    with translation.override("en"):
        sheets = read_back(accounts_template())
        assert list(sheets)[:2] == ["หน่วยงาน", "ผู้ใช้"] and sheets["ผู้ใช้"][0] == USERS
        assert sheets["คำอธิบาย"][0] == [
            "How to fill in the sheets “หน่วยงาน” (units) and “ผู้ใช้” (users)"
        ]
        users = [["ก ข", "a@example.ac.th", "สพ", "Unit head"], ["ค ง", "b@", "สพ", "staff"]]
        with pytest.raises(SheetError) as raised:
            accounts_import(data=workbook([["Press", "สพ", None]], users))
        assert [str(error) for error in raised.value.errors] == [
            "sheet “ผู้ใช้”, row 3, column “อีเมล”: Not a valid e-mail address (got “b@”)"
        ]
