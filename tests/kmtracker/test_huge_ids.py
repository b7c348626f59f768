"""Numbers too big for the database in an id are a 404 or a form error, never a 500.

SQLite raises OverflowError for integers past 64 bits; Django 5.2 turns such lookups
into empty results, and these tests keep it that way for every URL and id field.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from evidence.models import EvidenceItem
from indicators.models import Assessment

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # > 2**64
# Past Python's 4300-digit limit for int(): <int:> refuses it; the admin takes it as text.
ENORMOUS = "9" * 5000
ID_FIELDS = ["document", "meeting", "activity", "result", "version", "unit", "indicator", "cycle"]


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _urls_with_ids(number: str) -> list[str]:
    """Every route of the site (the admin too) with ``number`` for each id in it."""
    urls = []
    for route in _routes(get_resolver()):
        # The admin's object pages take the id as <path:object_id>.
        if "<int:" in route or "<path:" in route:
            urls.append("/" + re.sub(r"<(int|path):\w+>", number, route))
    return urls


def test_the_sweep_sees_the_app_and_the_admin() -> None:
    urls = _urls_with_ids(HUGE)
    assert f"/assessments/{HUGE}/" in urls and f"/evidence/documents/{HUGE}/" in urls
    assert f"/admin/indicators/unit/{HUGE}/change/" in urls


@pytest.mark.parametrize("number", [HUGE, "-" + HUGE, ENORMOUS, "abc"])
def test_every_url_with_an_overflowing_id(demo: Assessment, staff: Any, number: str) -> None:
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    data = dict.fromkeys(ID_FIELDS, number)
    failures = []
    for user in (staff, admin):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in _urls_with_ids(number):
            for method in (client.get, client.post):
                status = method(url, data).status_code
                if status >= 500:
                    failures.append((user.username, method.__name__, url[:80], status))
    assert failures == []


def test_id_fields_in_forms_and_queries(demo: Assessment, staff: Any, qa_officer: Any) -> None:
    first = demo.results.get(criterion__order=1)
    item = EvidenceItem.objects.filter(result=first).first()
    assert item is not None
    unit = demo.unit.pk
    as_staff = Client(raise_request_exception=False)
    as_staff.force_login(staff)
    posts = [
        (reverse("evidence:item_add", args=[first.pk]), {"kind": "library", "document": HUGE}),
        (reverse("evidence:item_links", args=[item.pk]), {"meeting": HUGE, "activity": HUGE}),
        (
            reverse("indicators:result_narrative", args=[first.pk]),
            {"narrative": "x", "version": HUGE},
        ),
        (reverse("evidence:activity_add", args=[unit]), {"title": "x", "attendance": HUGE}),
        (reverse("evidence:meeting_add", args=[unit]), {"body": "x", "number": "1/2563"}),
    ]
    for url, data in posts:
        for headers in ({}, {"HX-Request": "true"}):
            assert as_staff.post(url, data, headers=headers).status_code in (200, 302, 404), url
    item.refresh_from_db()
    assert item.meeting_id != int(HUGE) and item.document_id != int(HUGE)

    Assessment.objects.filter(pk=demo.pk).update(status=Assessment.Status.SUBMITTED)
    as_qa = Client(raise_request_exception=False)
    as_qa.force_login(qa_officer)
    comment = as_qa.post(
        reverse("indicators:comment_add", args=[demo.pk]), {"body": "x", "result": HUGE}
    )
    assert comment.status_code in (200, 302, 404)
    for url in [
        reverse("indicators:unit", args=[unit]) + "?cycle=" + HUGE,
        reverse("indicators:history", args=[demo.pk]) + "?result=" + HUGE,
        reverse("indicators:dashboard") + f"?unit={HUGE}&indicator={HUGE}",
        f"/admin/indicators/assessment/?unit__id__exact={HUGE}",
        f"/admin/evidence/evidenceitem/?id__in={HUGE},{HUGE}",
    ]:
        assert as_qa.get(url).status_code in (200, 302, 404), url
