"""What the review side of the indicator and review pages shows: each criterion's
comments and citation flags, and the committee's count of criteria met.

A small read model for the templates to iterate (CriterionReview, ItemReview), so
that nothing is set on the model instances themselves."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from evidence.models import EvidenceItem, ReviewComment

from .citations import Flag, check_assessment
from .models import Assessment, CriterionResult


@dataclass(frozen=True)
class ItemReview:
    """One evidence item with the reviewer's comments on it and its citation flags."""

    item: EvidenceItem
    comments: list[ReviewComment]
    flags: list[Flag]

    @property
    def status_label(self) -> str:
        """item.get_review_status_display(), without rebuilding the choices each time
        (a long page asks once per item)."""
        status = self.item.review_status
        try:
            return str(EvidenceItem.Review(status).label)
        except ValueError:
            return status


@dataclass(frozen=True)
class CriterionReview:
    """One criterion result with the comments and citation flags on it, and its items'."""

    result: CriterionResult
    comments: list[ReviewComment]
    flags: list[Flag]
    items: list[ItemReview]

    @property
    def item_comments(self) -> list[ReviewComment]:
        return [comment for item in self.items for comment in item.comments]

    @property
    def item_flags(self) -> list[Flag]:
        return [flag for item in self.items for flag in item.flags]


def review_context(assessment: Assessment, results: list[CriterionResult]) -> dict[str, Any]:
    """The review side of the loaded results (criterion and evidence items with documents
    prefetched): ``criteria``, one CriterionReview each, the general comments and the
    committee's count; two queries more, whatever the number of criteria."""
    comments = list(
        assessment.comments.select_related("author", "replied_by", "resolved_by").order_by(
            "created_at", "pk"
        )
    )
    report = check_assessment(assessment, results)
    by_result: dict[int | None, list[ReviewComment]] = defaultdict(list)
    by_item: dict[int, list[ReviewComment]] = defaultdict(list)
    for comment in comments:
        comment.assessment = assessment
        if comment.evidence_item_id:
            by_item[comment.evidence_item_id].append(comment)
        else:
            by_result[comment.criterion_result_id].append(comment)
    criteria = []
    for result in results:
        result.assessment = assessment
        items = []
        for item in result.evidence_items.all():
            item.result = result
            items.append(ItemReview(item, by_item.get(item.pk, []), report.for_item(item.pk)))
        flags = report.for_result(result.pk)
        criteria.append(CriterionReview(result, by_result.get(result.pk, []), flags, items))
    committee_met = sum(1 for result in results if result.committee_met)
    judged = any(result.committee_met is not None for result in results)
    return {
        "criteria": criteria,
        "general_comments": by_result.get(None, []),
        "citations": report,
        "open_comment_count": sum(1 for comment in comments if comment.is_open),
        "committee_met_count": committee_met,
        "suggested_score": assessment.indicator.score(met=committee_met) if judged else None,
    }


def review_data(assessment: Assessment) -> dict[str, Any]:
    """The assessment's criteria with their evidence, comments and citation flags.

    The results are prefetched onto the assessment (afresh, as a write may have come
    before), so that its scores (``met_count``) count them without asking again. Within
    one assessment, criterion order and item position are the models' whole orderings:
    ordering by them alone spares the database the joins to unit, indicator and cycle."""
    items = EvidenceItem.objects.select_related("document").order_by("position")
    results = (
        CriterionResult.objects.select_related("criterion", "carried_from")
        .prefetch_related(Prefetch("evidence_items", queryset=items))
        .order_by("criterion__order")
    )
    if hasattr(assessment, "_prefetched_objects_cache"):
        assessment._prefetched_objects_cache.pop("results", None)
    prefetch_related_objects([assessment], Prefetch("results", queryset=results))
    return review_context(assessment, list(assessment.results.all()))
