"""The indicator-set workbook: its one sheet's columns, the kinds of indicator as they
may be written in it, and the template to download."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import Indicator
from indicators.sheets import Column, SheetSpec, in_thai, write_template

SHEET = SheetSpec(
    title=gettext_lazy("ตัวบ่งชี้และเกณฑ์"),
    english="Indicators",
    columns=[
        Column("number", gettext_lazy("ตัวบ่งชี้ที่"), "Indicator number", width=12),
        Column("title", gettext_lazy("ชื่อตัวบ่งชี้"), "Indicator title", width=40),
        Column("kind", gettext_lazy("ชนิดของตัวบ่งชี้"), "Kind", width=16),
        Column("score_table", gettext_lazy("ตารางคะแนน"), "Score table", required=False, width=24),
        Column(
            "full_score",
            gettext_lazy("ค่าที่ได้คะแนนเต็ม"),
            "Full-score value",
            required=False,
            width=18,
        ),
        Column("unit", gettext_lazy("หน่วย"), "Unit", required=False, width=12),
        Column("numerator_label", gettext_lazy("ชื่อตัวตั้ง"), "Numerator", required=False, width=24),
        Column(
            "denominator_label",
            gettext_lazy("ชื่อตัวหาร"),
            "Denominator",
            required=False,
            width=24,
        ),
        Column("order", gettext_lazy("เกณฑ์ข้อที่"), "Criterion number", width=12),
        Column("text", gettext_lazy("เกณฑ์มาตรฐาน"), "Criterion", width=70),
    ],
)
INDICATOR_COLUMNS = (
    "title",
    "kind",
    "score_table",
    "full_score",
    "unit",
    "numerator_label",
    "denominator_label",
)
# Where each model field's error is shown: the column it came from.
FIELD_COLUMNS = {
    "number": "number",
    "title": "title",
    "kind": "kind",
    "score_table": "score_table",
    "full_score_value": "full_score",
    "result_unit": "unit",
    "numerator_label": "numerator_label",
    "denominator_label": "denominator_label",
}


def kinds_as_written() -> dict[str, str]:
    """Every way a kind may be written: its code, its Thai label, its label in the page's
    language."""
    names = {value: value for value in Indicator.Kind.values}
    for value, label in Indicator.Kind.choices:
        names[str(label).casefold()] = names[in_thai(label).casefold()] = value
    return names


def indicator_set_template() -> bytes:
    """The template workbook: Thai headers and example rows, and how to fill them in."""
    # Sample data, Thai as the sheet's format is (see sheets.Column.header).
    examples = [
        ["1", "การพัฒนาหน่วยงานสู่องค์การการเรียนรู้", "กระบวนการ",
         "1=3, 2=5", "", "", "", "", "1", "มีการกำหนดประเด็นความรู้"],
        ["1", "", "", "", "", "", "", "", "2", "มีการแลกเปลี่ยนเรียนรู้"],
        ["2", "ร้อยละของบุคลากรที่ได้รับการพัฒนา", "ผลผลิต", "", "80", "ร้อยละ",
         "จำนวนบุคลากรที่ได้รับการพัฒนา", "จำนวนบุคลากรทั้งหมด", "", ""],
    ]  # fmt: skip
    spec = SheetSpec(SHEET.title, SHEET.english, SHEET.columns, examples)
    instructions = [
        _("วิธีกรอกแผ่นงาน “ตัวบ่งชี้และเกณฑ์”"),
        _("• แถวแรกเป็นหัวคอลัมน์ ห้ามแก้ชื่อ หนึ่งแถวต่อเกณฑ์หนึ่งข้อ เริ่มกรอกตั้งแต่แถวที่ 2 (ลบแถวตัวอย่างออกก่อน)"),
        _("• ตัวบ่งชี้ที่: เลขของตัวบ่งชี้ เช่น 3 หรือ 1.1 ใส่ทุกแถวของเกณฑ์ของตัวบ่งชี้นั้น"),
        _("• ชื่อตัวบ่งชี้ ชนิด ตารางคะแนน ค่าที่ได้คะแนนเต็ม และหน่วย: ใส่ในแถวแรกของตัวบ่งชี้ "
          "แถวต่อไปเว้นว่างได้ (ถ้าใส่ต้องเหมือนกัน)"),
        _("• ชนิดของตัวบ่งชี้: กระบวนการ ผลผลิต ผลลัพธ์ หรือปัจจัยนำเข้า"),
        _("• ตารางคะแนน (ตัวบ่งชี้กระบวนการ): จำนวนข้อที่ผ่าน=คะแนน คั่นด้วยจุลภาค "
          "เช่น 1=1, 2=2, 3=3, 5=4, 7=5 ถ้าเว้นว่าง ตัวบ่งชี้ที่มีอยู่แล้วใช้ตารางเดิม "
          "ตัวบ่งชี้ใหม่ใช้ตารางตามจำนวนเกณฑ์ (5 ข้อ: ข้อละ 1 คะแนน)"),
        _("• ค่าที่ได้คะแนนเต็ม (ตัวบ่งชี้ผลผลิต/ผลลัพธ์): ค่าที่ได้ 5 คะแนน เช่น 80 และหน่วย "
          "เช่น ร้อยละ ตัวบ่งชี้เหล่านี้ไม่ต้องมีเกณฑ์ก็ได้ (เว้นเกณฑ์ข้อที่และเกณฑ์มาตรฐานว่าง)"),
        _("• ชื่อตัวตั้งและชื่อตัวหาร (ตัวบ่งชี้ผลผลิต/ผลลัพธ์ที่คำนวณจากข้อมูล ไม่บังคับ): "
          "เช่น จำนวนบัณฑิตที่ได้งานทำ และ จำนวนบัณฑิตทั้งหมด ใส่ทั้งสองช่องหรือเว้นว่างทั้งสองช่อง"),
        _("• เกณฑ์ข้อที่: 1, 2, 3, ... ไม่ซ้ำกันในตัวบ่งชี้เดียวกัน"),
        _("• นำเข้าซ้ำได้: ตัวบ่งชี้และเกณฑ์ที่มีอยู่แล้วจะถูกปรับตามแผ่นงาน "
          "ที่ไม่อยู่ในแผ่นงานจะคงไว้ตามเดิม ถ้ามีแถวใดผิด จะไม่บันทึกอะไรเลย"),
    ]  # fmt: skip
    return write_template([spec], instructions)
