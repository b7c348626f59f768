"""The data migration that gives existing output/outcome indicators their measure
criterion (indicators 0011), forwards and backwards, on the real migration graph."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("indicators", "0013_output_indicator_measures")]
AFTER = [("indicators", "0014_output_indicator_measure_criteria")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_existing_output_indicators_get_their_criterion_and_lose_it_again() -> None:
    try:
        apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        Cycle = apps.get_model("indicators", "Cycle")
        Unit = apps.get_model("indicators", "Unit")
        Indicator = apps.get_model("indicators", "Indicator")
        Assessment = apps.get_model("indicators", "Assessment")
        cycle = Cycle.objects.create(
            kind="fiscal", year_be=2563, start_date="2019-10-01", end_date="2020-09-30"
        )
        unit = Unit.objects.create(name="สำนักพิมพ์", evidence_prefix="สพ")
        output = Indicator.objects.create(
            cycle=cycle, number="5", sort_key="000005", title="ร้อยละของบัณฑิตที่ได้งานทำ",
            kind="output", full_score_value=80, result_unit="ร้อยละ",
        )  # fmt: skip
        process = Indicator.objects.create(
            cycle=cycle, number="3", sort_key="000003", title="กระบวนการ", kind="process"
        )
        Assessment.objects.create(unit=unit, indicator=output)

        apps = _migrate(AFTER).loader.project_state(AFTER).apps
        Criterion = apps.get_model("indicators", "Criterion")
        CriterionResult = apps.get_model("indicators", "CriterionResult")
        (criterion,) = Criterion.objects.filter(indicator_id=output.pk)
        assert (criterion.order, criterion.text) == (1, "ร้อยละของบัณฑิตที่ได้งานทำ")
        assert CriterionResult.objects.filter(criterion=criterion).count() == 1
        assert not Criterion.objects.filter(indicator_id=process.pk).exists()

        apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        assert not apps.get_model("indicators", "Criterion").objects.exists()
        assert not apps.get_model("indicators", "CriterionResult").objects.exists()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
