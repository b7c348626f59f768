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
from indicators.models import Assessment, CriterionResult
from tests.factories import (
    AssessmentFactory,
    CriterionResultFactory,
    DocumentFactory,
    EvidenceItemFactory,
    UnitFactory,
)


@pytest.fixture
def cited(db: None) -> tuple[Assessment, CriterionResult, CriterionResult, list[EvidenceItem]]:
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
    # One line per criterion and kind, for the criterion (no item).
    assert [(flag.kind, flag.message) for flag in report.for_result(first.pk)] == [
        ("missing_code", "อ้างถึง ทด 2-1 (3) ซึ่งไม่มีอยู่ในรายการหลักฐาน"),
        ("uncited", "ไม่มีผลการดำเนินงานข้อใดอ้างถึง ทด 2-1 (2)"),
    ]
    assert [flag.message for flag in report.for_result(second.pk)] == [
        "ไม่มีผลการดำเนินงานข้อใดอ้างถึง ทด 2-2 (1)"
    ]
    assert report.by_item == {}


def test_flags_are_grouped_per_criterion(cited, client, qa_officer) -> None:
    """A draft carried over from last year: many uncited items waiting for confirmation
    make one line per criterion and kind, not one per item."""
    assessment, first, second, items = cited
    first.narrative = "ดู ทด 2-1 (1), ทด 2-1 (7), ทด 2-2 (9) และ ทด 2-1 (8) อีกครั้ง ทด 2-1 (7)"
    first.save()
    for position in range(2, 7):
        EvidenceItemFactory(result=second, position=position, to_confirm=True)
    EvidenceItem.objects.filter(pk=items[1].pk).update(to_confirm=True)
    report = check_assessment(assessment)
    assert [(flag.result_id, flag.kind, flag.message) for flag in report.flags] == [
        (first.pk, "missing_code",
         "อ้างถึง ทด 2-1 (7), ทด 2-2 (9), ทด 2-1 (8) ซึ่งไม่มีอยู่ในรายการหลักฐาน"),
        (first.pk, "uncited", "ไม่มีผลการดำเนินงานข้อใดอ้างถึง ทด 2-1 (2)"),
        (first.pk, "to_confirm",
         "ทด 2-1 (2) ยกมาจากปีที่แล้ว รอหน่วยงานยืนยันหรือแนบหลักฐานใหม่"),
        (second.pk, "uncited",
         "ไม่มีผลการดำเนินงานข้อใดอ้างถึง ทด 2-2 (1), (2), (3), (4), (5), (6)"),
        (second.pk, "to_confirm",
         "ทด 2-2 (2), (3), (4), (5), (6) ยกมาจากปีที่แล้ว รอหน่วยงานยืนยันหรือแนบหลักฐานใหม่"),
    ]  # fmt: skip
    assert report.flags[3].codes == [f"ทด 2-2 ({n})" for n in range(1, 7)]
    # Both pages show each line once, under its criterion; the review page counts lines.
    type(assessment).objects.filter(pk=assessment.pk).update(status="submitted")
    client.force_login(qa_officer)
    for name in ("indicators:review", "indicators:assessment"):
        html = client.get(reverse(name, args=[assessment.pk])).content.decode()
        assert html.count('data-flag="uncited"') == 2
        assert html.count('data-flag="to_confirm"') == 2
        assert "ไม่มีผลการดำเนินงานข้อใดอ้างถึง ทด 2-2 (1), (2), (3), (4), (5), (6)" in html
        if name == "indicators:review":
            assert "พบ 5 ประเด็นเรื่องการอ้างอิงหลักฐาน" in html


def test_citations_of_removed_items_are_flagged(cited, client, qa_officer) -> None:
    """'ทด 2-1 (2 ถูกลบ)' (what removing an item leaves) is no live code: flagged, once per
    criterion, and in the strengths or improvements for the assessment."""
    assessment, first, _second, items = cited
    first.narrative = "ดู ทด 2-1 (1), ทด2-1(2 ถูกลบ) และ ทด 2-1 (5 ถูกลบ) อีกครั้ง ทด 2-1 (2 ถูกลบ)"
    first.save()
    assessment.improvements = "ควรติดตาม ทด 2-1 (4 ถูกลบ)"
    assessment.save()
    report = check_assessment(assessment)
    dangling = [flag for flag in report.flags if flag.kind == "dangling"]
    assert [(flag.result_id, flag.message) for flag in dangling] == [
        (first.pk, "อ้างถึง ทด 2-1 (2), (5) ซึ่งถูกลบออกจากรายการหลักฐานแล้ว ควรแก้ไขหรือลบการอ้างอิงนี้"),
        (None, "จุดที่ควรพัฒนา อ้างถึง ทด 2-1 (4) ซึ่งถูกลบออกจากรายการหลักฐานแล้ว"),
    ]  # fmt: skip
    assert report.for_assessment() == dangling[1:]
    # A marked citation cites nothing: item (2) is uncited, (5) is not missing.
    assert not [flag for flag in report.flags if flag.kind == "missing_code"]
    assert ["ทด 2-1 (2)"] in [flag.codes for flag in report.for_result(first.pk)]
    client.force_login(qa_officer)
    for name in ("indicators:assessment", "indicators:review"):
        html = client.get(reverse(name, args=[assessment.pk])).content.decode()
        assert html.count('data-flag="dangling"') == 2
        assert "จุดที่ควรพัฒนา อ้างถึง ทด 2-1 (4)" in html


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
    missing = [flag for flag in check_assessment(assessment).flags if flag.kind == "missing_code"]
    assert [flag.codes for flag in missing] == [[f"ทด {other.indicator.number}-1 (2)"]]


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
