"""Citation checks, the link checker (against a local 127.0.0.1 server only) and the
stored-file check."""

import hashlib
import http.server
import threading
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from evidence.models import Document, EvidenceItem
from indicators.citations import check_assessment
from tests.factories import (
    AssessmentFactory,
    CriterionResultFactory,
    DocumentFactory,
    EvidenceItemFactory,
    UnitFactory,
)


@pytest.fixture
def cited(db):  # type: ignore[no-untyped-def]
    """A unit that cites its codes: criterion 1 cites (1) and a missing (3)."""
    unit = UnitFactory(evidence_prefix="ทด")
    assessment = AssessmentFactory(unit=unit, indicator__number="2")
    first = CriterionResultFactory(
        assessment=assessment,
        criterion__order=1,
        narrative="ประชุมแล้ว (ทด 2-1 (1)) และสรุปผล (ทด 2-1 (3))",
    )
    second = CriterionResultFactory(
        assessment=assessment, criterion__order=2, narrative="ไม่มีการอ้างอิง"
    )
    items = [
        EvidenceItemFactory(result=first, position=1),
        EvidenceItemFactory(result=first, position=2),
        EvidenceItemFactory(result=second, position=1),
    ]
    return assessment, first, second, items


def test_missing_and_uncited_codes(cited) -> None:
    assessment, first, second, items = cited
    report = check_assessment(assessment)
    assert report.cites_codes
    assert [flag.message for flag in report.for_result(first.pk)] == [
        "อ้างถึง ทด 2-1 (3) แต่ไม่มีหลักฐานรหัสนี้"
    ]
    uncited = {flag.item_id for flag in report.flags if flag.kind == "uncited"}
    assert uncited == {items[1].pk, items[2].pk}


def test_no_uncited_flags_when_the_unit_never_cites(assessment) -> None:
    report = check_assessment(assessment)
    assert not report.cites_codes
    assert [flag for flag in report.flags if flag.kind in ("uncited", "missing_code")] == []


def test_a_code_of_another_indicator_of_the_unit_is_not_missing(cited) -> None:
    assessment, first, _second, _items = cited
    other = AssessmentFactory(unit=assessment.unit, indicator__cycle=assessment.indicator.cycle)
    other_result = CriterionResultFactory(assessment=other, criterion__order=1)
    EvidenceItemFactory(result=other_result, position=1)
    first.narrative = f"ดู ทด {other.indicator.number}-1 (1) และ ทด {other.indicator.number}-1 (2)"
    first.save()
    messages = [flag.message for flag in check_assessment(assessment).flags]
    assert f"อ้างถึง ทด {other.indicator.number}-1 (2) แต่ไม่มีหลักฐานรหัสนี้" in messages
    assert f"อ้างถึง ทด {other.indicator.number}-1 (1) แต่ไม่มีหลักฐานรหัสนี้" not in messages


# --- Links, against a server on 127.0.0.1 only ---------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        if self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(200 if self.path.startswith("/ok") else 404)
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response(200 if self.path in ("/ok", "/no-head") else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_check_links_stores_the_outcome(cited, local_server, client, qa_officer) -> None:
    assessment, _first, _second, items = cited
    result = items[0].result
    good = EvidenceItemFactory(result=result, position=3, caption="", url=f"{local_server}/ok")
    bad = EvidenceItemFactory(result=result, position=4, url=f"{local_server}/gone")
    head = EvidenceItemFactory(result=result, position=5, url=f"{local_server}/no-head")
    history_rows = EvidenceItem.history.count()
    out = StringIO()
    call_command("check_links", "--timeout", "5", stdout=out)
    for item in (good, bad, head):
        item.refresh_from_db()
    assert (good.link_status, good.link_detail) == ("ok", "HTTP 200")
    assert (bad.link_status, bad.link_detail) == ("broken", "HTTP 404")
    assert head.link_status == "ok"
    assert good.link_checked_at is not None
    assert EvidenceItem.history.count() == history_rows  # a check is not an edit
    assert "เปิดไม่ได้ 1" in out.getvalue()
    kinds = [flag.kind for flag in check_assessment(assessment).for_item(bad.pk)]
    assert "broken_link" in kinds
    assert "broken_link" not in [
        flag.kind for flag in check_assessment(assessment).for_item(good.pk)
    ]
    # The reviewer sees it.
    type(assessment).objects.filter(pk=assessment.pk).update(status="submitted")
    client.force_login(qa_officer)
    html = client.get(reverse("indicators:review", args=[assessment.pk])).content.decode()
    assert "เปิดไม่ได้ (HTTP 404)" in html


def test_unreachable_link_is_broken(cited) -> None:
    _assessment, _first, _second, items = cited
    # Port 9 on 127.0.0.1 (discard) has nothing listening here: connection refused.
    item = EvidenceItemFactory(result=items[0].result, position=3, url="http://127.0.0.1:9/x")
    call_command("check_links", "--timeout", "2", stdout=StringIO())
    item.refresh_from_db()
    assert item.link_status == "broken" and item.link_detail


# --- Stored files --------------------------------------------------------------------------


def test_check_documents_finds_missing_and_changed_files(cited) -> None:
    assessment, first, _second, items = cited
    content = b"%PDF-1.4 minutes"
    good = DocumentFactory(
        unit=assessment.unit,
        file=ContentFile(content, name="good.pdf"),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    changed = DocumentFactory(
        unit=assessment.unit,
        file=ContentFile(b"tampered", name="changed.pdf"),
        sha256=hashlib.sha256(b"original").hexdigest(),
    )
    missing = DocumentFactory(
        unit=assessment.unit,
        file=ContentFile(content + b"x", name="missing.pdf"),
        sha256=hashlib.sha256(content + b"x").hexdigest(),
    )
    missing.file.storage.delete(missing.file.name)
    EvidenceItem.objects.filter(pk=items[0].pk).update(document=changed)
    EvidenceItem.objects.filter(pk=items[1].pk).update(document=missing)
    out = StringIO()
    call_command("check_documents", stdout=out)
    statuses = dict(Document.objects.values_list("pk", "file_status"))
    assert statuses[good.pk] == "ok"
    assert statuses[changed.pk] == "mismatch"
    assert statuses[missing.pk] == "missing"
    kinds = {(flag.item_id, flag.kind) for flag in check_assessment(assessment).flags}
    assert (items[0].pk, "changed_file") in kinds
    assert (items[1].pk, "missing_file") in kinds
    assert "ไม่พบไฟล์ 1" in out.getvalue()
