"""The history page: who changed what and when, for the three personas."""

import pytest
from django.urls import reverse

from indicators import history
from indicators.models import Assessment
from indicators.views.history import EVENTS_PER_PAGE
from tests.factories import set_status

pytestmark = pytest.mark.django_db

Status = Assessment.Status


@pytest.mark.parametrize(
    ("persona", "expected"), [("staff", 200), ("qa_officer", 200), ("outsider", 404)]
)
def test_history_page_personas(
    request, client, assessment, persona: str, expected: int, django_assert_max_num_queries
) -> None:
    client.force_login(request.getfixturevalue(persona))
    with django_assert_max_num_queries(13):
        response = client.get(reverse("indicators:history", args=[assessment.pk]))
    assert response.status_code == expected


def test_history_lists_who_changed_what_with_a_word_diff(
    client, assessment, staff, qa_officer
) -> None:
    result = assessment.results.order_by("criterion__order").first()
    client.force_login(staff)
    result.narrative = result.narrative.replace("ได้พิจารณากำหนด", "ได้ร่วมกันพิจารณากำหนด")
    result._history_user = staff
    result.save()
    set_status(assessment, Status.SUBMITTED)
    client.force_login(qa_officer)
    client.post(
        reverse("indicators:assessment_return", args=[assessment.pk]), {"reason": "ตรวจวันที่อีกครั้ง"}
    )
    response = client.get(
        reverse("indicators:history", args=[assessment.pk]), {"result": result.pk}
    )
    html = response.content.decode()
    # The words put in are marked alone, inside the Thai phrase (no longer the phrase).
    assert "ได้</span><ins>ร่วมกัน</ins><span>พิจารณากำหนด" in html
    assert "alice" in html or staff.first_name in html
    response = client.get(reverse("indicators:history", args=[assessment.pk]))
    html = response.content.decode()
    assert "ตรวจวันที่อีกครั้ง" in html and "ส่งกลับแก้ไข" in html


def test_history_shows_a_page_of_events_and_diffs_only_that_page(
    client, assessment, staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However many saves there were, one request diffs at most one page of events."""
    result = assessment.results.order_by("criterion__order").first()
    for version in range(60):
        result.narrative = f"ผลการดำเนินงาน ฉบับที่ {version} ของคณะทำงาน"
        result.save()
    diffed: list[str] = []
    real = history.word_diff
    monkeypatch.setattr(history, "word_diff", lambda old, new: diffed.append(new) or real(old, new))
    client.force_login(staff)
    url = reverse("indicators:history", args=[assessment.pk])
    first = client.get(url, {"result": result.pk}).content.decode()
    assert len(diffed) == EVENTS_PER_PAGE
    assert "ฉบับที่ 59" in diffed[0]  # newest first
    pages = -(-61 // EVENTS_PER_PAGE)  # the narrative's creation and 60 saves
    assert f"หน้า 1 จาก {pages}" in first and "page=2" in first and "เก่ากว่า" in first
    diffed.clear()
    last = client.get(url, {"result": result.pk, "page": str(pages)}).content.decode()
    # The oldest page ends with the narrative's creation, which has no diff.
    assert "<br>สร้าง</td>" in last.replace("\n", "") and "ใหม่กว่า" in last
    assert len(diffed) <= EVENTS_PER_PAGE
    for page in ("abc", "999", "-1"):  # as Paginator.get_page: the nearest real page
        assert client.get(url, {"page": page}).status_code == 200
