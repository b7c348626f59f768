"""The indicator page kept in the fragments cache under the data version
(indicators/fragments.py): a view of the page after any change shows the change, a
cached part carries the request's own CSRF token, and a cached view does not load the
page's data."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from evidence.models import EvidenceItem
from indicators import data_version, fragments
from indicators.models import Assessment, CriterionResult, Indicator, Notification
from indicators.services.review import review_comment_add
from tests.factories import set_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    caches[fragments.CACHE_ALIAS].clear()


def _pages(store: Any) -> int:
    """How many indicator pages the fragments cache holds (not their access checks)."""
    return sum(":kmt:assessment:" in key and ":checked" not in key for key in store._cache)


def _page(client: Client, assessment: Assessment) -> str:
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _kept_page(
    page: str, staff: User, qa_officer: User, assessment: Assessment
) -> tuple[str, User]:
    """A kept page's address and who views it: staff of the unit, or a QA officer."""
    urls = {
        "home": ("/", staff),
        "unit": (assessment.unit.get_absolute_url(), staff),
        "assessment": (assessment.get_absolute_url(), staff),
        "review": (reverse("indicators:review", args=[assessment.pk]), qa_officer),
        "history": (reverse("indicators:history", args=[assessment.pk]), staff),
        "dashboard": (
            reverse("indicators:dashboard_cycle", args=[assessment.indicator.cycle_id]),
            qa_officer,
        ),
    }
    return urls[page]


def test_second_view_comes_from_the_cache_with_the_same_html(
    client: Client, staff: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    first = _page(client, assessment)
    store = caches[fragments.CACHE_ALIAS]
    assert _pages(store) == 1
    token = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF tokens, new on each request
    assert token.sub("", _page(client, assessment)) == token.sub("", first)
    assert fragments.CSRF_MARK not in first
    assert _pages(store) == 1


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


@pytest.mark.parametrize("page", ["unit", "assessment", "review", "history", "dashboard"])
def test_access_is_asked_again_only_after_a_change(
    page: str, client: Client, staff: User, qa_officer: User, assessment: Assessment
) -> None:
    """A view from the cache does not check access again (fragments.kept_check): the
    check is kept under the same key, which moves when a membership or a right does."""
    url, user = _kept_page(page, staff, qa_officer, assessment)
    client.force_login(user)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as cached:
        assert client.get(url).status_code == 200
    checks = ("indicators_membership", "auth_permission", "indicators_assessment")
    assert not any(table in query["sql"] for query in cached for table in checks)
    # Their rights go: the next view is refused, though the page is still in the cache.
    user.memberships.all().delete()
    user.groups.clear()
    user.user_permissions.clear()
    assert client.get(url).status_code in (403, 404)


@pytest.mark.django_db(transaction=True)
def test_a_membership_removed_in_another_process_is_refused(
    client: Client, staff: User, assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the stored version can tell (this process's counter is put back)."""
    client.force_login(staff)
    _page(client, assessment)
    own = data_version._local_version
    staff.memberships.all().delete()
    monkeypatch.setattr(data_version, "_local_version", own)
    assert client.get(assessment.get_absolute_url()).status_code == 404


def test_a_right_taken_away_unseen_is_refused_within_a_minute(
    client: Client, staff: User, assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A membership deleted where the data version cannot see it (psql by hand): the
    kept check lets the page be read for CHECK_SECONDS at most."""
    url = assessment.get_absolute_url()
    with freeze_time("2026-06-01 03:00:00") as clock:
        client.force_login(staff)
        _page(client, assessment)
        monkeypatch.setattr(data_version, "writes_watched_table", lambda sql: False)
        staff.memberships.all().delete()
        assert client.get(url).status_code == 200  # still kept
        clock.tick(fragments.CHECK_SECONDS + 1)
        assert client.get(url).status_code == 404


def test_a_kept_check_without_its_part_renders_the_page(
    client: Client, staff: User, assessment: Assessment
) -> None:
    """The two entries fall out of the cache on their own: the part is rendered again
    with the kept check."""
    client.force_login(staff)
    first = _page(client, assessment)
    store = caches[fragments.CACHE_ALIAS]
    for stored in [key for key in store._cache if ":kmt:assessment:" in key]:
        if ":checked" not in stored:
            store.delete(stored.split(":", 2)[2])  # stored as ":<version>:<key>"
    assert _pages(store) == 0
    token = re.compile(r"[A-Za-z0-9]{64}")
    assert token.sub("", _page(client, assessment)) == token.sub("", first)
    assert _pages(store) == 1


def test_a_part_kept_yesterday_is_not_shown_today(
    client: Client, staff: User, assessment: Assessment
) -> None:
    """Deadline badges count days: the date is part of the key."""
    client.force_login(staff)
    _page(client, assessment)
    store = caches[fragments.CACHE_ALIAS]
    with freeze_time(timezone.now() + timedelta(days=1)):
        _page(client, assessment)
    assert _pages(store) == 2


@pytest.mark.parametrize("page", ["home", "unit", "assessment", "review", "history", "dashboard"])
def test_every_kept_page_shows_a_change_at_once(
    page: str, client: Client, staff: User, qa_officer: User, assessment: Assessment
) -> None:
    """Each page kept under the data version: viewed, then the indicator renamed behind
    the view's back (QuerySet.update: no model signal), then viewed again."""
    url, user = _kept_page(page, staff, qa_officer, assessment)
    client.force_login(user)
    # The title is shown inside the kept part only (the page titles show its number).
    title = assessment.indicator.title
    assert title in client.get(url).content.decode()
    assert title in client.get(url).content.decode()  # from the cache
    Indicator.objects.filter(pk=assessment.indicator_id).update(title="ชื่อตัวบ่งชี้ที่แก้แล้ว")
    assert "ชื่อตัวบ่งชี้ที่แก้แล้ว" in client.get(url).content.decode()


def test_the_navbar_count_follows_new_notifications(
    client: Client, staff: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    assert 'data-unread="0"' in _page(client, assessment)
    Notification.objects.create(recipient=staff, assessment=assessment, kind="commented")
    assert 'data-unread="1"' in _page(client, assessment)


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_process_shows(
    client: Client, staff: User, assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another gunicorn worker's save moves only the stored version: this process's
    own counter is put back to what it was, so only the stored one can tell."""
    client.force_login(staff)
    _page(client, assessment)
    own = data_version._local_version
    CriterionResult.objects.filter(assessment=assessment).update(narrative="บันทึกจากอีกเครื่อง")
    monkeypatch.setattr(data_version, "_local_version", own)
    assert "บันทึกจากอีกเครื่อง" in _page(client, assessment)


def test_the_key_holds_what_the_pages_show_of_the_viewer(rf: RequestFactory, staff: User) -> None:
    """The user row is read before the version: a rights change that lands in between
    must not keep a page under the new version with the old rights."""
    request = rf.get("/")
    request.user = staff
    before = fragments.part_key(request, "home")
    del request._kmt_data_version  # type: ignore[attr-defined]
    staff.is_superuser = True
    assert fragments.part_key(request, "home") != before
