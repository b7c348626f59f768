"""Importing an indicator-set sheet into a cycle: the preview, and the writes in one
transaction."""

from django.db import transaction

from indicators.models import Criterion, CriterionResult, Cycle, Indicator
from indicators.services.indicator_sets.plan import (
    IndicatorSetPlan,
    plan_indicator_set,
    read_indicator_set,
)
from indicators.services.indicators import indicator_measure_criterion_ensure


def indicator_set_preview(*, cycle: Cycle, data: bytes) -> IndicatorSetPlan:
    """What importing the sheet into ``cycle`` would create and change; writes nothing.
    Raises SheetError (with every refused row) for a sheet that cannot be imported."""
    return plan_indicator_set(cycle, read_indicator_set(data))


def indicator_set_import(*, cycle: Cycle, data: bytes) -> IndicatorSetPlan:
    """Imports the sheet into ``cycle`` in one transaction: indicators and criteria created
    or updated to match; a new criterion of an indicator already assessed gets its result
    in every assessment. Raises SheetError and writes nothing if any row is refused."""
    parsed = read_indicator_set(data)
    with transaction.atomic():
        plan = plan_indicator_set(cycle, parsed)
        for planned in plan.indicators:
            indicator = planned.existing
            if indicator is None:
                indicator = Indicator.objects.create(
                    cycle=cycle, number=planned.number, **planned.values
                )
            elif planned.changed:
                for name, value in planned.values.items():
                    setattr(indicator, name, value)
                indicator.save()
            if planned.criteria_updated:
                for criterion in indicator.criteria.filter(order__in=planned.criteria_updated):
                    criterion.text = planned.criteria[criterion.order]
                    criterion.save(update_fields=["text"])
            assessments = list(indicator.assessments.all()) if planned.existing else []
            for order in planned.criteria_created:
                criterion = Criterion.objects.create(
                    indicator=indicator, order=order, text=planned.criteria[order]
                )
                for assessment in assessments:
                    CriterionResult.objects.create(assessment=assessment, criterion=criterion)
            # An output/outcome indicator given without criterion rows gets its one.
            indicator_measure_criterion_ensure(indicator=indicator)
    return plan
