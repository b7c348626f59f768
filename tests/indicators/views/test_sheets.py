"""The import pages: a template to download, an upload previewed, then confirmed; only
for the QA administrator (staff, QA officer and outsider refused)."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from indicators.models import Cycle, Indicator, Membership, Unit
from tests.factories import CycleFactory, QAAdminFactory
from tests.sheet_helpers import read_back, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["ตัวบ่งชี้ที่", "ชื่อตัวบ่งชี้", "ชนิดของตัวบ่งชี้", "ตารางคะแนน", "ค่าที่ได้คะแนนเต็ม",
          "หน่วย", "เกณฑ์ข้อที่", "เกณฑ์มาตรฐาน"]  # fmt: skip
ROWS = [
    [1, "การจัดการความรู้", "กระบวนการ", None, None, None, 1, "กำหนดประเด็น"],
    [1, None, None, None, None, None, 2, "แลกเปลี่ยนเรียนรู้"],
    [2, "ร้อยละผู้ผ่านการอบรม", "ผลลัพธ์", None, 80, "ร้อยละ", None, None],
]
# The template also has the optional numerator and denominator names (output indicators).
TEMPLATE_HEADER = [*HEADER[:6], "ชื่อตัวตั้ง", "ชื่อตัวหาร", *HEADER[6:]]


@pytest.fixture
def qa_admin(db: None) -> User:
    return QAAdminFactory(username="dora")


@pytest.fixture
def cycle(db: None) -> Cycle:
    return CycleFactory(year_be=2567)


def upload(data: bytes, name: str = "set.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_the_qa_admin_opens_the_pages(
    client: Client, cycle: Cycle, staff: User, qa_officer: User, outsider: User, qa_admin: User
) -> None:
    urls = [
        reverse("indicators:indicator_set_import", args=[cycle.pk]),
        reverse("indicators:indicator_set_template"),
        reverse("indicators:accounts_import"),
        reverse("indicators:accounts_template"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
        for user in (staff, qa_officer, outsider):
            answer = signed_in(user).get(url)
            assert answer.status_code == 403, (url, user)
            assert "ผู้ดูแลระบบประกันคุณภาพ" in answer.content.decode()
        assert signed_in(qa_admin).get(url).status_code == 200
    post = signed_in(staff).post(urls[0], {"file": upload(xlsx({"S": [HEADER, *ROWS]}))})
    assert post.status_code == 403 and not Indicator.objects.exists()


def test_the_templates_download_as_workbooks(qa_admin: User) -> None:
    client = signed_in(qa_admin)
    answer = client.get(reverse("indicators:indicator_set_template"))
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in answer["Content-Disposition"]
    assert read_back(answer.content)["ตัวบ่งชี้และเกณฑ์"][0] == TEMPLATE_HEADER
    answer = client.get(reverse("indicators:accounts_template"))
    assert list(read_back(answer.content)) == ["หน่วยงาน", "ผู้ใช้", "คำอธิบาย"]


def test_upload_previews_then_confirm_imports(qa_admin: User, cycle: Cycle) -> None:
    client = signed_in(qa_admin)
    url = reverse("indicators:indicator_set_import", args=[cycle.pk])
    page = client.get(url).content.decode()
    assert reverse("indicators:indicator_set_template") in page
    preview = client.post(url, {"file": upload(xlsx({"S": [HEADER, *ROWS]}))})
    text = preview.content.decode()
    assert preview.status_code == 200 and "สร้างใหม่" in text and "ร้อยละผู้ผ่านการอบรม" in text
    assert not Indicator.objects.exists()
    sheet = re.search(r'name="sheet" value="([^"]+)"', text)
    assert sheet is not None
    done = client.post(url, {"confirm": "1", "sheet": sheet.group(1)}, follow=True)
    assert "นำเข้าตัวบ่งชี้แล้ว: สร้างใหม่ 2" in done.content.decode()
    assert sorted(cycle.indicators.values_list("number", flat=True)) == ["1", "2"]
    again = client.post(url, {"file": upload(xlsx({"S": [HEADER, *ROWS]}))})
    assert "การนำเข้าจะไม่เปลี่ยนแปลงอะไร" in again.content.decode()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload(b"a,b\n1,2\n", "set.csv"), "รับเฉพาะไฟล์ Excel แบบ .xlsx"),
        (upload(b"not a zip at all"), "ต้องเป็นไฟล์ Excel แบบ .xlsx"),
        (upload(xlsx({"S": [["ตัวบ่งชี้ที่", "ชื่อตัวบ่งชี้"], [1, "ก"]]})), "“ชนิดของตัวบ่งชี้”"),
        (upload(xlsx({"S": [HEADER]})), "ไม่มีข้อมูล"),
        (upload(b""), "ไฟล์นี้ว่างเปล่า"),
    ],
)
def test_bad_files_get_a_thai_message_and_write_nothing(
    qa_admin: User, cycle: Cycle, file: SimpleUploadedFile, message: str
) -> None:
    url = reverse("indicators:indicator_set_import", args=[cycle.pk])
    answer = signed_in(qa_admin).post(url, {"file": file})
    assert answer.status_code == 200 and message in answer.content.decode()
    assert not Indicator.objects.exists()


def test_refused_rows_are_listed_with_row_and_column(qa_admin: User, cycle: Cycle) -> None:
    rows = [list(row) for row in ROWS]
    rows[1][6] = "สอง"
    rows[2][4] = "แปดสิบ"
    answer = signed_in(qa_admin).post(
        reverse("indicators:indicator_set_import", args=[cycle.pk]),
        {"file": upload(xlsx({"S": [HEADER, *rows]}))},
    )
    text = answer.content.decode()
    assert "แถวที่ 3 คอลัมน์ “เกณฑ์ข้อที่”" in text
    assert "แถวที่ 4 คอลัมน์ “ค่าที่ได้คะแนนเต็ม”" in text
    assert 'name="confirm"' not in text and not Indicator.objects.exists()


def test_a_forged_confirmation_is_refused(qa_admin: User, cycle: Cycle) -> None:
    url = reverse("indicators:indicator_set_import", args=[cycle.pk])
    for sheet in ("%%%", "", "bm90IGEgd29ya2Jvb2s="):
        answer = signed_in(qa_admin).post(url, {"confirm": "1", "sheet": sheet})
        assert answer.status_code == 200 and "alert-danger" in answer.content.decode()
    assert not Indicator.objects.exists()


def test_accounts_upload_preview_confirm_and_mail(
    qa_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(qa_admin)
    url = reverse("indicators:accounts_import")
    data = xlsx(
        {
            "หน่วยงาน": [["ชื่อหน่วยงาน", "อักษรย่อรหัสเอกสาร"], ["สำนักพิมพ์", "สพ"]],
            "ผู้ใช้": [["ชื่อ-นามสกุล", "อีเมล", "หน่วยงาน", "บทบาท"],
                       ["สมศรี รักงาน", "somsri@example.ac.th", "สพ", "หัวหน้าหน่วยงาน"]],
        }
    )  # fmt: skip
    text = client.post(url, {"file": upload(data)}).content.decode()
    assert "somsri@example.ac.th" in text and not Unit.objects.exists()
    sheet = re.search(r'name="sheet" value="([^"]+)"', text)
    assert sheet is not None
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"confirm": "1", "sheet": sheet.group(1)}, follow=True)
    assert "ผู้ใช้ใหม่ 1" in done.content.decode()
    membership = Membership.objects.get(user__email="somsri@example.ac.th")
    assert membership.role == Membership.Role.HEAD and membership.unit.evidence_prefix == "สพ"
    assert [m.to for m in mail.outbox] == [["somsri@example.ac.th"]]
    assert reverse("indicators:unit_members", args=[membership.unit_id]) in done.content.decode()


def test_accounts_bad_row_is_listed(qa_admin: User) -> None:
    data = xlsx({"ผู้ใช้": [["ชื่อ-นามสกุล", "อีเมล", "หน่วยงาน", "บทบาท"],
                            ["ก ข", "k@example.ac.th", "ไม่มีหน่วยนี้", "staff"]]})  # fmt: skip
    answer = signed_in(qa_admin).post(reverse("indicators:accounts_import"), {"file": upload(data)})
    assert "แผ่นงาน “ผู้ใช้” แถวที่ 2 คอลัมน์ “หน่วยงาน”" in answer.content.decode()
    assert not User.objects.filter(email="k@example.ac.th").exists()


def test_home_links_the_qa_admin_to_the_imports(
    qa_admin: User, staff: User, qa_officer: User, cycle: Cycle
) -> None:
    links = [
        reverse("indicators:accounts_import"),
        reverse("indicators:indicator_set_import", args=[cycle.pk]),
    ]
    home = signed_in(qa_admin).get(reverse("home")).content.decode()
    assert all(link in home for link in links)
    for user in (staff, qa_officer):
        home = signed_in(user).get(reverse("home")).content.decode()
        assert not any(link in home for link in links)
