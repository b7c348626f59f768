"""The history page: who changed what and when, for the three personas."""

import pytest
from django.urls import reverse

from indicators.models import Assessment
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
    with django_assert_max_num_queries(15):
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
