"""The small world the permission matrix (test_permission_matrix.py) runs against: one unit
with an assessment in each workflow status, every kind of object a URL names, and the six
personas. Built once per module; each test runs in a savepoint and is rolled back."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from evidence.models import Document, EvidenceItem, ReviewComment
from indicators.models import Assessment, CriterionResult, Membership, ReportJob, Unit

from ..factories import (
    AssessmentFactory,
    CriterionFactory,
    CriterionResultFactory,
    DocumentFactory,
    EvidenceItemFactory,
    IndicatorFactory,
    MembershipFactory,
    QAAdminFactory,
    QAOfficerFactory,
    ReviewCommentFactory,
    UnitFactory,
    UnitRecords,
    UserFactory,
    image_bytes,
    sar_assessment,
    set_status,
    unit_records,
)

PERSONAS = ("anonymous", "staff", "head", "qa", "qa_admin", "outsider")
STATUSES = tuple(Assessment.Status.values)
# The tables whose rows a request may change; sessions and login attempts are not data.
SNAPSHOT_APPS = ("indicators", "evidence", "auth")
NOT_DATA = ("django_session", "axes_")
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)', re.IGNORECASE)


@dataclass
class Sar:
    """One assessment of the unit and one of each object under it."""

    assessment: Assessment
    result: CriterionResult
    item: EvidenceItem
    comment: ReviewComment


@dataclass
class World:
    unit: Unit
    users: dict[str, Any]
    sars: dict[str, Sar]
    records: UnitRecords
    document: Document
    report_job: ReportJob


def _sar(assessment: Assessment, qa: Any) -> Sar:
    result = assessment.results.order_by("criterion__order").first()
    assert result is not None
    item = result.evidence_items.order_by("position").first()
    assert item is not None
    comment = ReviewCommentFactory(assessment=assessment, criterion_result=result, author=qa)
    return Sar(assessment, result, item, comment)


def _small_sar(unit: Unit, number: str, status: str, qa: Any, cycle: Any) -> Sar:
    indicator = IndicatorFactory(cycle=cycle, number=number)
    assessment = AssessmentFactory(unit=unit, indicator=indicator, target=Decimal(5))
    for order in range(1, 6):
        result = CriterionResultFactory(
            assessment=assessment,
            criterion=CriterionFactory(indicator=indicator, order=order),
            met=True,
        )
        EvidenceItemFactory(result=result, position=1)
    return _sar(set_status(assessment, status), qa)


def build_world() -> World:
    unit = UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ")
    other = UnitFactory(name="สำนักบรรณสารสนเทศ", evidence_prefix="สบ")
    qa = QAOfficerFactory(username="bob")
    users: dict[str, Any] = {
        "anonymous": None,
        "staff": MembershipFactory(
            user=UserFactory(username="alice"), unit=unit, role=Membership.Role.STAFF
        ).user,
        "head": MembershipFactory(
            user=UserFactory(username="hana"), unit=unit, role=Membership.Role.HEAD
        ).user,
        "qa": qa,
        "qa_admin": QAAdminFactory(username="dora"),
        "outsider": MembershipFactory(user=UserFactory(username="charlie"), unit=other).user,
    }
    draft = sar_assessment(unit=unit)
    cycle = draft.indicator.cycle
    sars = {Assessment.Status.DRAFT.value: _sar(draft, qa)}
    for number, status in enumerate(STATUSES, start=4):
        if status != Assessment.Status.DRAFT:
            sars[status] = _small_sar(unit, str(number), status, qa, cycle)
    records = unit_records(assessment=draft)
    document = DocumentFactory(unit=unit)
    document.thumbnail.save("thumb.png", ContentFile(image_bytes(size=(20, 20))))
    job = ReportJob.objects.create(
        kind=ReportJob.Kind.UNIVERSITY,
        cycle=cycle,
        status=ReportJob.Status.DONE,
        progress=100,
        filename="university.pdf",
        requested_by=qa,
        finished_at=datetime.datetime.now(datetime.UTC),
    )
    job.file.save("university.pdf", ContentFile(b"%PDF-1.4 report"))
    return World(unit, users, sars, records, document, job)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the project's tables (and the users'), to see that a request changed
    nothing."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model is get_user_model():
                rows = model.objects.order_by("pk").values_list("pk", "password", "is_active")
            else:
                rows = model.objects.order_by("pk").values_list()
            tables[model._meta.label] = list(rows)
    return tables


def data_writes(queries: list[dict[str, str]]) -> list[str]:
    """The statements among ``queries`` (CaptureQueriesContext) that wrote to a data table:
    the cheap check, for each request, that it changed nothing."""
    writes = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and not match.group(2).startswith(NOT_DATA):
            writes.append(query["sql"])
    return writes
