"""The indicator page and its in-place saves: narrative, met, target and the rest; the
workflow and comments it shows each persona."""

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from evidence.models import EvidenceItem
from indicators.models import Assessment, Criterion, CriterionResult, Indicator, Unit
from indicators.services.review import review_comment_add
from indicators.views import assessments as indicator_views
from tests.factories import (
    AssessmentFactory,
    DocumentFactory,
    EvidenceItemFactory,
    IndicatorFactory,
    set_status,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

Status = Assessment.Status


def _item(assessment: Assessment) -> EvidenceItem:
    return EvidenceItem.objects.filter(result__assessment=assessment).order_by(
        "result", "position"
    )[0]


def page_url(assessment: Assessment) -> str:
    return reverse("indicators:assessment", args=[assessment.pk])


def first_result(assessment: Assessment) -> CriterionResult:
    return assessment.results.get(criterion__order=1)


# --- The page ------------------------------------------------------------------------


def test_page_shows_the_sar_layout(client: Client, staff: User, assessment: Assessment) -> None:
    client.force_login(staff)
    response = client.get(assessment.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "ตัวบ่งชี้ที่ 3 การพัฒนาหน่วยงานสู่องค์การการเรียนรู้" in content
    assert "ชนิดของตัวบ่งชี้" in content and "กระบวนการ" in content
    assert "ปีงบประมาณ พ.ศ.2563 (1 ต.ค. 62 - 30 ก.ย. 63)" in content
    for order in range(1, 6):
        assert f"เกณฑ์ข้อ {order}" in content
    assert "สพ 3-1 (3)" in content and "สพ 3-4 (3)" in content
    assert "5/5" in content and "5.00" in content and "ดีมาก" in content


def test_staff_gets_guarded_edit_forms(client: Client, staff: User, assessment: Assessment) -> None:
    client.force_login(staff)
    content = client.get(page_url(assessment)).content.decode()
    assert content.count("data-kmt-guard") >= 6  # five narratives and the details form
    assert reverse("indicators:result_narrative", args=[first_result(assessment).pk]) in content
    assert reverse("indicators:assessment_details", args=[assessment.pk]) in content
    assert 'id="readonly-reason"' not in content


def test_qa_officer_reads_without_forms(
    client: Client, qa_officer: User, assessment: Assessment
) -> None:
    client.force_login(qa_officer)
    response = client.get(page_url(assessment))
    content = response.content.decode()
    assert response.status_code == 200
    assert "คุณเปิดดูได้อย่างเดียว" in content
    assert "data-kmt-guard" not in content
    assert "สพ 3-1 (1)" in content


def test_outsider_gets_404(client: Client, outsider: User, assessment: Assessment) -> None:
    client.force_login(outsider)
    assert client.get(page_url(assessment)).status_code == 404


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Assessment.Status.SUBMITTED, "ส่งให้เจ้าหน้าที่ประกันคุณภาพแล้ว"),
        (Assessment.Status.APPROVED, "ได้รับอนุมัติแล้ว"),
    ],
)
def test_locked_assessment_is_read_only(
    client: Client, staff: User, assessment: Assessment, status: str, reason: str
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    client.force_login(staff)
    content = client.get(page_url(assessment)).content.decode()
    assert reason in content
    assert "data-kmt-guard" not in content
    result = first_result(assessment)
    url = reverse("indicators:result_narrative", args=[result.pk])
    response = client.post(url, {"narrative": "แก้", "version": result.version}, headers=HTMX)
    assert response.status_code == 403
    result.refresh_from_db()
    assert result.narrative != "แก้"


def test_page_queries_are_bounded(
    client: Client,
    staff: User,
    assessment: Assessment,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(staff)
    with CaptureQueriesContext(connection) as before:
        client.get(page_url(assessment))
    # Many more items, with documents (and thumbnails), and three more criteria.
    for result in assessment.results.all():
        for _ in range(6):
            document = DocumentFactory(unit=assessment.unit)
            EvidenceItemFactory(result=result, position=result.evidence_items.count() + 1,
                                document=document)  # fmt: skip
    for order in range(6, 9):
        criterion = Criterion.objects.create(
            indicator=assessment.indicator, order=order, text="เพิ่ม"
        )
        CriterionResult.objects.create(assessment=assessment, criterion=criterion)
    with django_assert_max_num_queries(len(before.captured_queries)):
        content = client.get(page_url(assessment)).content.decode()
    # 10 for the page, two for the owners of the indicator and of its criteria, one for
    # the navbar's unread notifications, one for the data version (fragments cache).
    assert len(before.captured_queries) <= 14
    assert "สพ 3-1 (9)" in content and "เกณฑ์ข้อ 8" in content


# --- Narrative: saved in place, never over someone else's save ---------------------------


def test_staff_saves_narrative_in_place(
    client: Client, staff: User, assessment: Assessment
) -> None:
    result = first_result(assessment)
    client.force_login(staff)
    url = reverse("indicators:result_narrative", args=[result.pk])
    response = client.post(
        url, {"narrative": "ข้อความใหม่\r\nบรรทัดสอง", "version": result.version}, headers=HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "บันทึกแล้ว" in content
    assert f'id="narrative-{result.pk}"' in content
    result.refresh_from_db()
    assert result.narrative == "ข้อความใหม่\nบรรทัดสอง"
    assert result.version == 2
    last = result.history.first()
    assert last.history_user == staff and last.narrative == result.narrative


def test_narrative_plain_post_redirects_back(
    client: Client, staff: User, assessment: Assessment
) -> None:
    result = first_result(assessment)
    client.force_login(staff)
    url = reverse("indicators:result_narrative", args=[result.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"narrative": "ไม่มี htmx", "version": result.version})
    assert response.status_code == 302
    assert response["Location"] == f"{assessment.get_absolute_url()}#criterion-{result.pk}"


def test_narrative_conflict_keeps_both_texts(
    client: Client, staff: User, head: User, assessment: Assessment
) -> None:
    result = first_result(assessment)
    opened_at = result.version
    url = reverse("indicators:result_narrative", args=[result.pk])
    client.force_login(head)
    client.post(url, {"narrative": "ข้อความของหัวหน้า", "version": opened_at}, headers=HTMX)
    client.force_login(staff)
    response = client.post(
        url, {"narrative": "ข้อความของเจ้าหน้าที่", "version": opened_at}, headers=HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "มีผู้อื่นบันทึกข้อความนี้ก่อนคุณ" in content
    assert "ข้อความของหัวหน้า" in content  # theirs
    assert "ข้อความของเจ้าหน้าที่" in content  # yours, still in the box
    assert "data-kmt-unsaved" in content
    result.refresh_from_db()
    assert result.narrative == "ข้อความของหัวหน้า"
    assert result.version == opened_at + 1
    # Saving again from the version shown is a deliberate choice, and goes through.
    assert f'value="{result.version}"' in content
    client.post(url, {"narrative": "รวมแล้ว", "version": result.version}, headers=HTMX)
    result.refresh_from_db()
    assert result.narrative == "รวมแล้ว"


def test_qa_officer_cannot_write_narrative(
    client: Client, qa_officer: User, assessment: Assessment
) -> None:
    result = first_result(assessment)
    client.force_login(qa_officer)
    url = reverse("indicators:result_narrative", args=[result.pk])
    assert client.post(url, {"narrative": "x", "version": 1}, headers=HTMX).status_code == 403
    assert client.post(reverse("indicators:result_met", args=[result.pk])).status_code == 403
    details = reverse("indicators:assessment_details", args=[assessment.pk])
    assert client.post(details, {"target": "1"}).status_code == 403


def test_outsider_gets_404_on_every_action(
    client: Client, outsider: User, assessment: Assessment
) -> None:
    result = first_result(assessment)
    client.force_login(outsider)
    for url in (
        reverse("indicators:result_narrative", args=[result.pk]),
        reverse("indicators:result_met", args=[result.pk]),
        reverse("indicators:assessment_details", args=[assessment.pk]),
    ):
        assert client.post(url, {"narrative": "x", "version": 1}, headers=HTMX).status_code == 404
    assert client.get(reverse("indicators:result_narrative", args=[result.pk])).status_code == 404


# --- Met / not met and the score ----------------------------------------------------


def test_marking_criteria_updates_the_score(
    client: Client, staff: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    result = first_result(assessment)
    url = reverse("indicators:result_met", args=[result.pk])
    response = client.post(url, {}, headers=HTMX)  # unchecked: not met
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="assessment-score"' in content and 'hx-swap-oob="true"' in content
    assert "4/5" in content and "4.00" in content and "ดี<" in content
    result.refresh_from_db()
    assert result.met is False
    assert result.version == 1  # marking does not count as a narrative edit
    response = client.post(url, {"met": "on"}, headers=HTMX)
    assert "5/5" in response.content.decode()
    assert CriterionResult.objects.filter(assessment=assessment, met=True).count() == 5


# --- Target, result value, strengths, improvements ----------------------------------


def details_data(assessment: Assessment, **values: str) -> dict[str, str]:
    assessment.refresh_from_db()
    data = {"target": "5", "strengths": "", "improvements": "", "result_value": ""}
    data["edited_from"] = assessment.updated_at.isoformat()
    return {**data, **values}


def test_staff_saves_details(client: Client, staff: User, assessment: Assessment) -> None:
    client.force_login(staff)
    url = reverse("indicators:assessment_details", args=[assessment.pk])
    data = details_data(assessment, target="4", strengths="ทีมงานเข้มแข็ง", improvements="ขยายผล")
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    assert "บันทึกแล้ว" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.target == Decimal(4)
    assert assessment.strengths == "ทีมงานเข้มแข็ง" and assessment.improvements == "ขยายผล"
    assert assessment.history.first().history_user == staff


def test_details_conflict_is_refused(
    client: Client, staff: User, head: User, assessment: Assessment
) -> None:
    url = reverse("indicators:assessment_details", args=[assessment.pk])
    stale = details_data(assessment, strengths="ของเจ้าหน้าที่")
    client.force_login(head)
    client.post(url, details_data(assessment, strengths="ของหัวหน้า"), headers=HTMX)
    client.force_login(staff)
    content = client.post(url, stale, headers=HTMX).content.decode()
    assert "มีผู้อื่นบันทึกส่วนนี้ก่อนคุณ" in content
    assert "ของหัวหน้า" in content and "ของเจ้าหน้าที่" in content
    assessment.refresh_from_db()
    assert assessment.strengths == "ของหัวหน้า"


def test_process_indicator_has_no_result_value_field(
    client: Client, staff: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    content = client.get(page_url(assessment)).content.decode()
    assert 'name="target"' in content
    assert 'name="result_value"' not in content


def test_output_indicator_scores_from_result_value(client: Client, staff: User, unit: Unit) -> None:
    indicator = IndicatorFactory(
        number="2.1",
        kind=Indicator.Kind.OUTPUT,
        full_score_value=Decimal(40),
        result_unit="ร้อยละ",
    )
    assessment = AssessmentFactory(unit=unit, indicator=indicator, target=Decimal(30))
    client.force_login(staff)
    assert 'name="result_value"' in client.get(page_url(assessment)).content.decode()
    url = reverse("indicators:assessment_details", args=[assessment.pk])
    response = client.post(
        url, details_data(assessment, target="30", result_value="32"), headers=HTMX
    )
    content = response.content.decode()
    assert "4.00" in content and 'hx-swap-oob="true"' in content
    assessment.refresh_from_db()
    assert assessment.result_value == Decimal(32)
    assert assessment.self_score == Decimal("4.00")


def test_evidence_items_show_under_their_criterion(
    client: Client, staff: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    content = client.get(page_url(assessment)).content.decode()
    link = EvidenceItem.objects.get(
        result__assessment=assessment, result__criterion__order=4, position=3
    )
    assert link.url in content


# --- A refused narrative stays marked unsaved -------------------------------------------


def test_locked_narrative_reply_keeps_text_marked_unsaved(
    client: Client, staff: Any, assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    result: CriterionResult = assessment.results.get(criterion__order=1)
    original = indicator_views.get_criterion_result_for_user

    def load_then_submit(*args: Any, **kwargs: Any) -> Any:
        loaded = original(*args, **kwargs)
        Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
        return loaded

    monkeypatch.setattr(indicator_views, "get_criterion_result_for_user", load_then_submit)
    client.force_login(staff)
    data = {"narrative": "ข้อความที่ยังไม่ได้บันทึก", "version": result.version}
    url = reverse("indicators:result_narrative", args=[result.pk])
    html = client.post(url, data, headers=HTMX).content.decode()
    assert "จึงแก้ไขไม่ได้" in html
    assert "ข้อความที่ยังไม่ได้บันทึก" in html
    assert "data-kmt-unsaved" in html
    result.refresh_from_db()
    assert result.narrative != "ข้อความที่ยังไม่ได้บันทึก"


def test_saved_narrative_reply_is_not_marked_unsaved(
    client: Client, staff: Any, assessment: Assessment
) -> None:

    result: CriterionResult = assessment.results.get(criterion__order=1)
    client.force_login(staff)
    data = {"narrative": "บันทึกแล้วจริง", "version": result.version}
    url = reverse("indicators:result_narrative", args=[result.pk])
    html = client.post(url, data, headers=HTMX).content.decode()
    assert "บันทึกแล้ว" in html and "data-kmt-unsaved" not in html


# --- The workflow and the comments on the page ------------------------------------------


def test_indicator_page_shows_workflow_and_comments(
    client, assessment, head, staff, qa_officer
) -> None:
    set_status(assessment, Status.SUBMITTED)
    comment = review_comment_add(
        assessment=assessment,
        by=qa_officer,
        body="ขอรายงานการประชุมฉบับเต็ม",
        evidence_item=_item(assessment),
    )
    set_status(assessment, Status.RETURNED)
    client.force_login(head)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert reverse("indicators:assessment_submit", args=[assessment.pk]) in html
    client.force_login(staff)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert "ขอรายงานการประชุมฉบับเต็ม" in html and "สพ 3-1 (1)" in html
    assert reverse("indicators:comment_reply", args=[comment.pk]) in html
    assert reverse("indicators:assessment_submit", args=[assessment.pk]) not in html  # staff
    assert reverse("evidence:item_replace", args=[_item(assessment).pk]) in html
    set_status(assessment, Status.APPROVED)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert 'id="readonly-reason"' in html
    assert reverse("indicators:comment_reply", args=[comment.pk]) not in html
    assert reverse("evidence:item_replace", args=[_item(assessment).pk]) not in html
