"""The committee's report of a unit (its scores beside the unit's, its marks and comments
per criterion and per evidence item, both means), read back from the PDF and from the
Word file (python-docx); and the university summary's committee column."""

import io
from decimal import Decimal
from pathlib import Path

import docx
import pypdf
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx.oxml.ns import qn

from evidence.models import EvidenceItem, ReviewComment
from indicators.models import Assessment, ReportJob
from indicators.reports import committee_word, pdf, summary
from indicators.scoring import mean_score
from indicators.templatetags.kmt import quality, score
from tests.factories import (
    AssessmentFactory,
    CriterionFactory,
    CriterionResultFactory,
    IndicatorFactory,
    ReviewCommentFactory,
    UnitFactory,
)
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


# -- the same report as Word ---------------------------------------------------------

GENERAL_COMMENT = "ภาพรวมดำเนินงานครบถ้วน\nควรติดตามผลต่อเนื่อง"
STRENGTHS = "มีการแลกเปลี่ยนเรียนรู้สม่ำเสมอ"
IMPROVEMENTS = "ควรวัดผลการนำความรู้ไปใช้"
SECOND_COMMENT = "เกณฑ์ข้อนี้ยังไม่มีหลักฐาน"


@pytest.fixture
def two_indicators(judged: Assessment) -> list[Assessment]:
    """The judged demo indicator with a general comment, strengths and improvements, and
    a second indicator of the same unit and year, judged lower and commented on."""
    judged.strengths, judged.improvements = STRENGTHS, IMPROVEMENTS
    judged.save()
    ReviewCommentFactory(assessment=judged, body=GENERAL_COMMENT)
    indicator = IndicatorFactory(
        cycle=judged.indicator.cycle, number="4", title="การจัดการความรู้สู่การปฏิบัติ"
    )
    second = AssessmentFactory(
        unit=judged.unit, indicator=indicator, status="approved", committee_score=Decimal("2.00")
    )
    for order in range(1, 6):
        criterion = CriterionFactory(
            indicator=indicator, order=order, text=f"เกณฑ์ที่ {order} ของตัวบ่งชี้ 4"
        )
        result = CriterionResultFactory(
            assessment=second, criterion=criterion, met=order <= 3, committee_met=order <= 2
        )
        if order == 3:
            ReviewCommentFactory(assessment=second, criterion_result=result, body=SECOND_COMMENT)
    return [judged, second]


def read_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def docx_text(document: docx.document.Document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_committee_report_as_word_reads_back(two_indicators: list[Assessment]) -> None:
    judged, second = two_indicators
    unit, cycle = judged.unit, judged.indicator.cycle
    document = read_docx(committee_word.committee_document(unit=unit, cycle=cycle))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.left_margin.cm, 2), round(section.right_margin.cm, 2)) == (3.0, 2.0)
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "TH Sarabun New"
    assert document.paragraphs[0].text == "รายงานผลการตรวจประเมินของคณะกรรมการ"
    assert unit.name in document.paragraphs[1].text

    # Every indicator with both scores side by side, then the unit's mean by both.
    scores = document.tables[0]
    assert [c.text for c in scores.rows[0].cells] == [
        "ตัวบ่งชี้", "คะแนนประเมินตนเอง", "คะแนนของกรรมการ", "ระดับคุณภาพ (กรรมการ)",
    ]  # fmt: skip
    rows = [[cell.text for cell in row.cells] for row in scores.rows[1:]]
    for row, assessment in zip(rows, two_indicators, strict=False):
        indicator = assessment.indicator
        assert row == [
            f"{indicator.number} {indicator.title}",
            score(assessment.self_score),
            score(assessment.committee_score),
            quality(assessment.committee_score),
        ]
    assert rows[0][1:3] != ["–", "–"] and rows[1][2] == "2.00"
    self_mean = mean_score(a.self_score for a in two_indicators)
    committee_mean = mean_score(a.committee_score for a in two_indicators)
    assert rows[2] == ["คะแนนเฉลี่ยของหน่วยงาน", score(self_mean), score(committee_mean),
                       quality(committee_mean)]  # fmt: skip
    assert len(rows) == 3 and committee_mean == Decimal("2.50")

    # Each indicator: both marks of every criterion, the comments beside it.
    for table, assessment in zip(document.tables[1:], two_indicators, strict=True):
        results = list(assessment.results.select_related("criterion").order_by("criterion__order"))
        assert len(table.rows) == 1 + len(results)
        for row, result in zip(table.rows[1:], results, strict=True):
            cells = [cell.text for cell in row.cells]
            assert cells[0] == f"{result.criterion.order}. {result.criterion.text}"
            assert cells[1] == ("ผ่าน" if result.met else "ไม่ผ่าน")
            assert cells[2] == ("ผ่าน" if result.committee_met else "ไม่ผ่าน")
    text = docx_text(document)
    comments = ReviewComment.objects.filter(assessment__unit=unit).select_related("evidence_item")
    assert comments.count() == 4
    for comment in comments:
        assert comment.body in text, comment.body
        if comment.evidence_item_id:  # under its item's code, with the unit's reply
            item = EvidenceItem.objects.with_code_parts().get(pk=comment.evidence_item_id)
            assert f"{item.code} {comment.body}\nหน่วยงานตอบ: {REPLY}" in text
    assert "กรรมการเห็นว่าผ่านเกณฑ์ 3 ข้อ" in text and "กรรมการเห็นว่าผ่านเกณฑ์ 2 ข้อ" in text
    paragraphs = [p.text for p in document.paragraphs]
    for heading, body in (("จุดแข็ง", STRENGTHS), ("จุดที่ควรพัฒนา", IMPROVEMENTS)):
        assert paragraphs[paragraphs.index(heading) + 1] == body


