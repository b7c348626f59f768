"""A cycle's indicator set from a sheet: preview, import, all or nothing, idempotent."""

from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from indicators.models import Criterion, CriterionResult, Cycle, Indicator
from indicators.services.indicator_sets.imports import indicator_set_import, indicator_set_preview
from indicators.services.indicator_sets.workbook import indicator_set_template
from indicators.sheets import SheetError
from tests.factories import AssessmentFactory, CycleFactory, UnitFactory
from tests.sheet_helpers import read_back, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["ตัวบ่งชี้ที่", "ชื่อตัวบ่งชี้", "ชนิดของตัวบ่งชี้", "ตารางคะแนน", "ค่าที่ได้คะแนนเต็ม",
          "หน่วย", "เกณฑ์ข้อที่", "เกณฑ์มาตรฐาน"]  # fmt: skip
# The template also has the optional numerator and denominator names (output indicators).
TEMPLATE_HEADER = [*HEADER[:6], "ชื่อตัวตั้ง", "ชื่อตัวหาร", *HEADER[6:]]


def set_rows() -> list[list[Any]]:
    """3 process indicators with 5 criteria, 1 output indicator with a full-score value."""
    rows: list[list[Any]] = []
    for number in (1, 2, 3):
        for order in range(1, 6):
            first = order == 1
            rows.append([
                number,
                f"ตัวบ่งชี้กระบวนการ {number}" if first else None,
                "กระบวนการ" if first else None,
                "1=1, 2=2, 3=3, 4=4, 5=5" if first and number == 1 else None,
                None, None, order, f"เกณฑ์ {number}.{order}",
            ])  # fmt: skip
    rows.append([4, "ร้อยละของบุคลากรที่ได้รับการพัฒนา", "ผลผลิต", None, 80, "ร้อยละ", None, None])
    return rows


def sheet(rows: list[list[Any]]) -> bytes:
    return xlsx({"ตัวบ่งชี้และเกณฑ์": [HEADER, *rows]})


@pytest.fixture
def cycle() -> Cycle:
    return CycleFactory(year_be=2567)


def test_import_creates_indicators_criteria_and_scoring_rules(cycle: Cycle) -> None:
    plan = indicator_set_import(cycle=cycle, data=sheet(set_rows()))
    assert plan.counts["create"] == 4
    indicators = {i.number: i for i in cycle.indicators.all()}
    assert sorted(indicators) == ["1", "2", "3", "4"]
    assert indicators["1"].score_table == [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]
    assert indicators["2"].score_table == [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]  # default
    assert indicators["2"].kind == Indicator.Kind.PROCESS
    output = indicators["4"]
    assert output.kind == Indicator.Kind.OUTPUT
    assert output.full_score_value == Decimal("80") and output.result_unit == "ร้อยละ"
    assert output.score(value=Decimal(40)) == Decimal("2.50")
    assert list(indicators["3"].criteria.values_list("order", "text")) == [
        (order, f"เกณฑ์ 3.{order}") for order in range(1, 6)
    ]


def test_a_second_import_of_the_same_sheet_changes_nothing(cycle: Cycle) -> None:
    data = sheet(set_rows())
    indicator_set_import(cycle=cycle, data=data)
    before = (list(Indicator.objects.values_list()), list(Criterion.objects.values_list()))
    preview = indicator_set_preview(cycle=cycle, data=data)
    assert not preview.changed and preview.counts["unchanged"] == 4
    again = indicator_set_import(cycle=cycle, data=data)
    assert not again.changed
    assert (list(Indicator.objects.values_list()), list(Criterion.objects.values_list())) == before
    # 15 criterion rows, and the output indicator's own measure criterion.
    assert Criterion.objects.filter(indicator__cycle=cycle).count() == 16


def test_preview_writes_nothing_and_says_what_changes(cycle: Cycle) -> None:
    indicator_set_import(cycle=cycle, data=sheet(set_rows()))
    rows = set_rows()
    rows[0][1] = "ชื่อใหม่"
    rows[6][7] = "เกณฑ์ที่แก้"
    rows.insert(15, [3, None, None, None, None, None, 6, "เกณฑ์ข้อใหม่"])
    plan = indicator_set_preview(cycle=cycle, data=sheet(rows))
    actions = {p.number: p for p in plan.indicators}
    assert actions["1"].action == "update" and actions["1"].changed == ["ชื่อ"]
    assert actions["2"].criteria_updated == [2]
    assert actions["3"].criteria_created == [6]
    assert actions["4"].action == "unchanged"
    assert cycle.indicators.get(number="1").title == "ตัวบ่งชี้กระบวนการ 1"


