"""Sections laid out again in the background as their data changes, debounced: a change
queues a render only if none is waiting, and the render reads the data as it runs."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from indicators.models import Assessment, CriterionResult, SarPart
from indicators.reports import sections

pytestmark = pytest.mark.django_db
RENDER = sections.render_sar_section


@pytest.fixture
def queued(settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The renders queued (held back, not run: the tests' task backend runs at once)."""
    settings.KMT_SAR_PARTS_IN_BACKGROUND = True
    held: list[int] = []

    class HeldTask:  # a django-tasks Task is frozen: the module's name is replaced
        func = RENDER.func

        @staticmethod
        def enqueue(*, assessment_id: int) -> None:
            held.append(assessment_id)

    monkeypatch.setattr(sections, "render_sar_section", HeldTask)
    return held


def test_changes_queue_one_render_until_it_runs(
    demo: Assessment, queued: list[int], settings: SettingsWrapper
) -> None:
    assert sections.sar_section_touch(assessment_id=demo.pk)
    assert not sections.sar_section_touch(assessment_id=demo.pk)
    assert queued == [demo.pk]
    part = SarPart.objects.get(assessment=demo)
    assert part.queued_at is not None and not part.file
    # The render runs: it reads the data now and lays the section out.
    RENDER.func(assessment_id=demo.pk)
    part.refresh_from_db()
    assert part.queued_at is None and part.file and part.pages > 0
    evidence_index = SarPart.objects.get(kind=SarPart.Kind.EVIDENCE_INDEX, unit=demo.unit)
    assert evidence_index.file and evidence_index.fingerprint
    # A change after that queues the next one.
    assert sections.sar_section_touch(assessment_id=demo.pk)
    assert queued == [demo.pk, demo.pk]
    # A render queued so long ago that its worker must have died does not hold it back.
    lost = timezone.now() - timedelta(seconds=settings.KMT_REPORT_JOB_STALE_SECONDS + 1)
    SarPart.objects.filter(pk=part.pk).update(queued_at=lost)
    assert sections.sar_section_touch(assessment_id=demo.pk)
    assert len(queued) == 3


def test_a_render_with_nothing_changed_lays_nothing_out(
    demo: Assessment, queued: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    RENDER.func(assessment_id=demo.pk)
    laid_out: list[str] = []
    monkeypatch.setattr(sections, "lay_out_part", lambda html, **kw: laid_out.append(html))
    RENDER.func(assessment_id=demo.pk)
    assert laid_out == []


def test_a_saved_narrative_queues_its_section_once_committed(
    demo: Assessment,
    queued: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    result = CriterionResult.objects.filter(assessment=demo).first()
    assert result is not None
    with django_capture_on_commit_callbacks(execute=True):
        result.narrative += " เพิ่มเติม"
        result.save()
        assert queued == []  # not before the change is committed
    assert queued == [demo.pk]


def test_off_in_settings_queues_nothing(
    demo: Assessment, queued: list[int], settings: SettingsWrapper
) -> None:
    settings.KMT_SAR_PARTS_IN_BACKGROUND = False
    assert not sections.sar_section_touch(assessment_id=demo.pk)
    assert queued == [] and not SarPart.objects.exists()
