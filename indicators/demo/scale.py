"""A university's year at scale, for benchmarks and load tests: many units, each with
every indicator of one cycle, made of the seed SAR page's own Thai text.

``generate_scale_data(units=40, indicators=12, evidence=6, seed=1)`` makes one fiscal
cycle (2567 unless told) with ``indicators`` process indicators of five criteria (the
first is the seed's KM indicator; the others carry its criteria under other titles),
``units`` units with a head, two staff and their records (people, a target group, a
knowledge topic, meetings with agenda, activities), and for every unit × indicator an
assessment whose narratives are the seed's (about 300–2,000 characters, codes rewritten
to the unit and indicator) with ``evidence`` items per criterion: most a small real PDF
in the unit's library, some a link, a few pointing at a meeting or an activity. The
assessments are spread over the workflow (draft, submitted, returned, approved with a
committee score), and a few narratives are edited twice so history has something to
show. The same seed gives the same content (names, texts, statuses, scores); only file
names and timestamps differ. The Thai text it is made of comes from ``scale_text``.
"""

import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import transaction
from pypdf import PdfWriter
from simple_history.utils import bulk_create_with_history

from evidence.models import (
    Activity,
    AgendaItem,
    Document,
    EvidenceItem,
    KnowledgeTopic,
    Meeting,
    Person,
    TargetGroup,
)
from evidence.models.library import private_upload_to
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
from indicators.services.sar_import import default_score_table

from . import QA_OFFICERS_GROUP
from .scale_text import (
    CRITERIA,
    EDITS,
    INDICATOR_TITLES,
    RETURN_REASONS,
    SeedText,
    person_name,
    unit_names,
)

STATUSES = [  # a spread like the weeks before the deadline
    (Assessment.Status.DRAFT, 40),
    (Assessment.Status.SUBMITTED, 20),
    (Assessment.Status.RETURNED, 10),
    (Assessment.Status.APPROVED, 30),
]
YEAR_BE = 2567


@dataclass
class ScaleReport:
    cycle: Cycle
    counts: dict[str, int] = field(default_factory=dict)


