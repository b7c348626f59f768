"""Access to a unit's evidence and records: the one place evidence views ask.

Everything here defers to indicators.access, so the rules (members edit, QA
officers read all, outsiders get 404) are written once.
"""

from typing import TypeVar

from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from indicators.access import get_assessment_for_user, get_unit_for_user, unit_role
from indicators.models import Unit

from .models import EvidenceItem, ReviewComment

M = TypeVar("M", bound=models.Model)


def get_unit_record_for_user(
    request: HttpRequest, model: type[M], pk: int, *, write: bool = False
) -> M:
    """A Document, Meeting, Person, Activity… of a unit the user may see (or edit)."""
    record = get_object_or_404(model.objects.select_related("unit"), pk=pk)
    get_unit_for_user(request, record.unit_id, write=write)  # type: ignore[attr-defined]
    return record


def can_edit_unit_records(request: HttpRequest, unit: Unit) -> bool:
    """Whether get_unit_for_user(..., write=True) would let the user edit the unit's records.

    Pages shown read-only to QA officers use it to hide their buttons and lock
    their fields; the write itself still goes through the helpers above.
    """
    return unit_role(request.user, unit) is not None


def get_evidence_item_for_user(
    request: HttpRequest, pk: int, *, write: bool = False
) -> EvidenceItem:
    """An evidence item whose assessment the user may see (or edit now)."""
    item = get_object_or_404(EvidenceItem.objects.with_code_parts(), pk=pk)
    assessment = get_assessment_for_user(request, item.result.assessment_id, write=write)
    item.result.assessment = assessment
    return item


def get_review_comment_for_user(request: HttpRequest, pk: int) -> ReviewComment:
    """A review comment on an assessment the user may see."""
    comment = get_object_or_404(ReviewComment, pk=pk)
    comment.assessment = get_assessment_for_user(request, comment.assessment_id)
    return comment
