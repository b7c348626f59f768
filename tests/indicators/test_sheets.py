"""Reading sheets into rows by their headers, the Thai errors, and writing templates."""

import io
import zipfile

import openpyxl
import pytest

from indicators import sheets
from indicators.sheets import Column, RowError, SheetError, SheetSpec

from ..sheet_helpers import read_back, xlsx

SPEC = SheetSpec(
    title="ข้อมูล",
    english="Data",
    columns=[
        Column("name", "ชื่อ", "Name"),
        Column("count", "จำนวน", "Count"),
        Column("note", "หมายเหตุ", "Note", required=False),
    ],
)


def read(data: bytes, **kwargs: object) -> list[sheets.SheetRow]:
    book = sheets.load_workbook(data)
    return sheets.read_sheet(sheets.find_sheet(book, SPEC, first=True), SPEC, **kwargs)


def test_rows_are_keyed_by_thai_or_english_headers_in_any_order() -> None:
    data = xlsx(
        {"Sheet": [["อื่น ๆ", "จำนวน", "ชื่อ"], ["x", 3.0, " สมชาย  ใจดี "], [None, None, None],
                   ["y", 2.5, "ข"]]}
    )  # fmt: skip
    rows = read(data)
    assert [(row.number, row["name"], row["count"], row["note"]) for row in rows] == [
        (2, "สมชาย ใจดี", "3", ""),
        (4, "ข", "2.5", ""),
    ]
    english = read(xlsx({"Data": [["Count", "Name", "Note"], [1, "a", "b"]]}))
    assert english[0].values == {"count": "1", "name": "a", "note": "b"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "ไฟล์ว่างเปล่า"),
        (b"name,count\na,1\n", "ต้องเป็นไฟล์ Excel แบบ .xlsx"),
        (b"PK\x03\x04 broken zip", "ต้องเป็นไฟล์ Excel แบบ .xlsx"),
        (b"x" * (sheets.MAX_BYTES + 1), "ไฟล์มีขนาดใหญ่เกินไป"),
    ],
)
def test_unreadable_files_get_a_thai_message(data: bytes, message: str) -> None:
    with pytest.raises(SheetError) as raised:
        sheets.load_workbook(data)
    assert message in raised.value.message


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "สวัสดี")
    with pytest.raises(SheetError, match="ต้องเป็นไฟล์ Excel แบบ .xlsx"):
        sheets.load_workbook(output.getvalue())


def test_missing_columns_empty_sheets_and_no_data_are_named() -> None:
    with pytest.raises(SheetError) as raised:
        read(xlsx({"Sheet": [["ชื่อ", "หมายเหตุ"], ["a", "b"]]}))
    assert "“จำนวน”" in raised.value.message and "แถวที่ 1" in raised.value.message
    with pytest.raises(SheetError, match="ว่างเปล่า"):
        read(xlsx({"Sheet": []}))
    with pytest.raises(SheetError, match="ไม่มีข้อมูล"):
        read(xlsx({"Sheet": [["ชื่อ", "จำนวน"]]}))
    assert read(xlsx({"Sheet": [["ชื่อ", "จำนวน"]]}), allow_empty=True) == []


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    rows = [["ชื่อ", "จำนวน"]] + [[f"n{i}", i] for i in range(4)]
    with pytest.raises(SheetError, match="เกิน 3 แถว"):
        read(xlsx({"Sheet": rows}))
    assert len(read(xlsx({"Sheet": rows[:4]}))) == 3


def test_row_errors_say_row_and_column_in_thai() -> None:
    error = RowError(7, "จำนวน", "ต้องเป็นตัวเลข", sheet="ผู้ใช้")
    assert str(error) == "แผ่นงาน “ผู้ใช้” แถวที่ 7 คอลัมน์ “จำนวน”: ต้องเป็นตัวเลข"
    refused = sheets.refused([error])
    assert "ยังไม่ได้บันทึกข้อมูลใด ๆ" in refused.message and refused.errors == [error]


def test_template_has_headers_example_widths_and_thai_instructions() -> None:
    spec = SheetSpec(SPEC.title, SPEC.english, SPEC.columns, [["ก", "1", ""]])
    data = sheets.write_template([spec], ["วิธีกรอก", "• ข้อแรก"])
    assert read_back(data) == {
        "ข้อมูล": [["ชื่อ", "จำนวน", "หมายเหตุ"], ["ก", "1", None]],
        "คำอธิบาย": [["วิธีกรอก"], ["• ข้อแรก"]],
    }
    sheet = openpyxl.load_workbook(io.BytesIO(data))["ข้อมูล"]
    assert sheet.column_dimensions["A"].width == 20
    assert sheet["A1"].font.bold
    # The template reads back as one data row.
    assert [row.values for row in read(data)] == [{"name": "ก", "count": "1", "note": ""}]
