"""Demo data: the Press office's KM indicator of fiscal 2563 (the seed SAR page),
the records its narrative speaks of, and one account per role.

Everything here is what the seed itself says; where it gives no detail (the
names of 11 of the 15 target staff, the date of the brainstorming session),
nothing is made up.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from evidence.models import (
    Activity,
    AgendaItem,
    EvidenceItem,
    KnowledgeTopic,
    Meeting,
    Person,
    TargetGroup,
    TopicRename,
)
from indicators.models import Assessment, Membership, Unit
from indicators.services.sar_import import sar_import

SEED_FILE = Path(__file__).with_name("sar_press_km_2563.txt")
UNIT_PREFIX = "สพ"
UNIT_NAME = "สำนักพิมพ์"
YEAR_BE = 2563

QA_OFFICERS_GROUP = "เจ้าหน้าที่ประกันคุณภาพ"
QA_ADMINS_GROUP = "ผู้ดูแลระบบประกันคุณภาพ"

# username, password, Thai name, role
DEMO_ACCOUNTS = [
    ("staff", "staff-demo-2563", "ผู้รับผิดชอบตัวบ่งชี้ สำนักพิมพ์", "staff"),
    ("head", "head-demo-2563", "หัวหน้าหน่วยงาน สำนักพิมพ์", "head"),
    ("qa", "qa-demo-2563", "เจ้าหน้าที่ประกันคุณภาพ", "qa"),
    ("admin", "admin-demo-2563", "ผู้ดูแลระบบประกันคุณภาพ", "admin"),
]

KM_COMMITTEE = "คณะกรรมการการจัดการความรู้ สำนักพิมพ์ และคณะทำงานการจัดการความรู้ สำนักพิมพ์"
EXECUTIVES = "ที่ประชุมผู้บริหารสำนักพิมพ์"
UNIVERSITY_KM = "คณะกรรมการการจัดการความรู้มหาวิทยาลัย"

FIRST_TOPIC_TITLE = "แนวปฏิบัติงานการส่งเสริมการตลาดผ่านสื่อเฟซบุ๊กและไลน์ (Facebook and Line )"
TOPIC_TITLE = "แนวการปฏิบติงาน การส่งเสริมการตลาดผ่านสื่อเฟซบุ๊กและไลน์แอด (Facebook and Line @)"
STRATEGIC_ALIGNMENT = (
    "แผนยุทธศาสตร์ ระยะ 5 ปี (พ.ศ.2563-2567) ของสำนักพิมพ์\n"
    "พันธกิจที่ 3 พัฒนาเผยแพร่และจัดจำหน่ายสิ่งพิมพ์ที่ทันสมัยให้มีความหลากหลาย"
    "และตอบสนองความต้องการของสังคม\n"
    "ประเด็นยุทธศาสตร์ที่ 3 การพัฒนาและจัดจำหน่ายสิ่งพิมพ์ และสื่ออิเล็กทรอนิกส์ที่ทันสมัย"
    "ให้มีความหลากหลาย ส่งเสริมภาพลักษณ์องค์กร เพื่อตอบสนองความต้องการของลูกค้า\n"
    "กลยุทธ์ที่ 2 การส่งเสริมการตลาดเพื่อการบรรลุยอดขายด้วยการโฆษณา ส่งเสริมการขาย ขายตรง "
    "การประชาสัมพันธ์\n"
    "กลยุทธ์ที่ 4 พัฒนาปรับปรุงรูปแบบการประชาสัมพันธ์เชิงรุก และช่องทางการบริการจัดจำหน่าย"
    "ออนไลน์การเข้าถึงลูกค้ากลุ่มเป้าหมาย"
)
SECTION = "ฝ่ายเผยแพร่และจัดจำหน่าย"
# The staff the seed names, with the roles it gives them.
NAMED_STAFF = [
    ("นางรัตนา ช้างเยาว์", "หัวหน้าฝ่ายเผยแพร่และจัดจำหน่าย"),
    ("นางวรรณี จดจำ", "หัวหน้าหน่วยเผยแพร่"),
    ("นางเยาวเรศ ไมตรีสวัสดิ์", "หัวหน้าหน่วยจัดจำหน่าย"),
    ("นางสาวรำไพพรรณ ทองทาบ", ""),
]
PRESS_MEETING_ROOM = "ห้องประชุมสำนักพิมพ์"
TRAINING_ROOM = "ห้องประชุม 8228 อาคารบริภัณฑ์"


def _date(year_be: int, month: int, day: int) -> datetime.date:
    return datetime.date(year_be - 543, month, day)


@dataclass
class DemoReport:
    assessment: Assessment
    accounts: list[tuple[str, str, str]]


def _accounts(unit: Unit, *, production: bool) -> list[tuple[str, str, str]]:
    """The demo accounts, with the passwords the README publishes.

    On a production server (``production``) nobody may sign in with a published
    password, and an account of that name that exists already belongs to a real
    person: existing accounts are left alone, new ones get no usable password (set
    one with ``manage.py changepassword``), and none becomes a superuser.
    """
    user_model = get_user_model()
    officers, _ = Group.objects.get_or_create(name=QA_OFFICERS_GROUP)
    admins, _ = Group.objects.get_or_create(name=QA_ADMINS_GROUP)
    review = Permission.objects.get(codename="review_assessment")
    administer = Permission.objects.get(codename="administer_qa")
    officers.permissions.add(review)
    admins.permissions.add(review, administer)
    printed = []
    for username, password, name, role in DEMO_ACCOUNTS:
        user = user_model.objects.filter(username=username).first()
        if production:
            if user is not None:
                continue
            user = user_model.objects.create_user(username=username, password=None)
            password = ""
        elif user is None:
            user = user_model.objects.create_user(username=username, password=password)
        changed = False
        if user.first_name != name:
            user.first_name, changed = name, True
        if not user.email:
            # Workflow e-mails go to the console in a try-out; .invalid never resolves.
            user.email, changed = f"{username}@kmtracker.invalid", True
        if role == "admin" and not production and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = changed = True
        if changed:
            user.save()
        if role in ("staff", "head"):
            Membership.objects.update_or_create(user=user, unit=unit, defaults={"role": role})
        elif role == "qa":
            user.groups.add(officers)
        else:
            user.groups.add(admins)
        printed.append((username, password, name))
    return printed


def load_demo(*, production: bool = False) -> DemoReport:
    """Loads (or refreshes) the demo; ``production``: see ``_accounts``."""
    with transaction.atomic():
        report = sar_import(
            text=SEED_FILE.read_text(encoding="utf-8"),
            unit_prefix=UNIT_PREFIX,
            unit_name=UNIT_NAME,
            year_be=YEAR_BE,
            cycle_kind="fiscal",
        )
        assessment = report.assessment
        unit, cycle = assessment.unit, assessment.indicator.cycle
        if assessment.target is None:
            assessment.target = Decimal(5)
            assessment.save(update_fields=["target"])
        indicator = assessment.indicator
        if not indicator.result_unit:
            indicator.result_unit = "ข้อ"
            indicator.save(update_fields=["result_unit"])

        def meeting(
            body: str,
            number: str,
            day: datetime.date,
            agenda: list[tuple[str, str, str, int | None]],
        ) -> Meeting:
            obj, _ = Meeting.objects.update_or_create(
                unit=unit, body=body, number=number, defaults={"date": day}
            )
            for agenda_number, title, resolution, page in agenda:
                AgendaItem.objects.update_or_create(
                    meeting=obj,
                    number=agenda_number,
                    defaults={"title": title, "resolution": resolution, "page": page},
                )
            return obj

        km_1 = meeting(
            KM_COMMITTEE,
            "1/2563",
            _date(2563, 1, 9),
            [
                ("3.3", "พิจารณากำหนดประเด็นความรู้ประจำปี 2563",
                 f"กำหนดประเด็นความรู้ เรื่อง {FIRST_TOPIC_TITLE} ของฝ่ายเผยแพร่และจัดจำหน่าย "
                 "เพื่อเพิ่มช่องทางในการประชาสัมพันธ์และส่งเสริมการตลาดในการจำหน่ายสื่อวัสดุการศึกษา"
                 "และของที่ระลึก", 2),
                ("3.4", "พิจารณากำหนดกลุ่มเป้าหมาย",
                 "กำหนดกลุ่มเป้าหมาย ได้แก่ บุคลากรฝ่ายเผยแพร่และจัดจำหน่าย รวมทั้งสิ้น 15 คน", 2),
            ],
        )  # fmt: skip
        exec_1 = meeting(
            EXECUTIVES,
            "1/2563",
            _date(2563, 1, 14),
            [
                ("4.5", "พิจารณาประเด็นความรู้ ประจำปี 2563",
                 "เห็นชอบตามที่คณะกรรมการและคณะทำงานการจัดการความรู้สำนักพิมพ์เสนอ", 2),
                ("5.1", "แต่งตั้งคณะทำงานการจัดการความรู้ของสำนักพิมพ์",
                 "เห็นชอบตามที่คณะกรรมการและคณะทำงานการจัดการความรู้สำนักพิมพ์เสนอ", 4),
            ],
        )  # fmt: skip
        university_1 = meeting(
            UNIVERSITY_KM,
            "1/2563",
            _date(2563, 2, 13),
            [("", "พิจารณาประเด็นความรู้ของหน่วยงาน",
              "ให้ปรับชื่อประเด็นความรู้ให้มีความชัดเจนมากขึ้น", None)],
        )  # fmt: skip
        exec_4 = meeting(
            EXECUTIVES,
            "4/2563",
            _date(2563, 5, 15),
            [("5.1", "พิจารณาปรับชื่อประเด็นความรู้",
              f"ให้ปรับชื่อประเด็นความรู้เป็น เรื่อง “{TOPIC_TITLE}”", None)],
        )  # fmt: skip

        people = []
        for name, position in NAMED_STAFF:
            person, _ = Person.objects.update_or_create(
                unit=unit, name=name, defaults={"position": position, "section": SECTION}
            )
            people.append(person)
        group, _ = TargetGroup.objects.update_or_create(
            unit=unit, cycle=cycle, name=f"บุคลากร{SECTION}", defaults={"headcount": 15}
        )
        group.members.add(*people)

        topic, _ = KnowledgeTopic.objects.update_or_create(
            unit=unit,
            cycle=cycle,
            title=TOPIC_TITLE,
            defaults={"strategic_alignment": STRATEGIC_ALIGNMENT, "target_group": group},
        )
        TopicRename.objects.update_or_create(
            topic=topic,
            previous_title=FIRST_TOPIC_TITLE,
            defaults={"renamed_on": _date(2563, 5, 15), "meeting": exec_4},
        )

        def activity(kind: str, title: str, day: datetime.date, **values: object) -> Activity:
            obj, _ = Activity.objects.update_or_create(
                unit=unit, kind=kind, date=day, title=title, defaults={"topic": topic, **values}
            )
            return obj

        sharing = activity(
            Activity.Kind.SHARING,
            "แลกเปลี่ยนเรียนรู้ เรื่อง แนวปฏิบัติงานการส่งเสริมการตลาดผ่านสื่อเฟซบุ๊กและไลน์แอด "
            "(Facebook and Line @)",
            _date(2563, 5, 27),
            place=PRESS_MEETING_ROOM,
            speakers="นางวรรณี จดจำ\nนางเยาวเรศ ไมตรีสวัสดิ์\nนางสาวรำไพพรรณ ทองทาบ",
            attendance=15,
            notes="ผู้ดำเนินการชี้แจง: นางรัตนา ช้างเยาว์ หัวหน้าฝ่ายเผยแพร่และจัดจำหน่าย",
        )
        sharing.attendees.add(*people)
        training_1 = activity(
            Activity.Kind.TRAINING,
            "แนวปฏิบัติงานการส่งเสริมการตลาดผ่านสื่อ Facebook and Line OA",
            _date(2563, 7, 22),
            place=TRAINING_ROOM,
            speakers="ผู้ช่วยศาสตราจารย์ ดร.กรรณ จรรยาวุฒิวรรณ์",
            attendance=15,
        )
        training_2 = activity(
            Activity.Kind.TRAINING,
            "การตลาดออนไลน์",
            _date(2563, 7, 31),
            place=TRAINING_ROOM,
            speakers="ผู้ช่วยศาสตราจารย์.ภญ.ดร.อโณทัย งามวิชัยกิจ",
            attendance=15,
        )
        applied = activity(
            Activity.Kind.APPLICATION,
            "บุคลากรฝ่ายเผยแพร่และจัดจำหน่ายนำแนวปฏิบัติที่ดีไปใช้จริง",
            _date(2563, 8, 20),
            satisfaction_percent=Decimal("93.66"),
            notes="ผลการประเมินความพึงพอใจในการบริการของลูกค้าที่ใช้บริการผ่านสื่อออนไลน์ อยู่ในเกณฑ์ดีมาก",
        )
        disseminated = activity(
            Activity.Kind.DISSEMINATION,
            "เผยแพร่แนวปฏิบัติที่ดี เรื่อง แนวปฏิบัติงานการส่งเสริมการตลาดผ่านสื่อเฟซบุ๊กและไลน์โอเอ "
            "(Facebook and Line OA) แก่กลุ่มเป้าหมาย",
            _date(2563, 8, 21),
        )

        # Which record each evidence item documents: (criterion, item) → record.
        links = {
            (1, 1): km_1, (1, 2): km_1, (1, 3): exec_1, (1, 4): university_1, (1, 5): exec_4,
            (3, 1): sharing, (3, 2): sharing, (3, 3): sharing, (3, 4): sharing,
            (4, 1): training_1, (4, 2): training_1, (4, 3): training_1,
            (4, 4): training_2, (4, 5): training_2, (4, 7): disseminated,
            (5, 6): applied, (5, 7): applied,
        }  # fmt: skip
        items = EvidenceItem.objects.filter(result__assessment=assessment).select_related(
            "result__criterion"
        )
        for item in items:
            record = links.get((item.result.criterion.order, item.position))
            field = "meeting" if isinstance(record, Meeting) else "activity"
            if record is not None and getattr(item, f"{field}_id") != record.pk:
                setattr(item, field, record)
                item.save(update_fields=[field])

        accounts = _accounts(unit, production=production)
    return DemoReport(assessment=assessment, accounts=accounts)
