"""Factories for every model, in one place (factory_boy)."""

import datetime
import io
import zipfile
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
