"""Reading an indicator-set sheet: every row checked (a refused row named with its
column), the indicators and criteria it describes, and what importing them into a cycle
would create and change. Writes nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import scoring
from indicators.models import Criterion, Cycle, Indicator
from indicators.services.indicator_sets.workbook import (
    FIELD_COLUMNS,
    INDICATOR_COLUMNS,
    SHEET,
    kinds_as_written,
)
from indicators.services.sar_import import default_score_table
from indicators.sheets import (
    RowError,
    SheetRow,
    find_sheet,
    load_workbook,
    planned_action,
    read_sheet,
    refused,
)


@dataclass
class PlannedIndicator:
    """What the sheet says of one indicator, and what importing it would do."""

    number: str
    row: int
    values: dict[str, Any]
    criteria: dict[int, str]
    existing: Indicator | None = None
    changed: list[str] = field(default_factory=list)
    criteria_created: list[int] = field(default_factory=list)
    criteria_updated: list[int] = field(default_factory=list)
    criteria_refused: bool = False
    # What the sheet leaves unsaid, kept as it is on an indicator that exists: its score
    # table when the cell is empty (if it still fits), its unit when there is no column.
    default_table: bool = False
    keep_unit: bool = False
    keep_labels: bool = False

    @property
    def action(self) -> str:
        changed = self.changed or self.criteria_created or self.criteria_updated
        return planned_action(self.existing, changed)

    @property
    def kind_label(self) -> str:
        return str(Indicator.Kind(self.values["kind"]).label)


@dataclass
class IndicatorSetPlan:
    cycle: Cycle
    indicators: list[PlannedIndicator]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "criteria_created": 0}
        counts["criteria_updated"] = 0
        for planned in self.indicators:
            counts[planned.action] += 1
            counts["criteria_created"] += len(planned.criteria_created)
            counts["criteria_updated"] += len(planned.criteria_updated)
        return counts

    @property
    def changed(self) -> bool:
        return any(planned.action != "unchanged" for planned in self.indicators)


def _score_table(text: str) -> list[list[int | float]]:
    """'1=1, 2=2, 3=3, 5=4, 7=5' → [[1, 1], [2, 2], ...]; ValueError if not that shape."""
    table: list[list[int | float]] = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        if not part.strip():
            continue
        met_text, _sep, score_text = part.replace(":", "=").partition("=")
        if not _sep:
            raise ValueError(part)
        met = int(met_text.strip())
        score = Decimal(score_text.strip())
        if not score.is_finite():
            raise ValueError(part)
        table.append([met, int(score) if score == score.to_integral_value() else float(score)])
    return table


def _decimal(text: str) -> Decimal:
    value = Decimal(text.replace(",", "").strip())
    if not value.is_finite():
        raise InvalidOperation
    return value


PROCESS_NO_FULL_SCORE = gettext_lazy("ตัวบ่งชี้กระบวนการใช้ตารางคะแนน ไม่ใช้ค่าที่ได้คะแนนเต็ม: เว้นช่องนี้ว่าง")
VALUE_NO_TABLE = gettext_lazy("ตัวบ่งชี้ผลผลิต/ผลลัพธ์ใช้ค่าที่ได้คะแนนเต็ม ไม่ใช้ตารางคะแนน: เว้นช่องนี้ว่าง")
BAD_TABLE = gettext_lazy(
    "ตารางคะแนนต้องเขียนเป็น จำนวนข้อ=คะแนน คั่นด้วยจุลภาค เช่น 1=1, 2=2, 3=3, 5=4, 7=5"
)
BAD_KIND = gettext_lazy("ชนิดของตัวบ่งชี้ต้องเป็น กระบวนการ ผลผลิต ผลลัพธ์ หรือปัจจัยนำเข้า (ได้ “%(text)s”)")


def _indicator_values(
    planned: PlannedIndicator,
    columns: dict[str, str],
    kinds: dict[str, str],
    refuse: Callable[[str, str], None],
) -> dict[str, Any] | None:
    """The indicator's fields from its columns, or None (and ``refuse`` told why)."""
    title, kind_text = columns.get("title", ""), columns.get("kind", "")
    kind = kinds.get(kind_text.casefold())
    if not title:
        refuse("title", _("ต้องระบุชื่อตัวบ่งชี้ในแถวแรกของตัวบ่งชี้ที่ %(number)s") % {"number": planned.number})
    if kind is None:
        refuse("kind", str(BAD_KIND) % {"text": kind_text})
    if kind is None or not title:
        return None
    values: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "score_table": [],
        "full_score_value": None,
        "result_unit": columns.get("unit", ""),
        "numerator_label": "",
        "denominator_label": "",
    }
    table_text, full_text = columns.get("score_table", ""), columns.get("full_score", "")
    if kind in (Indicator.Kind.PROCESS, Indicator.Kind.INPUT):
        if full_text:
            refuse("full_score", str(PROCESS_NO_FULL_SCORE))
        if not planned.criteria:
            if not planned.criteria_refused:  # else its criteria's rows say why
                refuse("order", _("ตัวบ่งชี้กระบวนการต้องมีเกณฑ์อย่างน้อยหนึ่งข้อ"))
            return None
        if not table_text:
            values["score_table"] = default_score_table(len(planned.criteria))
            planned.default_table = True
            return values
        try:
            values["score_table"] = _score_table(table_text)
        except (ValueError, ArithmeticError):
            refuse("score_table", str(BAD_TABLE))
            return None
        top = max((row[0] for row in values["score_table"]), default=0)
        if top > len(planned.criteria) and not planned.criteria_refused:
            refuse(
                "score_table",
                _("ตารางคะแนนต้องการผ่าน %(top)s ข้อ แต่ตัวบ่งชี้มีเกณฑ์ %(count)s ข้อ")
                % {"top": top, "count": len(planned.criteria)},
            )
        return values
    labels = columns.get("numerator_label", ""), columns.get("denominator_label", "")
    if bool(labels[0]) != bool(labels[1]):
        missing = "denominator_label" if labels[0] else "numerator_label"
        refuse(missing, _("ระบุทั้งชื่อตัวตั้งและชื่อตัวหาร หรือเว้นว่างทั้งสองช่อง"))
        return None
    values["numerator_label"], values["denominator_label"] = labels
    if table_text:
        refuse("score_table", str(VALUE_NO_TABLE))
    if not full_text:
        refuse("full_score", _("ตัวบ่งชี้ผลผลิต/ผลลัพธ์ต้องระบุค่าที่ได้คะแนนเต็ม เช่น 80"))
        return None
    try:
        values["full_score_value"] = _decimal(full_text)
    except (InvalidOperation, ValueError):
        refuse("full_score", _("ค่าที่ได้คะแนนเต็มต้องเป็นตัวเลข (ได้ “%(text)s”)") % {"text": full_text})
        return None
    return values


