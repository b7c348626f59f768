"""generate_scale_data: a university's year at scale, reproducible from its seed, with
narratives that cite only the items that exist and evidence files that are real PDFs."""

import io
import re
from typing import Any

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from pytest_django.fixtures import Settings as SettingsWrapper

from evidence.models import Document, EvidenceItem
from indicators.codes import code_pattern
from indicators.demo.scale import generate_scale_data
from indicators.models import Assessment, AssessmentTransition, CriterionResult, Unit

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    pass


def snapshot(*, seed: int) -> list[Any]:
    """What a run writes (not file names or times), then undone."""
    try:
        with transaction.atomic():
            generate_scale_data(units=3, indicators=2, evidence=3, seed=seed)
            rows: list[Any] = list(
                Assessment.objects.filter(indicator__cycle__year_be=2567)
                .order_by("unit__name", "indicator__number")
                .values_list("unit__name", "indicator__number", "status", "committee_score")
            )
            rows += list(
                CriterionResult.objects.filter(assessment__indicator__cycle__year_be=2567)
                .order_by("assessment__unit__name", "assessment__indicator__number", "criterion")
                .values_list("narrative", "met")
            )
            rows += list(
                EvidenceItem.objects.filter(result__assessment__indicator__cycle__year_be=2567)
                .order_by("result__assessment__unit__name", "result", "position")
                .values_list("caption", "url", "document__sha256")
            )
            raise RolledBack
    except RolledBack:
        return rows


def test_the_same_seed_gives_the_same_year() -> None:
    first = snapshot(seed=1)
    assert first == snapshot(seed=1)
    assert first != snapshot(seed=2)


def test_a_small_year_has_what_it_says() -> None:
    report = generate_scale_data(units=3, indicators=2, evidence=3, seed=1)
    assert report.counts["units"] == 3 and report.counts["assessments"] == 6
    assert report.counts["results"] == 6 * 5 and report.counts["items"] == 6 * 5 * 3
    assessments = Assessment.objects.filter(indicator__cycle=report.cycle)
    assert assessments.count() == 6
    # Every unit has a head and two staff, and records the narratives speak of.
    for unit in Unit.objects.filter(assessments__in=assessments).distinct():
        assert unit.memberships.count() == 3
        assert unit.people.count() == 15 and unit.meetings.count() == 3
    # The narratives are the seed's length and cite only codes that exist here.
    for result in CriterionResult.objects.filter(assessment__in=assessments).select_related(
        "assessment__unit", "assessment__indicator", "criterion"
    ):
        assert 200 < len(result.narrative) < 3_000
        prefix = result.assessment.unit.evidence_prefix
        stem = f"{prefix} {result.assessment.indicator.number}-"
        for code in code_pattern(prefix).findall(result.narrative):
            number = int(re.search(r"\((\d+)\)", code).group(1))  # type: ignore[union-attr]
            assert code.startswith(stem) and 1 <= number <= 3, code
    # Returned and approved assessments have the transitions that say so.
    returned = assessments.filter(status="returned")
    assert all(
        AssessmentTransition.objects.filter(assessment=a, to_status="returned").exclude(reason="")
        for a in returned
    )
    # The files are real PDFs, named by their item's code.
    document = Document.objects.filter(unit__assessments__in=assessments).first()
    assert document is not None
    with document.file.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == 1 and reader.metadata is not None
    item = EvidenceItem.objects.with_code_parts().get(document=document)
    assert reader.metadata.title == item.code
    assert document.original_name == f"{item.code.replace(' ', '-')}.pdf"


def test_the_command_refuses_twice_and_in_production(settings: SettingsWrapper) -> None:
    call_command("generate_scale_data", "--units", "2", "--indicators", "1", "--evidence", "2")
    with pytest.raises(CommandError, match="already has assessments"):
        call_command("generate_scale_data", "--units", "2", "--indicators", "1")
    with pytest.raises(CommandError, match="ต้องมากกว่า 0"):
        call_command("generate_scale_data", "--units", "0", "--year", "2570")
    settings.KMT_PRODUCTION = True
    with pytest.raises(CommandError, match="เซิร์ฟเวอร์จริง"):
        call_command("generate_scale_data", "--year", "2571")
