"""What the review side of the indicator and review pages shows: each criterion's
comments and citation flags, and the committee's count of criteria met."""

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch

from evidence.models import EvidenceItem, ReviewComment

from .citations import check_assessment
from .models import Assessment


def attach_review(assessment: Assessment, results: list[Any]) -> dict[str, Any]:
    """Attaches to each loaded result (criterion and evidence items with documents
    prefetched) its comments and citation flags, and to each item its own: two
    queries more, whatever the number of criteria."""
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
    for result in results:
        result.assessment = assessment
        result.review_comments = by_result.get(result.pk, [])
        result.flags = report.for_result(result.pk)
        result.item_comments = []
        result.item_flags = []
        for item in result.evidence_items.all():
            item.result = result
            item.review_comments = by_item.get(item.pk, [])
            item.flags = report.for_item(item.pk)
            result.item_comments.extend(item.review_comments)
            result.item_flags.extend(item.flags)
    committee_met = sum(1 for result in results if result.committee_met)
    judged = any(result.committee_met is not None for result in results)
    return {
        "general_comments": by_result.get(None, []),
        "citations": report,
        "open_comment_count": sum(1 for comment in comments if comment.is_open),
        "committee_met_count": committee_met,
        "suggested_score": assessment.indicator.score(met=committee_met) if judged else None,
    }


def review_data(assessment: Assessment) -> dict[str, Any]:
    """Criterion results with their evidence, comments and citation flags attached."""
    results = list(
        assessment.results.select_related("criterion", "carried_from").prefetch_related(
            Prefetch("evidence_items", EvidenceItem.objects.select_related("document"))
        )
    )
    return {"results": results, **attach_review(assessment, results)}
