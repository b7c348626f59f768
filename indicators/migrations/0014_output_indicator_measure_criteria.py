"""Every output or outcome indicator gets the one criterion its narrative and evidence
hang on (order 1, the indicator's title as its text), with its result in each
assessment, so that evidence codes come out as {prefix} {number}-1 (n)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

VALUE_KINDS = ("output", "outcome")


def add_measure_criteria(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Indicator = apps.get_model("indicators", "Indicator")
    Criterion = apps.get_model("indicators", "Criterion")
    CriterionResult = apps.get_model("indicators", "CriterionResult")
    Assessment = apps.get_model("indicators", "Assessment")
    for indicator in Indicator.objects.filter(kind__in=VALUE_KINDS, criteria__isnull=True):
        criterion = Criterion.objects.create(indicator=indicator, order=1, text=indicator.title)
        CriterionResult.objects.bulk_create(
            CriterionResult(assessment=assessment, criterion=criterion)
            for assessment in Assessment.objects.filter(indicator=indicator)
        )


def remove_measure_criteria(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Removes the criteria this migration would have added (an output/outcome
    indicator's only criterion, its title as text) while nothing was written under them;
    one with a narrative, a mark, evidence or a comment is kept."""
    Criterion = apps.get_model("indicators", "Criterion")
    CriterionResult = apps.get_model("indicators", "CriterionResult")
    EvidenceItem = apps.get_model("evidence", "EvidenceItem")
    ReviewComment = apps.get_model("evidence", "ReviewComment")
    for criterion in Criterion.objects.filter(indicator__kind__in=VALUE_KINDS, order=1):
        indicator = criterion.indicator
        if criterion.text != indicator.title or indicator.criteria.count() != 1:
            continue
        results = CriterionResult.objects.filter(criterion=criterion)
        written = (
            results.exclude(narrative="").exists()
            or results.filter(met=True).exists()
            or results.filter(committee_met__isnull=False).exists()
            or EvidenceItem.objects.filter(result__in=results).exists()
            or ReviewComment.objects.filter(criterion_result__in=results).exists()
        )
        if not written:
            results.delete()
            criterion.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0013_output_indicator_measures"),
        ("evidence", "0005_reviewcomment_from_indicators"),
    ]

    operations = [migrations.RunPython(add_measure_criteria, remove_measure_criteria)]
