"""The indicator page kept in the fragments cache under the data version
(indicators/fragments.py): a view of the page after any change shows the change, a
cached part carries the request's own CSRF token, and a cached view does not load the
page's data."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from evidence.models import EvidenceItem
from indicators import fragments
from indicators.models import Assessment, CriterionResult
from indicators.services.review import review_comment_add
from tests.factories import set_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    caches[fragments.CACHE_ALIAS].clear()


def _page(client: Client, assessment: Assessment) -> str:
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_second_view_comes_from_the_cache_with_the_same_html(
    client: Client, staff: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    first = _page(client, assessment)
    store = caches[fragments.CACHE_ALIAS]
    assert len(store._cache) == 1  # type: ignore[attr-defined]
    token = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF tokens, new on each request
    assert token.sub("", _page(client, assessment)) == token.sub("", first)
    assert fragments.CSRF_MARK not in first
    assert len(store._cache) == 1  # type: ignore[attr-defined]


def test_a_change_shows_at_once(
    client: Client, staff: User, qa_officer: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    _page(client, assessment)
    result = assessment.results.get(criterion__order=2)
    CriterionResult.objects.filter(pk=result.pk).update(narrative="ข้อความใหม่ที่เพิ่งบันทึก")
    assert "ข้อความใหม่ที่เพิ่งบันทึก" in _page(client, assessment)
    item = result.evidence_items.first()
    assert item is not None
    EvidenceItem.objects.filter(pk=item.pk).update(caption="คำบรรยายที่แก้แล้ว")
    assert "คำบรรยายที่แก้แล้ว" in _page(client, assessment)
    set_status(assessment, Assessment.Status.SUBMITTED)
    review_comment_add(
        assessment=assessment, by=qa_officer, body="ขอหลักฐานเพิ่ม", criterion_result=result
    )
    assert "ขอหลักฐานเพิ่ม" in _page(client, assessment)


def test_each_person_sees_their_own_part(
    client: Client, staff: User, qa_officer: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    assert "data-kmt-guard" in _page(client, assessment)
    client.force_login(qa_officer)
    assert "data-kmt-guard" not in _page(client, assessment)


def test_a_cached_part_posts_with_the_requests_own_token(
    staff: User, assessment: Assessment
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    _page(client, assessment)
    client.logout()
    client.force_login(staff)  # a new session, a new CSRF secret
    html = _page(client, assessment)
    result = assessment.results.get(criterion__order=1)
    form = re.search(rf'id="narrative-{result.pk}".*?</form>', html, re.S)
    assert form is not None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0))
    assert token is not None
    response = client.post(
        f"/results/{result.pk}/narrative/",
        {"csrfmiddlewaretoken": token.group(1), "narrative": "บันทึกจากหน้าที่แคชไว้", "version": 1},
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.narrative == "บันทึกจากหน้าที่แคชไว้"


def test_a_cached_view_reads_the_version_not_the_page_data(
    client: Client, staff: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    with CaptureQueriesContext(connection) as rendering:
        _page(client, assessment)
    with CaptureQueriesContext(connection) as cached:
        _page(client, assessment)
    tables = ("indicators_criterionresult", "evidence_evidenceitem", "evidence_reviewcomment")
    assert any(table in query["sql"] for query in rendering for table in tables)
    assert not any(table in query["sql"] for query in cached for table in tables)
    assert any("indicators_dataversion" in query["sql"] for query in cached)
    assert len(cached) < len(rendering)


def test_a_part_kept_yesterday_is_not_shown_today(
    client: Client, staff: User, assessment: Assessment
) -> None:
    """Deadline badges count days: the date is part of the key."""
    client.force_login(staff)
    _page(client, assessment)
    store = caches[fragments.CACHE_ALIAS]
    with freeze_time(timezone.now() + timedelta(days=1)):
        _page(client, assessment)
    assert len(store._cache) == 2  # type: ignore[attr-defined]
