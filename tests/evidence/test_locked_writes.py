"""Evidence writes re-check the assessment under lock: one submitted between page load
and the write refuses the write and changes nothing (no row, no stored file)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

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
from evidence.views import items as item_views
from evidence.views import records as record_views
from indicators.locking import AssessmentLockedError
from indicators.models import Assessment, CriterionResult
from tests.evidence.conftest import stored_files
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
LOCKED = "ผลการประเมินนี้ถูกส่งหรืออนุมัติแล้ว จึงแก้ไขไม่ได้"


@pytest.fixture
def first(demo: Assessment) -> CriterionResult:
    return demo.results.get(criterion__order=1)


def submit(assessment_id: int) -> None:
    """Another user submits the assessment (the objects already loaded keep 'draft')."""
    Assessment.objects.filter(pk=assessment_id).update(status=Assessment.Status.SUBMITTED)


def snapshot(assessment: Assessment) -> list[tuple[Any, ...]]:
    return list(
        EvidenceItem.objects.filter(result__assessment=assessment)
        .order_by("pk")
        .values_list("pk", "position", "caption", "document_id", "url", "meeting_id", "activity_id")
    )


def submitted_after_load(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """The view loads its object while the assessment is a draft; then it is submitted."""
    original: Callable[..., Any] = getattr(module, name)

    def load_then_submit(*args: Any, **kwargs: Any) -> Any:
        loaded = original(*args, **kwargs)
        result = getattr(loaded, "result", loaded)
        submit(result.assessment_id)
        return loaded

    monkeypatch.setattr(module, name, load_then_submit)


# Services ---------------------------------------------------------------------


def _calls(result: CriterionResult, item: EvidenceItem, meeting: Meeting) -> dict[str, Any]:
    upload = SimpleUploadedFile("late.pdf", pdf_bytes("late"))
    return {
        "add": lambda: evidence_item_add(result=result, caption="ใหม่", url="https://x.th"),
        "add_upload": lambda: evidence_item_add_upload(
            result=result, upload=upload, content_type="application/pdf", caption="", by=None
        ),
        "move": lambda: evidence_item_move(item=item, to_position=3),
        "remove": lambda: evidence_item_remove(item=item),
        "set_caption": lambda: evidence_item_set_caption(item=item, caption="แก้"),
        "replace_document": lambda: evidence_item_replace_document(
            item=item, upload=upload, content_type="application/pdf", by=None
        ),
        "set_links": lambda: evidence_item_set_links(item=item, meeting=meeting, activity=None),
    }


@pytest.mark.parametrize(
    "call",
    ["add", "add_upload", "move", "remove", "set_caption", "replace_document", "set_links"],
)
def test_service_refuses_after_submission(
    demo: Assessment, first: CriterionResult, media: Path, call: str
) -> None:
    item = first.evidence_items.get(position=1)
    meeting = Meeting.objects.filter(unit=demo.unit).first()
    assert meeting is not None
    before, documents = snapshot(demo), Document.objects.count()
    submit(demo.pk)
    with pytest.raises(AssessmentLockedError, match=LOCKED):
        _calls(first, item, meeting)[call]()
    assert snapshot(demo) == before
    assert Document.objects.count() == documents
    assert stored_files(media) == []


def test_service_still_writes_while_draft(first: CriterionResult) -> None:
    item = evidence_item_add(result=first, caption="ใหม่", url="https://x.th")
    assert item.position == 9


# Views ------------------------------------------------------------------------


def test_add_view_refuses_when_submitted_meanwhile(
    client: Client, staff: Any, demo: Assessment, first: CriterionResult, media: Path, monkeypatch
) -> None:
    client.force_login(staff)
    submitted_after_load(monkeypatch, item_views, "get_criterion_result_for_user")
    before = snapshot(demo)
    data = {"kind": "upload", "file": SimpleUploadedFile("a.pdf", pdf_bytes("a")), "caption": ""}
    response = client.post(reverse("evidence:item_add", args=[first.pk]), data, headers=HTMX)
    assert response.status_code == 403  # PermissionDenied, as when already locked at load
    assert snapshot(demo) == before and stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("item_edit", {"caption": "แก้แล้ว"}),
        ("item_move", {"direction": "down"}),
        ("item_remove", {}),
        ("item_replace", {"file": "upload"}),
    ],
)
def test_item_views_refuse_when_submitted_meanwhile(
    client: Client,
    staff: Any,
    demo: Assessment,
    first: CriterionResult,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    data: dict[str, Any],
) -> None:
    client.force_login(staff)
    item = first.evidence_items.get(position=1)
    submitted_after_load(monkeypatch, item_views, "get_evidence_item_for_user")
    if "file" in data:
        data = {"file": SimpleUploadedFile("b.pdf", pdf_bytes("b"))}
    before = snapshot(demo)
    response = client.post(reverse(f"evidence:{name}", args=[item.pk]), data, headers=HTMX)
    assert response.status_code == 403  # PermissionDenied, as when already locked at load
    assert snapshot(demo) == before and stored_files(media) == []


def test_item_links_refuses_when_submitted_meanwhile(
    client: Client, staff: Any, demo: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(staff)
    item = EvidenceItem.objects.get(result__assessment=demo, result__criterion__order=2, position=1)
    meeting = Meeting.objects.get(unit=demo.unit, number="4/2563")
    submitted_after_load(monkeypatch, record_views, "get_evidence_item_for_user")
    before = snapshot(demo)
    response = client.post(
        reverse("evidence:item_links", args=[item.pk]), {"meeting": meeting.pk}, headers=HTMX
    )
    assert response.status_code == 403  # PermissionDenied, as when already locked at load
    assert snapshot(demo) == before