def _parse(rows: list[SheetRow]) -> tuple[list[PlannedIndicator], list[RowError]]:
    """The indicators the rows describe, in the sheet's order, and every refused row."""
    errors: list[RowError] = []
    label = {column.key: column.header for column in SHEET.columns}
    kinds = kinds_as_written()

    def refuse(row: SheetRow, key: str, message: str) -> None:
        errors.append(RowError(row.number, label[key], message))
        if key in ("order", "text") and row["number"] in found:
            found[row["number"]].criteria_refused = True

    found: dict[str, PlannedIndicator] = {}
    unit_column = any("unit" in row.values for row in rows)
    label_columns = any("numerator_label" in row.values for row in rows)
    given: dict[str, dict[str, tuple[str, int]]] = {}  # number → column → (text, row)
    criterion_rows: dict[tuple[str, int], int] = {}
    for row in rows:
        number = row["number"]
        if not number:
            refuse(row, "number", _("ต้องระบุเลขตัวบ่งชี้"))
            continue
        if len(number) > 20:
            refuse(row, "number", _("เลขตัวบ่งชี้ยาวเกิน 20 ตัวอักษร"))
            continue
        if number not in found:
            found[number] = PlannedIndicator(number, row.number, {}, {})
            given[number] = {}
        planned = found[number]
        for key in INDICATOR_COLUMNS:
            text = row[key]
            if not text:
                continue
            earlier = given[number].get(key)
            if earlier is None:
                given[number][key] = (text, row.number)
            elif earlier[0] != text:
                refuse(
                    row,
                    key,
                    _("ไม่ตรงกับที่ระบุไว้ในแถวที่ %(row)s (“%(text)s”) ของตัวบ่งชี้เดียวกัน")
                    % {"row": earlier[1], "text": earlier[0]},
                )
        order_text, text = row["order"], row["text"]
        if not order_text and not text:
            continue
        try:
            order = int(order_text)
            if order < 1 or order > 1000:
                raise ValueError(order_text)
        except ValueError:
            refuse(
                row,
                "order",
                _("เกณฑ์ข้อที่ต้องเป็นจำนวนเต็ม 1 ขึ้นไป (ได้ “%(text)s”)") % {"text": order_text},
            )
            continue
        if not text:
            refuse(row, "text", _("ต้องระบุเกณฑ์มาตรฐาน"))
            continue
        if (number, order) in criterion_rows:
            refuse(
                row,
                "order",
                _("เกณฑ์ข้อที่ %(order)s ของตัวบ่งชี้ที่ %(number)s ซ้ำกับแถวที่ %(row)s")
                % {"order": order, "number": number, "row": criterion_rows[(number, order)]},
            )
            continue
        criterion_rows[(number, order)] = row.number
        planned.criteria[order] = text
        try:
            Criterion(order=order, text=text).full_clean(
                exclude=["indicator"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                refuse(row, "text" if name == "text" else "order", " ".join(messages))

    for number, planned in found.items():
        columns = given[number]

        def refuse_at(
            key: str, message: str, columns: Any = columns, first: int = planned.row
        ) -> None:
            errors.append(
                RowError(columns[key][1] if key in columns else first, label[key], message)
            )

        values = _indicator_values(planned, {k: v[0] for k, v in columns.items()}, kinds, refuse_at)
        if values is None:
            continue
        planned.values = values
        planned.keep_unit = not unit_column
        planned.keep_labels = not label_columns
        try:
            Indicator(number=number, **values).full_clean(
                exclude=["cycle", "sort_key", "copied_from"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                refuse_at(FIELD_COLUMNS.get(name, "number"), " ".join(messages))
    errors.sort(key=lambda error: (error.row, error.column))
    return list(found.values()), errors


def _keep_unsaid(planned: PlannedIndicator, indicator: Indicator) -> None:
    if planned.keep_unit:
        planned.values["result_unit"] = indicator.result_unit
    if planned.keep_labels and not indicator.is_counted:
        planned.values["numerator_label"] = indicator.numerator_label
        planned.values["denominator_label"] = indicator.denominator_label
    table = indicator.score_table
    fits = scoring.is_valid_score_table(table) and table[-1][0] <= len(planned.criteria)
    if planned.default_table and fits:
        planned.values["score_table"] = table


def plan_indicator_set(cycle: Cycle, parsed: list[PlannedIndicator]) -> IndicatorSetPlan:
    """What importing the read indicators into ``cycle`` would create and change."""
    existing = {
        indicator.number: indicator
        for indicator in Indicator.objects.filter(cycle=cycle).prefetch_related("criteria")
    }
    labels = {
        "title": _("ชื่อ"),
        "kind": _("ชนิด"),
        "score_table": _("ตารางคะแนน"),
        "full_score_value": _("ค่าที่ได้คะแนนเต็ม"),
        "result_unit": _("หน่วย"),
        "numerator_label": _("ชื่อตัวตั้ง"),
        "denominator_label": _("ชื่อตัวหาร"),
    }
    for planned in parsed:
        indicator = existing.get(planned.number)
        planned.existing = indicator
        if indicator is not None:
            _keep_unsaid(planned, indicator)
        if indicator is None:
            planned.criteria_created = sorted(planned.criteria)
            continue
        planned.changed = [
            str(labels[name])
            for name, value in planned.values.items()
            if getattr(indicator, name) != value
        ]
        texts = {criterion.order: criterion.text for criterion in indicator.criteria.all()}
        for order, text in sorted(planned.criteria.items()):
            if order not in texts:
                planned.criteria_created.append(order)
            elif texts[order] != text:
                planned.criteria_updated.append(order)
    return IndicatorSetPlan(cycle=cycle, indicators=parsed)


def read_indicator_set(data: bytes) -> list[PlannedIndicator]:
    """The indicators the workbook describes; SheetError with every refused row."""
    book = load_workbook(data)
    try:
        sheet = find_sheet(book, SHEET, first=True)
        rows = read_sheet(sheet, SHEET)
    finally:
        book.close()
    parsed, errors = _parse(rows)
    if errors:
        raise refused(errors)
    return parsed
