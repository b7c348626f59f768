"""Forms of the QA administrator's setup pages: a cycle, the indicator set copied from
another cycle, an indicator with its scoring rule, a criterion. They validate and
normalise; the services in indicators.services.cycles and .indicators act."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from indicators import limits
from indicators.formfields import ThaiDateField
from indicators.limits import text_form_field
from indicators.models import Cycle, Indicator
from indicators.thaidates import be_year

DUPLICATE = _("มี%(model_name)sที่ %(field_labels)s ซ้ำกันอยู่แล้ว")
# A score-table row: the criteria met, then the score, separated by spaces, a comma, a
# colon, '=' or an arrow (what people type when told "5 ข้อ ได้ 4 คะแนน").
SCORE_ROW = re.compile(r"^(\d+)\s*(?:[\s,:=]|->|→)\s*(\d+(?:\.\d+)?)$")
MAX_CRITERIA_MET = 999
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class CycleForm(forms.ModelForm):
    """A cycle with Buddhist-era dates; a fiscal cycle's dates default to its fiscal year
    (1 October to 30 September)."""

    start_date = ThaiDateField(
        label=_("วันเริ่มต้น"),
        required=False,
        help_text=_("ปีงบประมาณ: เว้นว่างไว้เพื่อใช้ 1 ตุลาคม ถึง 30 กันยายน"),
    )
    end_date = ThaiDateField(label=_("วันสิ้นสุด"), required=False)
    submission_deadline = ThaiDateField(
        label=_("กำหนดส่งผลการประเมิน"),
        required=False,
        help_text=_("วันสุดท้ายที่หน่วยงานส่งผลการประเมินตนเองให้ตรวจ"),
    )
    review_deadline = ThaiDateField(
        label=_("กำหนดตรวจเสร็จ"),
        required=False,
        help_text=_("วันสุดท้ายที่เจ้าหน้าที่ประกันคุณภาพตรวจผลที่ส่งมาเสร็จ"),
    )

    class Meta:
        model = Cycle
        fields = [
            "kind",
            "year_be",
            "start_date",
            "end_date",
            "submission_deadline",
            "review_deadline",
        ]
        error_messages = {NON_FIELD_ERRORS: {"unique_together": DUPLICATE}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and self.initial.get("year_be") is None:
            # A new cycle is most often the year after the latest fiscal one.
            latest = Cycle.objects.filter(kind=Cycle.Kind.FISCAL).order_by("-year_be").first()
            if latest is not None and latest.year_be < 2700:
                self.initial["year_be"] = latest.year_be + 1

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        kind, year = cleaned.get("kind"), cleaned.get("year_be")
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if kind == Cycle.Kind.FISCAL and year and 2500 <= year <= 2700:
            default_start, default_end = Cycle.fiscal_dates(year)
            if start is None and "start_date" not in self.errors:
                cleaned["start_date"] = start = default_start
            if end is None and "end_date" not in self.errors:
                cleaned["end_date"] = end = default_end
        for name, value in (("start_date", start), ("end_date", end)):
            if value is None and name not in self.errors:
                self.add_error(name, _("กรุณาระบุวันที่ เช่น 01/06/2566"))
        if start is not None and year and be_year(start) not in (year - 1, year):
            # A period of another year is almost always a typing slip (2565 for 2566).
            self.add_error(
                "start_date",
                _("วันเริ่มต้นต้องอยู่ในปี พ.ศ. %(before)s หรือ %(year)s ของรอบปีนี้")
                % {"before": year - 1, "year": year},
            )
        return cleaned


class IndicatorSetCopyForm(forms.Form):
    """The earlier cycle whose indicator set is copied into this one."""

    source = forms.ModelChoiceField(
        label=_("คัดลอกชุดตัวบ่งชี้จากรอบปี"),
        queryset=Cycle.objects.none(),
        error_messages={
            "required": _("กรุณาเลือกรอบปีต้นทาง"),
            "invalid_choice": _("เลือกได้เฉพาะรอบปีอื่นที่มีอยู่ในระบบ"),
            "invalid_pk_value": _("เลือกได้เฉพาะรอบปีอื่นที่มีอยู่ในระบบ"),
        },
    )

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Cycle.objects.exclude(pk=cycle.pk).order_by("-start_date")


def score_table_text(table: object) -> str:
    """A score table as the form shows it: one 'criteria-met score' row per line."""
    if not isinstance(table, list):
        return ""
    lines = []
    for row in table:
        if isinstance(row, list | tuple) and len(row) == 2:
            lines.append(f"{row[0]} {row[1]}")
    return "\n".join(lines)


def _score_number(text: str) -> int | float:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


class IndicatorForm(forms.ModelForm):
    """An indicator with its scoring rule: a process indicator's score table as lines
    of 'criteria met, score'; an output or outcome indicator's full-score value and unit."""

    score_table = forms.CharField(
        label=_("ตารางคะแนน (ตัวบ่งชี้กระบวนการ)"),
        required=False,
        max_length=2000,
        error_messages=limits.TOO_LONG_ERRORS,
        widget=forms.Textarea(attrs={"rows": 5, "class": "font-monospace"}),
        help_text=_(
            "บรรทัดละหนึ่งระดับ: จำนวนข้อที่ผ่านขั้นต่ำ เว้นวรรค แล้วคะแนน เช่น 5 4 หมายถึงผ่าน 5 ข้อขึ้นไปได้ 4 คะแนน"
        ),
    )

    submission_deadline = ThaiDateField(
        label=_("กำหนดส่งของตัวบ่งชี้นี้"),
        required=False,
        help_text=_("เว้นว่างไว้เพื่อใช้กำหนดส่งของรอบปี"),
    )
    review_deadline = ThaiDateField(
        label=_("กำหนดตรวจเสร็จของตัวบ่งชี้นี้"),
        required=False,
        help_text=_("เว้นว่างไว้เพื่อใช้กำหนดตรวจของรอบปี"),
    )

    class Meta:
        model = Indicator
        fields = [
            "number",
            "title",
            "kind",
            "score_table",
            "full_score_value",
            "result_unit",
            "numerator_label",
            "denominator_label",
            "submission_deadline",
            "review_deadline",
        ]
        error_messages = {NON_FIELD_ERRORS: {"unique_together": DUPLICATE}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["score_table"] = score_table_text(self.instance.score_table)
        elif "score_table" not in self.initial:
            self.initial["score_table"] = "1 1\n2 2\n3 3\n4 4\n5 5"

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].translate(THAI_DIGITS).split())

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_result_unit(self) -> str:
        return " ".join(self.cleaned_data["result_unit"].split())

    def clean_numerator_label(self) -> str:
        return " ".join(self.cleaned_data["numerator_label"].split())

    def clean_denominator_label(self) -> str:
        return " ".join(self.cleaned_data["denominator_label"].split())

    def clean_score_table(self) -> list[list[int | float]]:
        text = self.cleaned_data["score_table"].translate(THAI_DIGITS)
        if self.cleaned_data.get("kind") not in (Indicator.Kind.PROCESS, Indicator.Kind.INPUT):
            return []  # scored by value: the table is not used
        rows: list[list[int | float]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            match = SCORE_ROW.match(line)
            try:
                met, score = int(match.group(1)), _score_number(match.group(2))  # type: ignore[union-attr]
            except (AttributeError, InvalidOperation, ValueError):
                raise forms.ValidationError(
                    _("บรรทัดที่ %(line)s อ่านไม่ได้: เขียนจำนวนข้อ เว้นวรรค แล้วคะแนน เช่น 5 4")
                    % {"line": number}
                ) from None
            if not 1 <= met <= MAX_CRITERIA_MET:
                raise forms.ValidationError(
                    _("บรรทัดที่ %(line)s: จำนวนข้อต้องอยู่ระหว่าง 1 ถึง %(max)s")
                    % {"line": number, "max": MAX_CRITERIA_MET}
                )
            rows.append([met, score])
        if not rows:
            raise forms.ValidationError(
                _("ตัวบ่งชี้กระบวนการต้องมีตารางคะแนน เช่น 1 1, 2 2, 3 3, 4 4, 5 5 (บรรทัดละระดับ)")
            )
        return rows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        kind = cleaned.get("kind")
        counted = kind in (Indicator.Kind.PROCESS, Indicator.Kind.INPUT)
        if kind and not counted and not cleaned.get("result_unit"):
            self.add_error("result_unit", _("ตัวบ่งชี้ผลผลิต/ผลลัพธ์ต้องระบุหน่วยของผลการดำเนินงาน เช่น ร้อยละ"))
        labels = (cleaned.get("numerator_label"), cleaned.get("denominator_label"))
        if not counted and bool(labels[0]) != bool(labels[1]):
            self.add_error("denominator_label", _("ระบุทั้งชื่อตัวตั้งและชื่อตัวหาร หรือเว้นว่างทั้งสองช่อง"))
        if counted:  # scored by criteria met: no ratio
            for name in ("numerator_label", "denominator_label"):
                if name in cleaned:
                    cleaned[name] = ""
        return cleaned


class CriterionForm(forms.Form):
    text = text_form_field(
        limits.CRITERION,
        label=_("เกณฑ์มาตรฐาน"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("กรุณาพิมพ์ข้อความของเกณฑ์")},
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip()
        if not text:
            raise forms.ValidationError(_("กรุณาพิมพ์ข้อความของเกณฑ์"))
        return text


class CriterionMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
