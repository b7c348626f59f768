"""The review pages with the three personas: the unit's staff, a QA officer, an outsider."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from evidence.models import EvidenceItem, ReviewComment
from indicators.models import Assessment
from indicators.review import ItemReview
from indicators.services.review import review_comment_add
from tests.factories import QAAdminFactory, set_status

Status = Assessment.Status


def _item(assessment: Assessment) -> EvidenceItem:
    return EvidenceItem.objects.filter(result__assessment=assessment).order_by(
        "result", "position"
    )[0]


# --- Who sees what -------------------------------------------------------------------------


def test_review_page_for_the_qa_officer(
    client, assessment, qa_officer, django_assert_max_num_queries
) -> None:
    set_status(assessment, Status.SUBMITTED)
    client.force_login(qa_officer)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("indicators:review", args=[assessment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "สพ 3-1 (1)" in html and "สพ 3-5 (3)" in html  # the first and the last item
    assert assessment.results.get(criterion__order=1).narrative in html
    assert reverse("indicators:assessment_approve", args=[assessment.pk]) in html
    assert reverse("indicators:review_item", args=[_item(assessment).pk]) in html


def test_review_page_is_closed_to_staff_and_outsiders(client, assessment, staff, outsider) -> None:
    url = reverse("indicators:review", args=[assessment.pk])
    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_every_review_write_is_404_for_an_outsider(
    client, assessment, outsider, qa_officer
) -> None:
    set_status(assessment, Status.SUBMITTED)
    comment = review_comment_add(assessment=assessment, by=qa_officer, body="ข้อสังเกต")
    client.force_login(outsider)
    result = assessment.results.first()
    posts = [
        (reverse("indicators:assessment_submit", args=[assessment.pk]), {}),
        (reverse("indicators:assessment_return", args=[assessment.pk]), {"reason": "x"}),
        (reverse("indicators:assessment_approve", args=[assessment.pk]), {"committee_score": "5"}),
        (reverse("indicators:assessment_reopen", args=[assessment.pk]), {"reason": "x"}),
        (reverse("indicators:comment_add", args=[assessment.pk]), {"body": "x"}),
        (reverse("indicators:comment_reply", args=[comment.pk]), {"reply": "x"}),
        (reverse("indicators:comment_resolve", args=[comment.pk]), {}),
        (reverse("indicators:review_item", args=[_item(assessment).pk]), {"status": "accepted"}),
        (reverse("indicators:committee_met", args=[result.pk]), {"committee_met": "yes"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED
    assert ReviewComment.objects.count() == 1


# --- Workflow buttons ----------------------------------------------------------------------


def test_staff_cannot_approve_but_a_qa_officer_can(
    client, assessment, staff, head, qa_officer, django_capture_on_commit_callbacks
) -> None:
    set_status(assessment, Status.SUBMITTED)
    url = reverse("indicators:assessment_approve", args=[assessment.pk])
    client.force_login(staff)
    response = client.post(url, {"committee_score": "5"})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED

    client.force_login(qa_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"committee_score": "4.75"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("indicators:history", args=[assessment.pk])
    assert "อนุมัติผลการประเมินแล้ว" in response.content.decode()
    assessment.refresh_from_db()
    assert (assessment.status, assessment.committee_score) == (Status.APPROVED, Decimal("4.75"))
    # One message to each member of the unit (Alice and Hana).
    members = set(assessment.unit.members.exclude(email="").values_list("email", flat=True))
    assert {address for message in mail.outbox for address in message.to} == members
    assert len(mail.outbox) == len(members) == 2


def test_head_submits_through_the_button(client, assessment, head, staff) -> None:
    client.force_login(staff)
    response = client.post(reverse("indicators:assessment_submit", args=[assessment.pk]))
    assert response.status_code == 403
    client.force_login(head)
    history = reverse("indicators:history", args=[assessment.pk])
    assert "ส่งผลการประเมินให้เจ้าหน้าที่ประกันคุณภาพ" in client.get(history).content.decode()
    response = client.post(
        reverse("indicators:assessment_submit", args=[assessment.pk]),
        {"next": history},
        follow=True,
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED
    html = response.content.decode()
    assert "ผลการประเมินนี้ส่งให้เจ้าหน้าที่ประกันคุณภาพแล้ว จึงแก้ไขไม่ได้ จนกว่าจะถูกส่งกลับให้แก้ไข" in html


def test_return_without_a_reason_is_refused_with_a_thai_message(
    client, assessment, qa_officer
) -> None:
    set_status(assessment, Status.SUBMITTED)
    client.force_login(qa_officer)
    response = client.post(
        reverse("indicators:assessment_return", args=[assessment.pk]), {"reason": " "}, follow=True
    )
    assert "กรุณาระบุเหตุผล" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED


def test_next_must_stay_on_this_site(client, assessment, qa_officer) -> None:
    set_status(assessment, Status.SUBMITTED)
    client.force_login(qa_officer)
    response = client.post(
        reverse("indicators:assessment_return", args=[assessment.pk]),
        {"reason": "แก้ไข", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("indicators:history", args=[assessment.pk])


def test_reopen_by_the_administrator(client, assessment, qa_officer) -> None:
    set_status(assessment, Status.APPROVED)
    url = reverse("indicators:assessment_reopen", args=[assessment.pk])
    client.force_login(qa_officer)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(QAAdminFactory())
    client.post(url, {"reason": "ต้องแก้คะแนน"})
    assessment.refresh_from_db()
    assert assessment.status == Status.RETURNED


# --- htmx review actions -------------------------------------------------------------------


def test_mark_an_item_needs_fix_with_htmx(client, assessment, qa_officer, staff) -> None:
    set_status(assessment, Status.SUBMITTED)
    item = _item(assessment)
    url = reverse("indicators:review_item", args=[item.pk])
    client.force_login(staff)
    assert client.post(url, {"status": "accepted"}, HTTP_HX_REQUEST="true").status_code == 403
    client.force_login(qa_officer)
    response = client.post(url, {"status": "needs_fix", "comment": ""}, HTTP_HX_REQUEST="true")
    assert "กรุณาระบุว่าต้องแก้ไขอะไร" in response.content.decode()
    item.refresh_from_db()
    assert item.review_status == EvidenceItem.Review.PENDING
    response = client.post(
        url, {"status": "needs_fix", "comment": "ลายมือชื่อไม่ครบ"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="list-group-item" id="item-{item.pk}"')
    assert "ลายมือชื่อไม่ครบ" in html and 'data-review-status="needs_fix"' in html
    item.refresh_from_db()
    assert item.review_status == EvidenceItem.Review.NEEDS_FIX


def test_committee_met_and_comments(client, assessment, qa_officer) -> None:
    set_status(assessment, Status.SUBMITTED)
    result = assessment.results.order_by("criterion__order").first()
    client.force_login(qa_officer)
    response = client.post(
        reverse("indicators:committee_met", args=[result.pk]),
        {"committee_met": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="suggested-score" hx-swap-oob="true">1.00' in response.content.decode()
    result.refresh_from_db()
    assert result.committee_met is True

    response = client.post(
        reverse("indicators:comment_add", args=[assessment.pk]),
        {"body": "ควรระบุวาระให้ครบ", "result": result.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "ควรระบุวาระให้ครบ" in response.content.decode()
    comment = ReviewComment.objects.get()
    assert comment.criterion_result == result
    response = client.post(
        reverse("indicators:comment_resolve", args=[comment.pk]), HTTP_HX_REQUEST="true"
    )
    assert "ปิดแล้ว" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_open


def test_staff_answer_a_comment_when_returned(client, assessment, staff, qa_officer) -> None:
    set_status(assessment, Status.SUBMITTED)
    comment = review_comment_add(assessment=assessment, by=qa_officer, body="ขอรายชื่อผู้เข้าร่วม")
    url = reverse("indicators:comment_reply", args=[comment.pk])
    client.force_login(staff)
    response = client.post(url, {"reply": "แนบแล้ว"}, HTTP_HX_REQUEST="true")
    assert "ส่งให้เจ้าหน้าที่ประกันคุณภาพแล้ว จึงแก้ไขไม่ได้" in response.content.decode()
    set_status(assessment, Status.RETURNED)
    response = client.post(url, {"reply": "แนบรายชื่อแล้ว"}, HTTP_HX_REQUEST="true")
    assert "แนบรายชื่อแล้ว" in response.content.decode()
    comment.refresh_from_db()
    assert comment.reply == "แนบรายชื่อแล้ว" and comment.replied_by == staff
    client.force_login(qa_officer)
    response = client.post(url, {"reply": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.reply == "แนบรายชื่อแล้ว"  # a QA officer cannot answer for the unit


# --- History -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [*EvidenceItem.Review.values, "unknown"])
def test_item_status_label_is_the_status_display(status: str) -> None:
    item = EvidenceItem(review_status=status)
    assert ItemReview(item, [], []).status_label == item.get_review_status_display()
