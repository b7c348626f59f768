"""Factories for every model, in one place (factory_boy)."""

import datetime
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from evidence.models import (
    Activity,
    AgendaItem,
    Document,
    EvidenceItem,
    KnowledgeTopic,
    Meeting,
    Person,
    ReviewComment,
    TargetGroup,
    TopicRename,
)
from indicators.models import (
    Assessment,
    AssessmentTransition,
    Criterion,
    CriterionResult,
    Cycle,
    Indicator,
    Membership,
    Unit,
)
from indicators.scoring import FIVE_CRITERIA_TABLE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("password")


class QAOfficerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"qa{n}")

    @factory.post_generation
    def review_permission(obj, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.user_permissions.add(Permission.objects.get(codename="review_assessment"))


class QAAdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"qaadmin{n}")

    @factory.post_generation
    def admin_permissions(obj, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.user_permissions.add(
                *Permission.objects.filter(codename__in=["review_assessment", "administer_qa"])
            )


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["evidence_prefix"]

    name = factory.Sequence(lambda n: f"หน่วยงานทดสอบ {n}")
    evidence_prefix = factory.Sequence(lambda n: f"ทส{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Membership.Role.STAFF


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle
        django_get_or_create = ["kind", "year_be"]

    kind = Cycle.Kind.FISCAL
    year_be = 2563
    start_date = factory.LazyAttribute(lambda o: Cycle.fiscal_dates(o.year_be)[0])
    end_date = factory.LazyAttribute(lambda o: Cycle.fiscal_dates(o.year_be)[1])


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    cycle = factory.SubFactory(CycleFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"ตัวบ่งชี้ทดสอบ {n}")
    kind = Indicator.Kind.PROCESS
    score_table = factory.LazyFunction(lambda: [list(row) for row in FIVE_CRITERIA_TABLE])


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    indicator = factory.SubFactory(IndicatorFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"เกณฑ์ข้อที่ {n}")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    unit = factory.SubFactory(UnitFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    target = Decimal(5)


class CriterionResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionResult

    assessment = factory.SubFactory(AssessmentFactory)
    criterion = factory.SubFactory(
        CriterionFactory, indicator=factory.SelfAttribute("..assessment.indicator")
    )
    narrative = "ผลการดำเนินงาน"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"เอกสาร {n}")
    file = factory.django.FileField(
        filename="doc.pdf", data=factory.Sequence(lambda n: f"%PDF-1.4 {n}".encode())
    )
    original_name = "doc.pdf"
    size = 12
    content_type = "application/pdf"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem

    result = factory.SubFactory(CriterionResultFactory)
    position = factory.Sequence(lambda n: n + 1)
    caption = factory.Sequence(lambda n: f"หลักฐาน {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    unit = factory.SubFactory(UnitFactory)
    body = "คณะกรรมการการจัดการความรู้"
    number = factory.Sequence(lambda n: f"{n + 1}/2563")
    date = datetime.date(2020, 1, 9)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"นางสาวทดสอบ {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    unit = factory.SubFactory(UnitFactory)
    kind = Activity.Kind.SHARING
    title = "แลกเปลี่ยนเรียนรู้"
    date = datetime.date(2020, 5, 27)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    title = factory.Sequence(lambda n: f"เรื่องที่ {n}")
    resolution = "ที่ประชุมรับทราบ"


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    cycle = factory.SubFactory(CycleFactory)
    name = factory.Sequence(lambda n: f"กลุ่มเป้าหมาย {n}")
    headcount = 10


class KnowledgeTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeTopic

    unit = factory.SubFactory(UnitFactory)
    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"ประเด็นความรู้ {n}")


class ReviewCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewComment

    assessment = factory.SubFactory(AssessmentFactory)
    author = factory.SubFactory(QAOfficerFactory)
    body = factory.Sequence(lambda n: f"ความเห็นที่ {n}")


class AssessmentTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentTransition

    assessment = factory.SubFactory(AssessmentFactory)
    from_status = Assessment.Status.DRAFT
    to_status = Assessment.Status.SUBMITTED


# --- Real files of each accepted kind, small and built on the fly ---------------------


def pdf_bytes(text: str = "KM") -> bytes:
    """A real one-page PDF (Pillow writes it), different for each text."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 60), "white")
    ImageDraw.Draw(image).text((10, 20), text, fill="black")
    out = io.BytesIO()
    image.save(out, format="PDF")
    return out.getvalue()


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (800, 600)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (31, 58, 104)).save(out, format=image_format)
    return out.getvalue()


def ooxml_bytes(main_part: str = "word/document.xml") -> bytes:
    """A minimal Office Open XML package (DOCX by default) with its required parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(main_part, '<?xml version="1.0"?><document/>')
    return out.getvalue()


# --- Moving a world along -------------------------------------------------------------


def set_status(assessment: Assessment, status: str) -> Assessment:
    """Puts the assessment in a status straight in the database (as if another user had
    moved it on), and reloads it."""
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    assessment.refresh_from_db()
    return assessment


# --- Small worlds for unit tests --------------------------------------------------------
# The demo (indicators.demo.load_demo) is the whole seed page with its records: right for
# end-to-end and report tests, slow and broad for the rest. These build the same shape,
# small: what a test asserts is then what it built.

KM_INDICATOR_TITLE = "การพัฒนาหน่วยงานสู่องค์การการเรียนรู้"
KM_CRITERIA = (
    "มีการกำหนดประเด็นความรู้ที่จำเป็นหรือสำคัญต่อการปรับปรุงกระบวนการของหน่วยงาน",
    "กำหนดบุคลากรกลุ่มเป้าหมายที่จะพัฒนาความรู้และทักษะ",
    "มีการแบ่งปันและแลกเปลี่ยนเรียนรู้จากความรู้ ทักษะของผู้มีประสบการณ์ตรง (Tacit Knowledge)",
    "มีการรวบรวมความรู้มาพัฒนาและจัดเก็บอย่างเป็นระบบ (Explicit Knowledge)",
    "มีการนำความรู้ที่เป็นแนวปฏิบัติที่ดี (Good Practice) มาปรับใช้ในการปฏิบัติงานจริง",
)
KM_LINK = "https://km.example.ac.th/press/good-practice.html"
ITEMS_PER_CRITERION = 3


def sar_assessment(*, unit: Unit) -> Assessment:
    """One SAR indicator page, small: the unit's indicator 3 of fiscal 2563, a process
    indicator of five criteria scored by the usual table, every criterion met, and three
    evidence items under each (codes สพ 3-1 (1) … สพ 3-5 (3) for the Press office).

    Narratives cite no code. The last item of criterion 4 is a link without a caption."""
    indicator = IndicatorFactory(
        cycle=CycleFactory(year_be=2563), number="3", title=KM_INDICATOR_TITLE, result_unit="ข้อ"
    )
    assessment = AssessmentFactory(unit=unit, indicator=indicator, target=Decimal(5))
    for order, text in enumerate(KM_CRITERIA, start=1):
        result = CriterionResultFactory(
            assessment=assessment,
            criterion=CriterionFactory(indicator=indicator, order=order, text=text),
            narrative=f"หน่วยงานได้พิจารณากำหนดแนวทาง และดำเนินการตามเกณฑ์ข้อ {order} ครบถ้วน",
            met=True,
        )
        for position in range(1, ITEMS_PER_CRITERION + 1):
            link = order == 4 and position == ITEMS_PER_CRITERION
            EvidenceItemFactory(
                result=result,
                position=position,
                caption="" if link else f"หลักฐานเกณฑ์ข้อ {order} ชิ้นที่ {position}",
                url=KM_LINK if link else "",
            )
    return assessment


@dataclass
class UnitRecords:
    """The records behind a small SAR page (see `unit_records`)."""

    km_meeting: Meeting
    executives_meeting: Meeting
    people: list[Person]
    group: TargetGroup
    topic: KnowledgeTopic
    sharing: Activity


def unit_records(*, assessment: Assessment) -> UnitRecords:
    """The records a narrative speaks of, for `sar_assessment`'s page: two meetings (the KM
    committee's 1/2563 cited by สพ 3-1 (1) and (2), the executives' 4/2563 with one agenda
    item), four named staff in one target group of 15, one knowledge topic renamed at the
    executives' meeting, and one sharing session cited by สพ 3-3 (1). สพ 3-2 (1) cites none."""
    unit, cycle = assessment.unit, assessment.indicator.cycle
    km_meeting = MeetingFactory(
        unit=unit, body="คณะกรรมการการจัดการความรู้", number="1/2563", date=datetime.date(2020, 1, 9)
    )
    AgendaItemFactory(meeting=km_meeting, number="3.3", title="พิจารณากำหนดประเด็นความรู้")
    AgendaItemFactory(meeting=km_meeting, number="3.4", title="พิจารณากำหนดกลุ่มเป้าหมาย")
    executives_meeting = MeetingFactory(
        unit=unit, body="ที่ประชุมผู้บริหารสำนักพิมพ์", number="4/2563", date=datetime.date(2020, 5, 15)
    )
    AgendaItemFactory(meeting=executives_meeting, number="5.1", title="พิจารณาปรับชื่อประเด็นความรู้")
    people = [
        PersonFactory(unit=unit, name=name, section="ฝ่ายเผยแพร่และจัดจำหน่าย")
        for name in (
            "นางรัตนา ช้างเยาว์",
            "นางวรรณี จดจำ",
            "นางเยาวเรศ ไมตรีสวัสดิ์",
            "นางสาวรำไพพรรณ ทองทาบ",
        )
    ]
    group = TargetGroupFactory(
        unit=unit, cycle=cycle, name="บุคลากรฝ่ายเผยแพร่และจัดจำหน่าย", headcount=15
    )
    group.members.add(*people)
    topic = KnowledgeTopicFactory(
        unit=unit, cycle=cycle, title="การส่งเสริมการตลาดผ่านสื่อออนไลน์", target_group=group
    )
    TopicRename.objects.create(
        topic=topic,
        previous_title="การตลาดผ่านเฟซบุ๊ก",
        renamed_on=datetime.date(2020, 5, 15),
        meeting=executives_meeting,
    )
    sharing = ActivityFactory(unit=unit, topic=topic, attendance=15)
    sharing.attendees.add(*people)
    items = EvidenceItem.objects.filter(result__assessment=assessment)
    items.filter(result__criterion__order=1, position__in=[1, 2]).update(meeting=km_meeting)
    items.filter(result__criterion__order=3, position=1).update(activity=sharing)
    return UnitRecords(km_meeting, executives_meeting, people, group, topic, sharing)
