"""The university's scores as .xlsx, read back with openpyxl: a sheet per cycle, Thai
headers, numbers as numbers, unit means, and text that stays text."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, ReportJob
from indicators.reports import xlsx
from tests.factories import (
    AssessmentFactory,
    CriterionFactory,
    CriterionResultFactory,
    CycleFactory,
    IndicatorFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year() -> dict[str, object]:
    cycle = CycleFactory(year_be=2567)
    process = IndicatorFactory(cycle=cycle, number="1", title="การพัฒนาหน่วยงานสู่องค์การการเรียนรู้")
    output = IndicatorFactory(
        cycle=cycle,
        number="2",
        title="ร้อยละของผู้สำเร็จการศึกษาที่ได้งานทำ",
        kind=Indicator.Kind.OUTPUT,
        score_table=[],
        full_score_value=Decimal(80),
        result_unit="ร้อยละ",
    )
    criteria = [CriterionFactory(indicator=process, order=n) for n in range(1, 6)]
    press = UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ")
    # A name a spreadsheet would read as a formula if it were written as one.
    tricky = UnitFactory(name='=HYPERLINK("http://x")', evidence_prefix="ทดสอบ")
    approved = AssessmentFactory(
        unit=press, indicator=process, status="approved", committee_score=Decimal("4.00")
    )
    for criterion in criteria:
        CriterionResultFactory(assessment=approved, criterion=criterion, met=criterion.order <= 4)
    AssessmentFactory(unit=press, indicator=output, result_value=Decimal(60), target=Decimal(70))
    AssessmentFactory(unit=tricky, indicator=process)
    older = CycleFactory(year_be=2566)
    AssessmentFactory(unit=press, indicator=IndicatorFactory(cycle=older, number="1"))
    return {"cycle": cycle, "older": older}


def rows_of(sheet: object) -> list[tuple[object, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]


def test_a_sheet_per_cycle_with_numbers_as_numbers(year: dict[str, object]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx.university_workbook(cycle=year["cycle"])))
    assert book.sheetnames == ["ปีงบประมาณ 2567", "ปีงบประมาณ 2566"]
    sheet = book["ปีงบประมาณ 2567"]
    rows = rows_of(sheet)
    assert rows[2][:4] == ("หน่วยงาน", "ตัวบ่งชี้ที่", "ชื่อตัวบ่งชี้", "ชนิดของตัวบ่งชี้")
    by_key = {(row[0], row[1]): row for row in rows[3:] if row[1] in ("1", "2")}
    press_km = by_key[("สำนักพิมพ์", "1")]
    # target 5, 4 criteria met, self score 4.00 (five-criteria table), committee 4.00
    assert press_km[4:6] == (5, 4) and press_km[7:9] == (4, 4)
    assert isinstance(press_km[7], float | int) and press_km[9] == "อนุมัติแล้ว"
    assert press_km[10] == "ไม่บรรลุ" and press_km[11] == "ดี"
    press_output = by_key[("สำนักพิมพ์", "2")]
    # 60 of a full score at 80: 3.75; target 70 not reached
    assert press_output[5] == 60 and press_output[6] == "ร้อยละ" and press_output[7] == 3.75
    # The score columns show two decimals; the sheet filters from its header row.
    assert sheet.cell(row=4, column=8).number_format == "0.00"
    assert sheet.auto_filter.ref.startswith("A3:")
    # Typed text stays text, never a formula.
    tricky = next(row for row in rows if row[0] and str(row[0]).startswith("=HYPERLINK"))
    cell = next(c for c in sheet["A"] if c.value == tricky[0])
    assert cell.data_type == "s"
    # Each unit's means below the rows.
    start = next(i for i, row in enumerate(rows) if row[0] == "คะแนนเฉลี่ยรายหน่วยงาน")
    means = {row[0]: row for row in rows[start + 2 :]}
    assert means["สำนักพิมพ์"][1:4] == (2, 3.88, 4)


def test_qa_officer_gets_it_from_the_background_worker(
    client: Client, year: dict[str, object], qa_officer: User, staff: User
) -> None:
    url = reverse("indicators:university_pdf", args=[year["cycle"].pk])  # type: ignore[attr-defined]
    client.force_login(staff)
    assert client.post(url, {"kind": "university_xlsx"}).status_code == 403
    client.force_login(qa_officer)
    assert "Excel" in client.get(url).content.decode()
    client.post(url, {"kind": "university_xlsx"})
    job = ReportJob.objects.get()
    assert (job.kind, job.status) == ("university_xlsx", "done")
    assert job.file.name.endswith(".xlsx")
    assert "ดาวน์โหลดไฟล์ Excel" in client.get(job.get_absolute_url()).content.decode()
    response = client.get(reverse("indicators:report_job_download", args=[job.pk]), {"inline": "1"})
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == xlsx.XLSX_MIMETYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "ปีงบประมาณ 2567"