def test_a_new_criterion_gets_its_result_in_every_assessment(cycle: Cycle) -> None:
    indicator_set_import(cycle=cycle, data=sheet(set_rows()))
    assessment = AssessmentFactory(unit=UnitFactory(), indicator=cycle.indicators.get(number="3"))
    rows = [*set_rows(), [3, None, None, None, None, None, 6, "เกณฑ์ข้อใหม่"]]
    indicator_set_import(cycle=cycle, data=sheet(rows))
    assert CriterionResult.objects.filter(
        assessment=assessment, criterion__order=6, criterion__text="เกณฑ์ข้อใหม่"
    ).exists()


def test_one_bad_row_among_50_writes_nothing_and_names_row_and_column(cycle: Cycle) -> None:
    rows: list[list[Any]] = []
    for number in range(1, 11):
        for order in range(1, 6):
            first = order == 1
            title, kind = (f"ตัวบ่งชี้ {number}", "กระบวนการ") if first else (None, None)
            rows.append([number, title, kind, None, None, None, order, f"เกณฑ์ {order}"])
    assert len(rows) == 50
    rows[36][6] = "สาม"  # Excel row 38, column เกณฑ์ข้อที่
    with pytest.raises(SheetError) as raised:
        indicator_set_import(cycle=cycle, data=sheet(rows))
    assert [str(error) for error in raised.value.errors] == [
        "แถวที่ 38 คอลัมน์ “เกณฑ์ข้อที่”: เกณฑ์ข้อที่ต้องเป็นจำนวนเต็ม 1 ขึ้นไป (ได้ “สาม”)"
    ]
    assert "ยังไม่ได้บันทึกข้อมูลใด ๆ" in raised.value.message
    assert not Indicator.objects.exists() and not Criterion.objects.exists()


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ([5, "ก", "อื่น", None, None, None, 1, "x"], "ชนิดของตัวบ่งชี้", "ต้องเป็น กระบวนการ"),
        ([5, "ก", "กระบวนการ", "1=1, 9=5", None, None, 1, "x"], "ตารางคะแนน", "มีเกณฑ์ 1 ข้อ"),
        ([5, "ก", "กระบวนการ", "หนึ่ง", None, None, 1, "x"], "ตารางคะแนน", "จำนวนข้อ=คะแนน"),
        ([5, "ก", "กระบวนการ", "1=1, 1=5", None, None, 1, "x"], "ตารางคะแนน", "เรียงจากน้อยไปมาก"),
        ([5, "ก", "กระบวนการ", None, 80, None, 1, "x"], "ค่าที่ได้คะแนนเต็ม", "ไม่ใช้ค่าที่ได้"),
        ([5, "ก", "กระบวนการ", None, None, None, None, None], "เกณฑ์ข้อที่", "อย่างน้อยหนึ่งข้อ"),
        ([5, "ก", "ผลลัพธ์", None, None, None, None, None], "ค่าที่ได้คะแนนเต็ม", "ต้องระบุค่า"),
        ([5, "ก", "ผลลัพธ์", None, "ห้าสิบ", None, None, None], "ค่าที่ได้คะแนนเต็ม", "ตัวเลข"),
        ([5, "ก", "ผลลัพธ์", None, -3, None, None, None], "ค่าที่ได้คะแนนเต็ม", "มากกว่า 0"),
        ([5, "ก", "ผลลัพธ์", "1=5", 3, None, None, None], "ตารางคะแนน", "ไม่ใช้ตารางคะแนน"),
        ([5, None, "ผลลัพธ์", None, 3, None, None, None], "ชื่อตัวบ่งชี้", "ต้องระบุชื่อ"),
        ([5, "ก" * 501, "ผลลัพธ์", None, 3, None, None, None], "ชื่อตัวบ่งชี้", "500"),
        ([5, "ก", "กระบวนการ", None, None, None, 1, "ข" * 2001], "เกณฑ์มาตรฐาน", "2000"),
        ([5, "ก", "กระบวนการ", None, None, None, 1, None], "เกณฑ์มาตรฐาน", "ต้องระบุเกณฑ์"),
        ([None, "ก", "กระบวนการ", None, None, None, 1, "x"], "ตัวบ่งชี้ที่", "ต้องระบุเลข"),
    ],
)
def test_each_refusal_names_its_column(
    cycle: Cycle, row: list[Any], column: str, message: str
) -> None:
    with pytest.raises(SheetError) as raised:
        indicator_set_import(cycle=cycle, data=sheet([*set_rows(), row]))
    errors = raised.value.errors
    assert len(errors) == 1, [str(e) for e in errors]
    assert errors[0].row == 18 and errors[0].column == column
    assert message in errors[0].message.replace(",", "")
    assert not Indicator.objects.exists()


