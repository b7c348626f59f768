"""The review services: comments, replies, resolving, and the review of each evidence item."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evidence.models import EvidenceItem
from indicators.models import Assessment
from indicators.services.review import (
    evidence_item_review,
    review_comment_add,
    review_comment_reply,
    review_comment_resolve,
)
from tests.factories import set_status

Status = Assessment.Status


def _first_item(assessment: Assessment) -> EvidenceItem:
    return EvidenceItem.objects.with_code_parts().filter(result__assessment=assessment).first()


def test_comment_reply_resolve_round(assessment, staff, qa_officer) -> None:
    set_status(assessment, Status.SUBMITTED)
    result = assessment.results.first()
    comment = review_comment_add(
        assessment=assessment, by=qa_officer, body="ระบุวันที่ประชุมให้ชัด", criterion_result=result
    )
    assert comment.is_open and comment.author == qa_officer
    with pytest.raises(ValidationError):  # the SAR is locked while submitted
        review_comment_reply(comment=comment, by=staff, reply="แก้แล้ว", version=None)
    set_status(assessment, Status.RETURNED)
    comment.assessment.refresh_from_db()
    review_comment_reply(comment=comment, by=staff, reply="แก้ไขแล้ว", version=None)
    comment.refresh_from_db()
    assert (comment.reply, comment.replied_by) == ("แก้ไขแล้ว", staff)
    assert comment.replied_at is not None
    with pytest.raises(PermissionDenied):
        review_comment_resolve(comment=comment, by=staff)
    review_comment_resolve(comment=comment, by=qa_officer)
    comment.refresh_from_db()
    assert not comment.is_open and comment.resolved_by == qa_officer
    with pytest.raises(ValidationError):
        review_comment_resolve(comment=comment, by=qa_officer)


def test_comments_refused_for_the_wrong_people(assessment, staff, outsider, qa_officer) -> None:
    set_status(assessment, Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        review_comment_add(assessment=assessment, by=staff, body="x")
    with pytest.raises(ValidationError):
        review_comment_add(assessment=assessment, by=qa_officer, body="  ")
    comment = review_comment_add(assessment=assessment, by=qa_officer, body="ข้อสังเกต")
    set_status(assessment, Status.RETURNED)
    comment.assessment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        review_comment_reply(comment=comment, by=outsider, reply="x", version=None)


def test_evidence_item_review(assessment, qa_officer, staff) -> None:
    item = _first_item(assessment)
    with pytest.raises(ValidationError):  # not submitted yet
        evidence_item_review(item=item, by=qa_officer, status=EvidenceItem.Review.ACCEPTED)
    set_status(assessment, Status.SUBMITTED)
    item = _first_item(assessment)
    with pytest.raises(PermissionDenied):
        evidence_item_review(item=item, by=staff, status=EvidenceItem.Review.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        evidence_item_review(item=item, by=qa_officer, status=EvidenceItem.Review.NEEDS_FIX)
    assert "comment" in error.value.message_dict
    evidence_item_review(
        item=item, by=qa_officer, status=EvidenceItem.Review.NEEDS_FIX, comment="ไฟล์ไม่ชัด"
    )
    item.refresh_from_db()
    assert item.review_status == EvidenceItem.Review.NEEDS_FIX
    assert list(item.comments.values_list("body", "criterion_result")) == [
        ("ไฟล์ไม่ชัด", item.result_id)
    ]
    assert item.history.first().history_user == qa_officer
