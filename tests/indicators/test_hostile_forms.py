"""Every form of the indicators app, posted through its view with hostile values: the
unit's staff on the indicator page, a QA officer on the review (tests/hostile.py). Never
a server error; a refused post changes nothing."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from evidence.models import EvidenceItem
from indicators.models import Assessment

from ..factories import QAAdminFactory, ReviewCommentFactory, set_status
from ..hostile import hostile, hostile_post, post_hostile

pytestmark = pytest.mark.django_db

TABLES = (
    "indicators.Assessment",
    "indicators.CriterionResult",
    "evidence.EvidenceItem",
    "evidence.ReviewComment",
    "indicators.AssessmentTransition",
)


def _redirected(response: Any) -> bool:
    return response.status_code == 302


def _anything(response: Any) -> bool:
    """These views redirect back whether they saved or refused: only no 500 is asked,
    and each is one service call inside a transaction."""
    return True


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@given(data=st.data())
def test_indicator_page_forms(staff: Any, assessment: Assessment, data: st.DataObject) -> None:
    client = _signed_in(staff)
    result = assessment.results.order_by("criterion__order").first()
    body = data.draw(hostile_post({"narrative": hostile(), "version": hostile()}))
    url = reverse("indicators:result_narrative", args=[result.pk])
    post_hostile(client, url, body, tables=TABLES, saved=_redirected)
    body = data.draw(hostile_post({"met": hostile()}))
    url = reverse("indicators:result_met", args=[result.pk])
    post_hostile(client, url, body, tables=TABLES, saved=_anything)
    fields = ("target", "result_value", "strengths", "improvements", "edited_from")
    body = data.draw(hostile_post({name: hostile() for name in fields}))
    url = reverse("indicators:assessment_details", args=[assessment.pk])
    post_hostile(client, url, body, tables=TABLES, saved=_redirected)


@given(data=st.data())
def test_review_forms(qa_officer: Any, assessment: Assessment, data: st.DataObject) -> None:
    set_status(assessment, Assessment.Status.SUBMITTED)
    client = _signed_in(qa_officer)
    item = EvidenceItem.objects.filter(result__assessment=assessment).first()
    result = item.result
    comment = ReviewCommentFactory(assessment=assessment, author=qa_officer)
    posts = [
        ("comment_add", assessment.pk, {"body": hostile(), "result": hostile()}),
        ("review_item", item.pk, {"status": hostile(st.just("needs_fix")), "comment": hostile()}),
        ("committee_met", result.pk, {"committee_met": hostile(st.just("yes"))}),
        ("comment_resolve", comment.pk, {}),
        ("assessment_return", assessment.pk, {"reason": hostile()}),
        ("assessment_approve", assessment.pk, {"committee_score": hostile()}),
    ]
    for name, pk, fields in posts:
        body = data.draw(hostile_post(fields))
        url = reverse(f"indicators:{name}", args=[pk])
        post_hostile(client, url, body, tables=TABLES, saved=_anything)
    query = data.draw(
        hostile_post({"unit": hostile(), "status": hostile(), "indicator": hostile()})
    )
    assert client.get(reverse("indicators:dashboard"), query).status_code == 200


@given(data=st.data())
def test_sign_in_form(db: None, data: st.DataObject) -> None:
    body = data.draw(hostile_post({"username": hostile(), "password": hostile()}))
    response = Client().post(reverse("login"), body)
    assert response.status_code == 200


SETUP_TABLES = ("indicators.Cycle", "indicators.Indicator", "indicators.Criterion",
                "indicators.CriterionResult", "indicators.Assessment")  # fmt: skip


@given(data=st.data())
def test_setup_forms(assessment: Assessment, data: st.DataObject) -> None:
    """The QA administrator's setup pages (indicators/views/setup.py)."""
    client = _signed_in(QAAdminFactory())
    indicator = assessment.indicator
    cycle = indicator.cycle
    criterion = indicator.criteria.order_by("order").first()
    deadlines = ("submission_deadline", "review_deadline")
    cycle_fields = {
        name: hostile() for name in ("kind", "year_be", "start_date", "end_date", *deadlines)
    }
    indicator_fields = {
        name: hostile()
        for name in (
            "number",
            "title",
            "kind",
            "score_table",
            "full_score_value",
            "result_unit",
            *deadlines,
        )
    }
    posts = [
        ("setup_cycle_add", (), cycle_fields, _redirected),
        ("setup_cycle_edit", (cycle.pk,), cycle_fields, _redirected),
        ("setup_indicator_set_copy", (cycle.pk,), {"source": hostile()}, _redirected),
        ("setup_indicator_add", (cycle.pk,), indicator_fields, _redirected),
        ("setup_indicator", (indicator.pk,), indicator_fields, _redirected),
        ("setup_criterion_add", (indicator.pk,), {"text": hostile()}, _anything),
        ("setup_criterion", (criterion.pk,), {"text": hostile()}, _redirected),
        ("setup_criterion_move", (criterion.pk,), {"direction": hostile()}, _anything),
    ]
    for name, args, fields, saved in posts:
        body = data.draw(hostile_post(fields))
        url = reverse(f"indicators:{name}", args=args)
        post_hostile(client, url, body, tables=SETUP_TABLES, saved=saved)
