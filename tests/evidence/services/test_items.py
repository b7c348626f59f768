"""Evidence item services: codes are derived and stay gap-free when items move or go, a unit
cites only its own documents, and every write re-checks the assessment under lock."""

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import DjangoDbBlocker

from evidence.models import Document, EvidenceItem, Meeting
from evidence.services.items import (
    evidence_item_add,
    evidence_item_add_upload,
    evidence_item_move,
    evidence_item_remove,
    evidence_item_replace_document,
    evidence_item_set_caption,
    evidence_item_set_links,
)
from indicators.locking import AssessmentLockedError
from indicators.models import Assessment, CriterionResult
from tests.evidence.conftest import snapshot, stored_files, submit
from tests.factories import DocumentFactory, MeetingFactory, UnitFactory, pdf_bytes

pytestmark = pytest.mark.django_db


def codes(result: CriterionResult) -> list[tuple[str, str]]:
    return [(item.code, item.caption) for item in result.evidence_items.order_by("position")]


@pytest.fixture
def first(assessment: Assessment) -> CriterionResult:
    return assessment.results.get(criterion__order=1)


def test_added_item_takes_the_next_code(first: CriterionResult) -> None:
    item = evidence_item_add(result=first, caption="เอกสารใหม่")
    assert item.code == "สพ 3-1 (4)"


def test_moving_an_item_renumbers_the_rest(first: CriterionResult) -> None:
    before = [caption for _, caption in codes(first)]
    item = evidence_item_add(result=first, caption="เอกสารใหม่")
    evidence_item_move(item=item, to_position=1)
    after = codes(first)
    assert after[0] == ("สพ 3-1 (1)", "เอกสารใหม่")
    assert [caption for _, caption in after[1:]] == before
    assert [code for code, _ in after] == [f"สพ 3-1 ({n})" for n in range(1, 5)]
    evidence_item_move(item=EvidenceItem.objects.get(pk=item.pk), to_position=99)
    assert codes(first)[-1] == ("สพ 3-1 (4)", "เอกสารใหม่")


def test_removing_an_item_closes_the_gap(first: CriterionResult) -> None:
    captions = [caption for _, caption in codes(first)]
    evidence_item_remove(item=first.evidence_items.get(position=2))
    after = codes(first)
    assert [caption for _, caption in after] == captions[:1] + captions[2:]
    assert [code for code, _ in after] == [f"สพ 3-1 ({n})" for n in range(1, 3)]


def test_codes_are_unique_per_assessment(assessment: Assessment) -> None:
    all_codes = [
        item.code
        for item in EvidenceItem.objects.with_code_parts().filter(result__assessment=assessment)
    ]
    assert len(all_codes) == len(set(all_codes)) == 15


def test_document_or_link_not_both(
    first: CriterionResult, django_db_blocker: DjangoDbBlocker
) -> None:
    from django.db import IntegrityError, transaction

    from tests.factories import DocumentFactory

    document = DocumentFactory(unit=first.assessment.unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceItem.objects.create(
            result=first, position=50, caption="x", document=document, url="https://a.example"
        )


# --- Only the unit's own documents ------------------------------------------------------


def test_document_of_another_unit_is_refused(assessment: Assessment) -> None:
    result = assessment.results.get(criterion__order=1)
    before = list(result.evidence_items.values_list("pk", "position"))
    foreign = DocumentFactory(unit=UnitFactory())
    with pytest.raises(ValidationError) as refused:
        evidence_item_add(result=result, caption="ของหน่วยงานอื่น", document=foreign)
    assert refused.value.message_dict == {"document": ["เลือกได้เฉพาะเอกสารในคลังเอกสารของหน่วยงานนี้"]}
    assert list(result.evidence_items.values_list("pk", "position")) == before


def test_document_of_the_unit_is_cited(assessment: Assessment) -> None:
    result = assessment.results.get(criterion__order=1)
    own = DocumentFactory(unit=assessment.unit)
    item = evidence_item_add(result=result, caption="ของเรา", document=own)
    assert (item.position, item.document) == (4, own)


# --- Every write re-checks the assessment under lock ------------------------------------


LOCKED = "ผลการประเมินนี้ส่งให้เจ้าหน้าที่ประกันคุณภาพแล้ว จึงแก้ไขไม่ได้"


def _calls(result: CriterionResult, item: EvidenceItem, meeting: Meeting) -> dict[str, Any]:
    upload = SimpleUploadedFile("late.pdf", pdf_bytes("late"))
    return {
        "add": lambda: evidence_item_add(result=result, caption="ใหม่", url="https://x.th"),
        "add_upload": lambda: evidence_item_add_upload(
            result=result, upload=upload, content_type="application/pdf", caption="", by=None
        ),
        "move": lambda: evidence_item_move(item=item, to_position=3),
        "remove": lambda: evidence_item_remove(item=item),
        "set_caption": lambda: evidence_item_set_caption(item=item, caption="แก้", version=None),
        "replace_document": lambda: evidence_item_replace_document(
            item=item, upload=upload, content_type="application/pdf", by=None
        ),
        "set_links": lambda: evidence_item_set_links(
            item=item, meeting=meeting, activity=None, version=None
        ),
    }


@pytest.mark.parametrize(
    "call",
    ["add", "add_upload", "move", "remove", "set_caption", "replace_document", "set_links"],
)
def test_service_refuses_after_submission(
    assessment: Assessment, first: CriterionResult, media: Path, call: str
) -> None:
    item = first.evidence_items.get(position=1)
    meeting = MeetingFactory(unit=assessment.unit)
    before, documents = snapshot(assessment), Document.objects.count()
    submit(assessment.pk)
    with pytest.raises(AssessmentLockedError, match=LOCKED):
        _calls(first, item, meeting)[call]()
    assert snapshot(assessment) == before
    assert Document.objects.count() == documents
    assert stored_files(media) == []


def test_service_still_writes_while_draft(first: CriterionResult) -> None:
    item = evidence_item_add(result=first, caption="ใหม่", url="https://x.th")
    assert item.position == 4