def tiny_pdf(title: str) -> bytes:
    """A real one-page PDF (about 700 bytes) whose title makes its content unique."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def generate_scale_data(
    *,
    units: int = 40,
    indicators: int = 12,
    evidence: int = 6,
    seed: int = 1,
    year_be: int = YEAR_BE,
    password: str = "scale-data",
) -> ScaleReport:
    """Fills the database as described above, in one transaction; refuses to run twice
    on the same cycle (it does not guess how to merge)."""
    if not 1 <= indicators <= len(INDICATOR_TITLES):
        raise ValueError(f"indicators must be 1–{len(INDICATOR_TITLES)}")
    rng = random.Random(seed)
    source = SeedText()
    user_model = get_user_model()
    password_hash = make_password(password)
    counts = dict.fromkeys(
        ("units", "users", "indicators", "assessments", "results", "items", "files"), 0
    )
    with transaction.atomic():
        start, end = Cycle.fiscal_dates(year_be)
        cycle, created = Cycle.objects.get_or_create(
            kind=Cycle.Kind.FISCAL,
            year_be=year_be,
            defaults={"start_date": start, "end_date": end},
        )
        if not created and Assessment.objects.filter(indicator__cycle=cycle).exists():
            raise ValueError(f"cycle {cycle} already has assessments")
        score_table = default_score_table(CRITERIA)
        indicator_rows: list[tuple[Indicator, list[Criterion]]] = []
        for number in range(1, indicators + 1):
            indicator = Indicator.objects.create(
                cycle=cycle,
                number=str(number),
                title=INDICATOR_TITLES[number - 1],
                score_table=score_table,
                result_unit="ข้อ",
            )
            criteria = [
                Criterion.objects.create(indicator=indicator, order=order, text=text)
                for order, text in enumerate(source.criteria, start=1)
            ]
            indicator_rows.append((indicator, criteria))
            counts["indicators"] += 1

        qa_group, _ = Group.objects.get_or_create(name=QA_OFFICERS_GROUP)
        qa_users = []
        for index in range(1, 4):
            qa, _ = user_model.objects.get_or_create(
                username=f"scale-qa{index}",
                defaults={"password": password_hash, "first_name": person_name(rng)},
            )
            qa.groups.add(qa_group)
            qa_users.append(qa)

        for unit_index, (name, prefix) in enumerate(unit_names(units), start=1):
            unit, _ = Unit.objects.get_or_create(name=name, defaults={"evidence_prefix": prefix})
            counts["units"] += 1
            members = []
            for role, label in (
                (Membership.Role.HEAD, "head"),
                (Membership.Role.STAFF, "staff1"),
                (Membership.Role.STAFF, "staff2"),
            ):
                user, _ = user_model.objects.get_or_create(
                    username=f"unit{unit_index:02d}-{label}",
                    defaults={"password": password_hash, "first_name": person_name(rng)},
                )
                Membership.objects.get_or_create(user=user, unit=unit, defaults={"role": role})
                members.append(user)
                counts["users"] += 1
            meetings, activities = _records(unit, cycle, rng)
            for indicator, criteria in indicator_rows:
                _assessment(
                    unit=unit,
                    indicator=indicator,
                    criteria=criteria,
                    source=source,
                    rng=rng,
                    evidence=evidence,
                    staff=members[1],
                    qa=rng.choice(qa_users),
                    meetings=meetings,
                    activities=activities,
                    counts=counts,
                )
    return ScaleReport(cycle=cycle, counts=counts)


def _records(unit: Unit, cycle: Cycle, rng: random.Random) -> tuple[list[Meeting], list[Activity]]:
    """The records a KM narrative speaks of, for one unit."""
    names: set[str] = set()
    while len(names) < 15:
        names.add(person_name(rng))
    people = Person.objects.bulk_create(
        Person(unit=unit, name=name, position="เจ้าหน้าที่บริหารงานทั่วไป") for name in sorted(names)
    )
    group = TargetGroup.objects.create(
        unit=unit, cycle=cycle, name=f"บุคลากร{unit.name}", headcount=len(people)
    )
    group.members.set(people)
    topic = KnowledgeTopic.objects.create(
        unit=unit,
        cycle=cycle,
        title=f"แนวปฏิบัติงานที่ดีของ{unit.name} ประจำปี {cycle.year_be}",
        strategic_alignment="แผนยุทธศาสตร์มหาวิทยาลัย ระยะ 5 ปี ประเด็นยุทธศาสตร์ที่ 4",
        target_group=group,
    )
    meetings = []
    year_ce = cycle.year_be - 543
    for number, month in ((1, 1), (2, 4), (3, 8)):
        meeting = Meeting.objects.create(
            unit=unit,
            body=f"คณะกรรมการการจัดการความรู้ {unit.name}",
            number=f"{number}/{cycle.year_be}",
            date=cycle.start_date.replace(year=year_ce, month=month, day=rng.randint(5, 25)),
        )
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    meeting=meeting,
                    number="3.1",
                    title=f"พิจารณาประเด็นความรู้ ประจำปี {cycle.year_be}",
                    resolution="ที่ประชุมเห็นชอบ",
                    page=2,
                ),
                AgendaItem(
                    meeting=meeting,
                    number="3.2",
                    title="ติดตามผลการดำเนินงานตามแผนการจัดการความรู้",
                    resolution="ที่ประชุมรับทราบ",
                    page=3,
                ),
            ]
        )
        meetings.append(meeting)
    activities = []
    for kind, title, month in (
        (Activity.Kind.SHARING, "แลกเปลี่ยนเรียนรู้", 5),
        (Activity.Kind.SHARING, "ถอดบทเรียนการปฏิบัติงาน", 7),
    ):
        activity = Activity.objects.create(
            unit=unit,
            topic=topic,
            kind=kind,
            title=f"{title} {topic.title}",
            date=cycle.start_date.replace(year=year_ce, month=month, day=rng.randint(5, 25)),
            place=f"ห้องประชุม{unit.name}",
            attendance=rng.randint(12, 15),
            satisfaction_percent=Decimal(rng.randint(800, 980)) / 10,
        )
        activity.attendees.set(rng.sample(people, 10))
        activities.append(activity)
    return meetings, activities


def _assessment(
    *,
    unit: Unit,
    indicator: Indicator,
    criteria: list[Criterion],
    source: SeedText,
    rng: random.Random,
    evidence: int,
    staff: User,
    qa: User,
    meetings: list[Meeting],
    activities: list[Activity],
    counts: dict[str, int],
) -> None:
    status = rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]
    met_count = rng.choice([3, 4, 5, 5])
    assessment = Assessment.objects.create(
        unit=unit,
        indicator=indicator,
        status=status,
        target=Decimal(5),
        result_value=Decimal(met_count),
        committee_score=(
            Decimal(rng.choice(["3.00", "4.00", "5.00"]))
            if status == Assessment.Status.APPROVED
            else None
        ),
        strengths="มีการดำเนินงานอย่างเป็นระบบและต่อเนื่อง" if status != "draft" else "",
    )
    counts["assessments"] += 1
    _transitions(assessment, status, staff=staff, qa=qa, rng=rng)
    bulk_create_with_history(
        [
            CriterionResult(
                assessment=assessment,
                criterion=criterion,
                narrative=source.narrative(
                    criterion.order, unit=unit, number=indicator.number, evidence=evidence
                ),
                met=criterion.order <= met_count,
                committee_met=(
                    criterion.order <= met_count if status == Assessment.Status.APPROVED else None
                ),
            )
            for criterion in criteria
        ],
        CriterionResult,
    )
    results = list(assessment.results.select_related("criterion").order_by("criterion__order"))
    counts["results"] += len(results)
    documents: list[Document] = []
    items: list[EvidenceItem] = []
    approved = status == Assessment.Status.APPROVED
    review = EvidenceItem.Review.ACCEPTED if approved else EvidenceItem.Review.PENDING
    for result in results:
        order = result.criterion.order
        for position in range(1, evidence + 1):
            caption = source.caption(order, position, unit=unit)
            code = f"{unit.evidence_prefix} {indicator.number}-{order} ({position})"
            item = EvidenceItem(
                result=result, position=position, caption=caption, review_status=review
            )
            kind = rng.random()
            if kind < 0.8:
                document = Document(
                    unit=unit,
                    title=caption[:500],
                    original_name=f"{code.replace(' ', '-')}.pdf",
                    content_type="application/pdf",
                )
                data = tiny_pdf(code)
                document.file.name = document.file.storage.save(
                    private_upload_to(document, document.original_name), ContentFile(data)
                )
                document.size = len(data)
                document.sha256 = hashlib.sha256(data).hexdigest()
                documents.append(document)
                item.document = document
            elif kind < 0.9:
                item.url = f"https://www.example.ac.th/km/{indicator.number}/{order}/{position}"
            elif order <= 3:
                item.meeting = meetings[(position - 1) % len(meetings)]
            else:
                item.activity = activities[(position - 1) % len(activities)]
            items.append(item)
    Document.objects.bulk_create(documents)
    counts["files"] += len(documents)
    bulk_create_with_history(items, EvidenceItem)
    counts["items"] += len(items)
    # A few narratives edited since: the history page has versions to compare.
    for result in results:
        if rng.random() < 0.1:
            for edit in EDITS:
                result.narrative = f"{result.narrative}\n{edit}"
                result.save()


def _transitions(
    assessment: Assessment,
    status: str,
    *,
    staff: User,
    qa: User,
    rng: random.Random,
) -> None:
    steps: list[tuple[str, str, User, str]] = []
    draft, submitted = Assessment.Status.DRAFT, Assessment.Status.SUBMITTED
    if status == Assessment.Status.SUBMITTED:
        steps = [(draft, submitted, staff, "")]
    elif status == Assessment.Status.RETURNED:
        steps = [
            (draft, submitted, staff, ""),
            (submitted, Assessment.Status.RETURNED, qa, rng.choice(RETURN_REASONS)),
        ]
    elif status == Assessment.Status.APPROVED:
        steps = [(draft, submitted, staff, ""), (submitted, Assessment.Status.APPROVED, qa, "")]
    AssessmentTransition.objects.bulk_create(
        AssessmentTransition(
            assessment=assessment, from_status=old, to_status=new, by=by, reason=reason
        )
        for old, new, by, reason in steps
    )
