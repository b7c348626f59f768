"""Two admins (or an admin and the unit) editing the same row: the second save is
refused with a Thai form error naming what was saved meanwhile, nothing is overwritten,
and saving the returned form again overwrites on purpose. A change made in the admin
is a new version for the app's forms, and is written to the history."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import EvidenceItem, Meeting
from indicators.locking import StaleEditError
from indicators.models import Assessment, CriterionResult
from indicators.services.editing import criterion_result_save_narrative
from tests.factories import UnitRecords, set_status
from tests.indicators.test_admin import change_url, error_text, form_data

pytestmark = pytest.mark.django_db
STALE = "มีผู้อื่นบันทึกรายการนี้หลังจากที่คุณเปิดหน้านี้"


def _save(client: Client, url: str, **changes: str) -> Any:
    return client.post(url, {**form_data(client.get(url)), **changes})


@pytest.fixture
def second_admin(django_user_model: Any) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("admin2", "a2@example.com", "x"))
    return client


def test_two_admins_editing_the_same_narrative(
    assessment: Assessment, admin_client: Client, second_admin: Client
) -> None:
    result = assessment.results.get(criterion__order=1)
    url = change_url(result)
    first_data = form_data(admin_client.get(url))
    second_data = form_data(second_admin.get(url))

    saved = second_admin.post(url, {**second_data, "narrative": "ฉบับผู้ดูแลคนที่สอง"})
    assert saved.status_code == 302
    refused = admin_client.post(url, {**first_data, "narrative": "ฉบับผู้ดูแลคนแรก"})
    assert refused.status_code == 200
    assert STALE in error_text(refused) and "ฉบับผู้ดูแลคนที่สอง" in error_text(refused)
    result.refresh_from_db()
    assert (result.narrative, result.version) == ("ฉบับผู้ดูแลคนที่สอง", 2)

    # The page came back with the row's new token: saving it again is deliberate.
    again = form_data(refused)
    assert again["narrative"] == "ฉบับผู้ดูแลคนแรก"
    assert admin_client.post(url, again).status_code == 302
    result.refresh_from_db()
    assert (result.narrative, result.version) == ("ฉบับผู้ดูแลคนแรก", 3)
    assert result.history.first().narrative == "ฉบับผู้ดูแลคนแรก"


def test_an_admin_save_over_the_units_newer_narrative_is_refused(
    assessment: Assessment, admin_client: Client
) -> None:
    result = assessment.results.get(criterion__order=1)
    url = change_url(result)
    data = form_data(admin_client.get(url))
    criterion_result_save_narrative(result=result, narrative="ของหน่วยงาน", version=1)
    refused = admin_client.post(url, {**data, "narrative": "ของผู้ดูแล"})
    assert STALE in error_text(refused)
    result.refresh_from_db()
    assert result.narrative == "ของหน่วยงาน"


def test_an_admin_change_is_a_new_version_for_the_app(
    assessment: Assessment, admin_client: Client
) -> None:
    """The unit's open form (loaded at version 1) is told, not overwritten."""
    result = assessment.results.get(criterion__order=1)
    url = change_url(result)
    assert (
        admin_client.post(url, {**form_data(admin_client.get(url)), "narrative": "x"}).status_code
        == 302
    )
    with pytest.raises(StaleEditError):
        criterion_result_save_narrative(result=result, narrative="ของหน่วยงาน", version=1)


def test_strengths_changed_in_the_admin_make_the_units_form_stale(
    assessment: Assessment, admin_client: Client, second_admin: Client, staff: Any
) -> None:
    url = change_url(assessment)
    first_data = form_data(admin_client.get(url))
    second_data = form_data(second_admin.get(url))
    assert second_admin.post(url, {**second_data, "strengths": "จุดแข็งใหม่"}).status_code == 302
    refused = admin_client.post(url, {**first_data, "improvements": "ข้อเสนอใหม่"})
    assert STALE in error_text(refused)
    assessment.refresh_from_db()
    assert (assessment.strengths, assessment.improvements) != (
        first_data.get("strengths"),
        "ข้อเสนอใหม่",
    )
    assert assessment.strengths == "จุดแข็งใหม่"
    assert assessment.history.first().strengths == "จุดแข็งใหม่"


def test_a_caption_changed_in_the_admin_is_a_new_version(
    assessment: Assessment, admin_client: Client
) -> None:
    item = EvidenceItem.objects.filter(result__assessment=assessment, caption__gt="")[0]
    url = change_url(item)
    assert (
        admin_client.post(url, {**form_data(admin_client.get(url)), "caption": "ใหม่"}).status_code
        == 302
    )
    item.refresh_from_db()
    assert (item.caption, item.version) == ("ใหม่", 2)
    assert item.history.first().caption == "ใหม่"


def test_two_admins_editing_the_same_meeting(
    records: UnitRecords, admin_client: Client, second_admin: Client
) -> None:
    meeting = records.km_meeting
    url = change_url(meeting)
    first_data = form_data(admin_client.get(url))
    second_data = form_data(second_admin.get(url))
    assert second_admin.post(url, {**second_data, "body": "ชื่อของคนที่สอง"}).status_code == 302
    refused = admin_client.post(url, {**first_data, "body": "ชื่อของคนแรก"})
    assert STALE in error_text(refused)
    meeting.refresh_from_db()
    assert (meeting.body, meeting.version) == ("ชื่อของคนที่สอง", 2)


def test_the_admin_refuses_to_delete_a_meeting_of_approved_evidence(
    assessment: Assessment, records: UnitRecords, admin_client: Client
) -> None:
    meeting = records.km_meeting
    codes = sorted(item.code for item in meeting.evidence_items.all())
    set_status(assessment, Assessment.Status.APPROVED)
    url = reverse("admin:evidence_meeting_delete", args=[meeting.pk])
    page = admin_client.get(url).content.decode()
    for code in codes:
        assert code in page
    admin_client.post(url, {"post": "yes"})
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_result_admin_still_refuses_a_locked_assessment(
    assessment: Assessment, admin_client: Client
) -> None:
    set_status(assessment, Assessment.Status.APPROVED)
    result: CriterionResult = assessment.results.get(criterion__order=1)
    page = admin_client.get(change_url(result)).content.decode()
    assert 'name="narrative"' not in page
