"""Access to a unit's evidence and records: the one place evidence views ask.

Everything here defers to indicators.access, so the rules (members edit, QA officers
read all, outsiders get 404) and their Thai reasons are written once. Each helper
returns the object with what the user may do (healthchecks' ``_get_check_for_user``
returns the check and whether the user may write).
"""

from typing import TypeVar

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from indicators.access import (
    AssessmentAccess,
    Capability,
    UnitAccess,
    get_assessment_for_user,
    unit_access,
)

from .models import (
    Activity,
    Document,
    EvidenceItem,
    KnowledgeTopic,
    Meeting,
    Person,
    ReviewComment,
    TargetGroup,
)

# The models a unit owns directly, each with its ``unit``: its documents and records.
M = TypeVar("M", Document, Meeting, Person, TargetGroup, KnowledgeTopic, Activity)


def get_unit_record_for_user(
    request: HttpRequest, model: type[M], pk: int, *, need: Capability | None = None
) -> tuple[M, UnitAccess]:
    """A Document, Meeting, Person, Activity… of a unit the user may see, with what they
    may do with the unit's records; with ``need``, as get_unit_for_user asks."""
    record = get_object_or_404(model._default_manager.select_related("unit"), pk=pk)
    return record, unit_access(request.user, record.unit).require(need)


def get_evidence_item_for_user(
    request: HttpRequest, pk: int, *, need: Capability | None = None
) -> tuple[EvidenceItem, AssessmentAccess]:
    """An evidence item and what the user may do with its assessment (with ``need``, as
    get_assessment_for_user asks)."""
    item = get_object_or_404(EvidenceItem.objects.with_code_parts(), pk=pk)
    access = get_assessment_for_user(request, item.result.assessment_id, need=need)
    item.result.assessment = access.assessment
    return item, access


def get_review_comment_for_user(
    request: HttpRequest, pk: int
) -> tuple[ReviewComment, AssessmentAccess]:
    """A review comment on an assessment the user may see, and what they may do with it."""
    comment = get_object_or_404(ReviewComment, pk=pk)
    access = get_assessment_for_user(request, comment.assessment_id)
    comment.assessment = access.assessment
    return comment, access
