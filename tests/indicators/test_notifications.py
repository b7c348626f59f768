"""What is waiting for whom: the pending items of each persona, and their partial."""

from indicators.notifications import pending_items_for
from indicators.services.review import (
    review_comment_add,
)
from indicators.services.workflow import (
    assessment_return,
    assessment_submit,
)


def test_pending_items(assessment, head, staff, qa_officer, outsider) -> None:
    assert len(pending_items_for(qa_officer)) == 0
    assessment_submit(assessment=assessment, by=head)
    assert pending_items_for(qa_officer).to_review == [assessment]
    assert len(pending_items_for(staff)) == 0
    comment = review_comment_add(assessment=assessment, by=qa_officer, body="ขอเอกสารเพิ่ม")
    assessment_return(assessment=assessment, by=qa_officer, reason="ดูความเห็น")
    pending = pending_items_for(staff)
    assert pending.returned == [assessment]
    assert pending.open_comments == [comment]
    assert pending_items_for(qa_officer).to_review == []
    assert len(pending_items_for(outsider)) == 0


def test_pending_partial_renders_for_each_persona(assessment, head, staff, qa_officer) -> None:
    from django.template.loader import render_to_string

    assessment_submit(assessment=assessment, by=head)
    html = render_to_string("indicators/_pending.html", {"pending": pending_items_for(qa_officer)})
    assert f"/assessments/{assessment.pk}/review/" in html and "สำนักพิมพ์" in html
    review_comment_add(assessment=assessment, by=qa_officer, body="ขอหลักฐานเพิ่ม")
    assessment_return(assessment=assessment, by=qa_officer, reason="ดูความเห็น")
    html = render_to_string("indicators/_pending.html", {"pending": pending_items_for(staff)})
    assert "ขอหลักฐานเพิ่ม" in html and "ถูกส่งกลับให้แก้ไข" in html
    html = render_to_string("indicators/_pending.html", {"pending": pending_items_for(head)})
    assert "ขอหลักฐานเพิ่ม" in html


def test_pending_comment_on_evidence_item_names_its_code_without_more_queries(
    assessment, staff, qa_officer, django_assert_num_queries
) -> None:
    from django.template.loader import render_to_string

    from tests.factories import ReviewCommentFactory

    items = [item for result in assessment.results.all() for item in result.evidence_items.all()]
    for item in items[:3]:
        ReviewCommentFactory(assessment=assessment, evidence_item=item, author=qa_officer)
    with django_assert_num_queries(4):  # perms (2), returned, comments
        pending = pending_items_for(staff)
        html = render_to_string("indicators/_pending.html", {"pending": pending})
    assert len(pending.open_comments) == 3
    for item in items[:3]:
        assert item.code in html
