"""Evidence helpers: what a private file storage holds, and helpers that watch what a
write changed when the assessment is submitted under it."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evidence.models import EvidenceItem
from indicators.models import Assessment


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def submit(assessment_id: int) -> None:
    """Another user submits the assessment (the objects already loaded keep 'draft')."""
    Assessment.objects.filter(pk=assessment_id).update(status=Assessment.Status.SUBMITTED)


def snapshot(assessment: Assessment) -> list[tuple[Any, ...]]:
    return list(
        EvidenceItem.objects.filter(result__assessment=assessment)
        .order_by("pk")
        .values_list("pk", "position", "caption", "document_id", "url", "meeting_id", "activity_id")
    )


def submitted_after_load(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """The view loads its object while the assessment is a draft; then it is submitted."""
    original: Callable[..., Any] = getattr(module, name)

    def load_then_submit(*args: Any, **kwargs: Any) -> Any:
        loaded = original(*args, **kwargs)
        found = loaded[0]  # (the object, what the user may do)
        result = getattr(found, "result", found)
        submit(result.assessment_id)
        return loaded

    monkeypatch.setattr(module, name, load_then_submit)