def test_duplicate_criteria_and_conflicting_indicator_columns_are_refused(cycle: Cycle) -> None:
    rows = set_rows()
    rows[1][6] = 1  # indicator 1's criterion 1 twice (Excel row 3)
    rows[7][1] = "ชื่ออื่น"  # indicator 2's title differs on its third row (Excel row 9)
    with pytest.raises(SheetError) as raised:
        indicator_set_import(cycle=cycle, data=sheet(rows))
    assert [(e.row, e.column) for e in raised.value.errors] == [
        (3, "เกณฑ์ข้อที่"),
        (9, "ชื่อตัวบ่งชี้"),
    ]
    assert "ซ้ำกับแถวที่ 2" in raised.value.errors[0].message


def test_the_template_reads_back_and_imports(cycle: Cycle) -> None:
    data = indicator_set_template()
    sheets = read_back(data)
    assert list(sheets) == ["ตัวบ่งชี้และเกณฑ์", "คำอธิบาย"]
    assert sheets["ตัวบ่งชี้และเกณฑ์"][0] == TEMPLATE_HEADER
    assert any("ตารางคะแนน" in (line[0] or "") for line in sheets["คำอธิบาย"])
    plan = indicator_set_import(cycle=cycle, data=data)
    assert [p.number for p in plan.indicators] == ["1", "2"]
    assert cycle.indicators.get(number="1").criteria.count() == 2


def test_command_imports_creates_the_fiscal_cycle_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "set.xlsx"
    path.write_bytes(sheet(set_rows()))
    out = StringIO()
    call_command("import_indicator_set", str(path), "--year", "2567", stdout=out)
    cycle = Cycle.objects.get(year_be=2567, kind=Cycle.Kind.FISCAL)
    assert str(cycle.start_date) == "2023-10-01"
    assert "สร้าง 4" in out.getvalue()
    out = StringIO()
    call_command("import_indicator_set", str(path), "--year", "2567", stdout=out)
    assert "สร้าง 0, แก้ไข 0, คงเดิม 4" in out.getvalue()


def test_command_refuses_a_bad_sheet_with_every_row(tmp_path: Path, cycle: Cycle) -> None:
    path = tmp_path / "set.xlsx"
    rows = set_rows()
    rows[3][6] = "x"
    path.write_bytes(sheet(rows))
    with pytest.raises(CommandError, match="แถวที่ 5 คอลัมน์ “เกณฑ์ข้อที่”"):
        call_command("import_indicator_set", str(path), "--year", "2567")
    with pytest.raises(CommandError, match="ไม่พบไฟล์"):
        call_command("import_indicator_set", str(tmp_path / "none.xlsx"), "--year", "2567")
    assert not Indicator.objects.exists()


def test_what_the_sheet_leaves_unsaid_is_kept(cycle: Cycle) -> None:
    indicator_set_import(cycle=cycle, data=sheet(set_rows()))
    Indicator.objects.filter(cycle=cycle, number="2").update(score_table=[[2, 3], [5, 5]])
    Indicator.objects.filter(cycle=cycle, number="4").update(result_unit="คน")
    # Indicator 2's table cell is empty; this sheet has no unit column at all.
    rows = [row[:5] + row[6:] for row in set_rows()]
    header = HEADER[:5] + HEADER[6:]
    plan = indicator_set_import(cycle=cycle, data=xlsx({"S": [header, *rows]}))
    assert not plan.changed
    assert cycle.indicators.get(number="2").score_table == [[2, 3], [5, 5]]
    assert cycle.indicators.get(number="4").result_unit == "คน"
    # A table that no longer fits the criteria gives way to the usual one.
    Indicator.objects.filter(cycle=cycle, number="2").update(score_table=[[7, 5]])
    indicator_set_import(cycle=cycle, data=sheet(set_rows()))
    assert cycle.indicators.get(number="2").score_table == [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]
    assert cycle.indicators.get(number="4").result_unit == "ร้อยละ"
