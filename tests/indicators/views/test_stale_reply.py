"""A reply to a review comment saved over another reply: refused with both shown, the
first reply kept; saving the returned form again overwrites it on purpose."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import ReviewComment
from indicators.models import Assessment
from tests.factories import ReviewCommentFactory, set_status

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _version(html: str, url: str) -> str:
    """The version the comment's reply form carries."""
    found = re.search(rf'action="{re.escape(url)}".*?name="version" value="(\d+)"', html, re.S)
    assert found is not None, html
    return found.group(1)


def test_a_reply_saved_over_another_reply_is_refused(
    assessment: Assessment, staff: Any, head: Any, qa_officer: Any
) -> None:
    set_status(assessment, Assessment.Status.RETURNED)
    comment: ReviewComment = ReviewCommentFactory(assessment=assessment, author=qa_officer)
    url = reverse("indicators:comment_reply", args=[comment.pk])
    page = reverse("indicators:assessment", args=[assessment.pk])
    alice, hana = _client(staff), _client(head)
    loaded = _version(alice.get(page).content.decode(), url)
    assert _version(hana.get(page).content.decode(), url) == loaded

    assert (
        hana.post(url, {"reply": "คำตอบของฮานา", "version": loaded}, headers=HTMX).status_code
        == 200
    )
    refused = alice.post(url, {"reply": "คำตอบของอลิซ", "version": loaded}, headers=HTMX)
    html = refused.content.decode()
    assert "มีผู้อื่นบันทึกรายการนี้ก่อนคุณ" in html
    assert "คำตอบของฮานา" in html and "คำตอบของอลิซ" in html
    comment.refresh_from_db()
    assert (comment.reply, comment.replied_by) == ("คำตอบของฮานา", head)

    # The returned form keeps Alice's text with the new version: saving it is deliberate.
    resave = _version(html, url)
    assert resave != loaded
    assert (
        alice.post(url, {"reply": "คำตอบของอลิซ", "version": resave}, headers=HTMX).status_code
        == 200
    )
    comment.refresh_from_db()
    assert (comment.reply, comment.replied_by) == ("คำตอบของอลิซ", staff)


def test_a_reply_without_htmx_is_refused_with_a_message(
    assessment: Assessment, staff: Any, qa_officer: Any
) -> None:
    set_status(assessment, Assessment.Status.RETURNED)
    comment: ReviewComment = ReviewCommentFactory(
        assessment=assessment, author=qa_officer, reply="เดิม", version=3
    )
    url = reverse("indicators:comment_reply", args=[comment.pk])
    response = _client(staff).post(url, {"reply": "ใหม่", "version": "2"}, follow=True)
    assert "มีผู้อื่นบันทึกคำตอบนี้ก่อนคุณ" in response.content.decode()
    comment.refresh_from_db()
    assert comment.reply == "เดิม"