def test_the_unit_asks_for_the_word_file_through_the_worker(
    client: Client, judged: Assessment, staff: User, outsider: User
) -> None:
    url = reverse(
        "indicators:unit_committee_report", args=[judged.unit_id, judged.indicator.cycle_id]
    )
    client.force_login(staff)
    page = client.get(reverse("indicators:unit", args=[judged.unit_id])).content.decode()
    assert "kmt-committee-docx" in page
    client.post(url, {"format": "docx"})
    job = ReportJob.objects.get()
    assert (job.kind, job.status, job.unit) == ("committee_docx", "done", judged.unit)
    assert job.file.name.endswith(".docx")
    assert "ดาวน์โหลดไฟล์ Word" in client.get(job.get_absolute_url()).content.decode()
    response = client.get(reverse("indicators:report_job_download", args=[job.pk]))
    assert response["Content-Type"] == committee_word.WORD_MIMETYPE
    assert ".docx" in response["Content-Disposition"]
    assert CRITERION_COMMENT in docx_text(read_docx(b"".join(response.streaming_content)))
    client.force_login(outsider)
    assert client.post(url, {"format": "docx"}).status_code == 404


def test_render_sar_writes_the_committee_report(judged: Assessment, tmp_path: Path) -> None:
    args = ["render_sar", "--unit", "สพ", "--year", "2563", "--committee"]
    word_file, pdf_file = tmp_path / "committee.docx", tmp_path / "committee.pdf"
    call_command(*args, "--format", "docx", "--output", str(word_file), stdout=io.StringIO())
    assert ITEM_COMMENT in docx_text(read_docx(word_file.read_bytes()))
    call_command(*args, "--output", str(pdf_file), stdout=io.StringIO())
    assert fold(ITEM_COMMENT) in text_of(pdf_file.read_bytes())


# -- the university summary ------------------------------------------------------------


def test_the_university_summary_shows_committee_scores_beside_the_units(
    two_indicators: list[Assessment],
) -> None:
    """Each unit's line of self scores has the committee's line beneath it, indicator by
    indicator, with the means by both; and the means over every unit by both."""
    judged, second = two_indicators
    cycle = judged.indicator.cycle
    library = UnitFactory(name="สำนักบรรณสารสนเทศ", evidence_prefix="สบ")
    AssessmentFactory(unit=library, indicator=judged.indicator, committee_score=Decimal("5.00"))
    AssessmentFactory(unit=library, indicator=second.indicator)  # not judged yet
    data = summary.university_summary_data(cycle=cycle)
    assert [row.unit.name for row in data.rows] == ["สำนักบรรณสารสนเทศ", "สำนักพิมพ์"]
    text = text_of(pdf.render_university_pdf(cycle=cycle))
    indicators = [judged.indicator, second.indicator]
    for unit in (library, judged.unit):
        rows = {a.indicator_id: a for a in Assessment.objects.filter(unit=unit)}
        own = [rows[indicator.pk].self_score for indicator in indicators]
        committee = [rows[indicator.pk].committee_score for indicator in indicators]
        line = [unit.name, "ประเมินตนเอง", *map(score, own), score(mean_score(own)),
                quality(mean_score(own)), "กรรมการ", *map(score, committee),
                score(mean_score(committee)), quality(mean_score(committee))]  # fmt: skip
        assert fold("".join(line)) in text, unit.name
    # The library's committee line: 5.00 and "–" (not judged), its mean 5.00.
    assert fold("กรรมการ5.00–5.00") in text
    everyone = Assessment.objects.filter(indicator__cycle=cycle)
    for indicator, mean in zip(indicators, data.committee_indicator_means, strict=True):
        scores = [a.committee_score for a in everyone if a.indicator_id == indicator.pk]
        assert mean == mean_score(scores)
    assert data.committee_indicator_means == [Decimal("4.00"), Decimal("2.00")]
    footer = ["เฉลี่ยทุกหน่วยงาน", "ประเมินตนเอง"]
    assert fold("".join(footer)) in text
    assert fold("กรรมการ4.002.00") in text
