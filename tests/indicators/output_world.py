"""An output indicator as a SAR has it, for the tests of output/outcome indicators:
indicator 5 of fiscal 2563 ("ร้อยละของบัณฑิตที่ได้งานทำ"), scored 5 at 80 per cent, its value
computed from a numerator and a denominator, assigned to the unit so that it has its
measure criterion and result."""

from decimal import Decimal

from evidence.models import EvidenceItem
from indicators.models import Assessment, Indicator, Unit
from indicators.services.assignments import assignments_add
from indicators.services.indicators import indicator_measure_criterion_ensure
from tests.factories import CycleFactory, IndicatorFactory

TITLE = "ร้อยละของบัณฑิตที่ได้งานทำ"
NUMERATOR = "จำนวนบัณฑิตที่ได้งานทำ"
DENOMINATOR = "จำนวนบัณฑิตทั้งหมด"


def output_indicator(**values: object) -> Indicator:
    fields: dict[str, object] = {
        "cycle": CycleFactory(),
        "number": "5",
        "title": TITLE,
        "kind": Indicator.Kind.OUTPUT,
        "score_table": [],
        "full_score_value": Decimal(80),
        "result_unit": "ร้อยละ",
        "numerator_label": NUMERATOR,
        "denominator_label": DENOMINATOR,
    }
    fields.update(values)
    indicator = IndicatorFactory(**fields)
    indicator_measure_criterion_ensure(indicator=indicator)
    return indicator


def output_assessment(unit: Unit, **values: object) -> Assessment:
    indicator = output_indicator(**values)
    assignments_add(cycle=indicator.cycle, units=[unit], indicators=[indicator], by=None)
    return Assessment.objects.get(unit=unit, indicator=indicator)


def with_data(assessment: Assessment) -> Assessment:
    """85 of 100 graduates employed, a narrative and two evidence items."""
    assessment.numerator, assessment.denominator = Decimal(85), Decimal(100)
    assessment.result_value, assessment.target = Decimal(85), Decimal(80)
    assessment.save()
    result = assessment.results.get()
    result.narrative = "สำรวจภาวะการมีงานทำของบัณฑิต ตามเอกสาร สพ 5-1 (1)"
    result.save()
    EvidenceItem.objects.create(result=result, position=1, caption="รายงานผลการสำรวจภาวะการมีงานทำ")
    EvidenceItem.objects.create(result=result, position=2, caption="แบบสำรวจบัณฑิต")
    return assessment
