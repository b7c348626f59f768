"""An output indicator's page in the SAR, as PDF and as Word: the seed's three columns
(what is measured | the value, its data and the narrative | the evidence codes) and the
outcome table (target, result with its unit, score), read back from the files."""

import io

import docx
import pytest

from indicators.models import Unit
from indicators.reports import pdf, word
from tests.indicators.output_world import (
    DENOMINATOR,
    NUMERATOR,
    TITLE,
    output_assessment,
    with_data,
)
from tests.pdf_helpers import fold, pypdf_pages

pytestmark = pytest.mark.django_db


def test_the_pdf_prints_the_three_columns_and_the_value(unit: Unit) -> None:
    assessment = with_data(output_assessment(unit))
    text = fold("".join(pypdf_pages(pdf.render_indicator_pdf(assessment=assessment))))
    assert fold(f"1. {TITLE}") in text  # the measure criterion in the first column
    assert fold("ผลการดำเนินงาน: 85 ร้อยละ") in text
    assert fold(f"{NUMERATOR} 85 จาก{DENOMINATOR} 100") in text
    assert fold("สำรวจภาวะการมีงานทำของบัณฑิต") in text
    assert fold("สพ 5-1 (1) รายงานผลการสำรวจภาวะการมีงานทำ") in text
    assert fold("สพ 5-1 (2) แบบสำรวจบัณฑิต") in text
    # The outcome table: target and result with the unit, the score from the value.
    assert fold("เป้าหมาย80ร้อยละ") in text and fold("ผลการดำเนินงาน85ร้อยละ") in text
    assert fold("คะแนนการประเมินตนเอง5.00") in text


def test_the_word_file_prints_the_same(unit: Unit) -> None:
    assessment = with_data(output_assessment(unit))
    document = docx.Document(io.BytesIO(word.indicator_document(assessment=assessment)))
    table = document.tables[0]
    assert len(table.rows) == 2  # the header and the one measure criterion
    criterion, narrative, evidence = (cell.text for cell in table.rows[1].cells)
    assert criterion.startswith(f"1. {TITLE}")
    assert narrative.splitlines()[:3] == [
        "ผลการดำเนินงาน: 85 ร้อยละ",
        f"{NUMERATOR} 85 จาก{DENOMINATOR} 100",
        "สำรวจภาวะการมีงานทำของบัณฑิต ตามเอกสาร สพ 5-1 (1)",
    ]
    assert evidence.splitlines() == [
        "สพ 5-1 (1) รายงานผลการสำรวจภาวะการมีงานทำ",
        "สพ 5-1 (2) แบบสำรวจบัณฑิต",
    ]
    outcome = {row.cells[0].text: row.cells[1].text for row in document.tables[1].rows}
    assert outcome["เป้าหมาย"] == "80 ร้อยละ" and outcome["ผลการดำเนินงาน"] == "85 ร้อยละ"
    assert outcome["คะแนนการประเมินตนเอง"].startswith("5.00")


def test_no_value_yet_prints_no_value_line(unit: Unit) -> None:
    assessment = output_assessment(unit)
    document = docx.Document(io.BytesIO(word.indicator_document(assessment=assessment)))
    assert "ผลการดำเนินงาน:" not in document.tables[0].rows[1].cells[1].text
