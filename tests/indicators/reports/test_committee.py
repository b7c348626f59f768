"""The committee's report of a unit (its scores beside the unit's, its marks and comments
per criterion and per evidence item, both means), read back from the PDF; and the
university summary's committee column."""

import io
from decimal import Decimal

import pypdf
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from evidence.models import EvidenceItem
from indicators.models import Assessment, ReportJob
from indicators.reports import pdf
from tests.factories import ReviewCommentFactory
from tests.pdf_helpers import fold

pytestmark = pytest.mark.django_db

CRITERION_COMMENT = "ควรระบุวันที่ประชุมให้ตรงกับรายงานการประชุม"
ITEM_COMMENT = "ลายมือชื่อผู้เข้าประชุมไม่ครบ"
REPLY = "แนบฉบับที่มีลายมือชื่อครบแล้ว"


def text_of(content: bytes) -> str:
    return fold("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages))


@pytest.fixture
def judged(demo: Assessment) -> Assessment:
    results = list(demo.results.order_by("criterion__order"))
    for result in results:
        result.committee_met = result.criterion.order <= 3
        result.save()
    demo.committee_score = Decimal("3.00")
    demo.status = Assessment.Status.APPROVED
    demo.save()
    ReviewCommentFactory(assessment=demo, criterion_result=results[1], body=CRITERION_COMMENT)
    item = EvidenceItem.objects.filter(result=results[0]).order_by("position").first()
    ReviewCommentFactory(assessment=demo, evidence_item=item, body=ITEM_COMMENT, reply=REPLY)
    return demo


def test_the_committee_report_reads_back(judged: Assessment) -> None:
    text = text_of(pdf.render_committee_pdf(unit=judged.unit, cycle=judged.indicator.cycle))
    for expected in (
        "รายงานผลการตรวจประเมินของคณะกรรมการ",
        judged.unit.name,
        CRITERION_COMMENT,
        f"สพ3-1(1){ITEM_COMMENT}",  # the item's comment under its code
        REPLY,
        "คะแนนของกรรมการ",
        "กรรมการเห็นว่าผ่านเกณฑ์3ข้อ",
    ):
        assert fold(expected) in text, expected
    # Both scores side by side, and the unit's means by both.
    self_score = f"{judged.self_score:.2f}"
    assert f"{self_score}3.00" in text


def test_the_university_summary_shows_committee_means(judged: Assessment) -> None:
    summary = pdf.university_summary_data(cycle=judged.indicator.cycle)
    assert summary.rows[0].committee_mean == Decimal("3.00")
    text = text_of(pdf.render_university_pdf(cycle=judged.indicator.cycle))
    assert "คะแนนเฉลี่ยของกรรมการ" in text and "3.00" in text


def test_the_unit_asks_for_it_through_the_worker(
    client: Client, judged: Assessment, staff: User, outsider: User
) -> None:
    url = reverse(
        "indicators:unit_committee_report", args=[judged.unit_id, judged.indicator.cycle_id]
    )
    client.force_login(staff)
    assert url in client.get(reverse("indicators:unit", args=[judged.unit_id])).content.decode()
    client.post(url)
    job = ReportJob.objects.get()
    assert (job.kind, job.status, job.unit) == ("committee", "done", judged.unit)
    response = client.get(reverse("indicators:report_job_download", args=[job.pk]))
    assert fold(CRITERION_COMMENT) in text_of(b"".join(response.streaming_content))
    client.force_login(outsider)
    assert client.post(url).status_code == 404
