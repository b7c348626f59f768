"""A ``next`` that is not a local path is ignored: the write is answered with a redirect
to the default page, never with a 500 after the write was committed."""

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from evidence.models import Activity, EvidenceItem
from indicators.http import safe_next_url
from indicators.models import Assessment

pytestmark = pytest.mark.django_db

UNSAFE = [
    "abc",  # not a path: redirect() took it for a URL name and raised NoReverseMatch
    "abc/def",
    "./here",
    "../up",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http://testserver/same-host-but-absolute/",
    " /leading-space/",
    "/line\nbreak/",
]


@pytest.mark.parametrize("target", UNSAFE)
def test_unsafe_next_is_ignored(target: str) -> None:
    request = RequestFactory().post("/", {"next": target})
    assert safe_next_url(request) == ""


@pytest.mark.parametrize("target", ["/", "/assessments/1/review/?tab=2#item-3", "/ไทย/"])
def test_local_path_is_kept(target: str) -> None:
    request = RequestFactory().get("/", {"next": target})
    assert safe_next_url(request) == target


@pytest.fixture
def item(demo: Assessment) -> EvidenceItem:
    return EvidenceItem.objects.filter(result__assessment=demo).order_by("result", "position")[0]


@pytest.mark.parametrize("target", UNSAFE)
def test_item_links_write_then_default_page(
    demo: Assessment, staff: Any, item: EvidenceItem, target: str
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    activity = Activity.objects.filter(unit=demo.unit).first()
    url = reverse("evidence:item_links", args=[item.pk])
    response = client.post(url, {"activity": activity.pk, "next": target})
    assert response.status_code == 302 and response["Location"] == url
    item.refresh_from_db()
    assert item.activity == activity


@pytest.mark.parametrize("target", UNSAFE)
def test_review_write_then_default_page(
    demo: Assessment, qa_officer: Any, item: EvidenceItem, target: str
) -> None:
    Assessment.objects.filter(pk=demo.pk).update(status=Assessment.Status.SUBMITTED)
    client = Client(raise_request_exception=False)
    client.force_login(qa_officer)
    response = client.post(
        reverse("indicators:review_item", args=[item.pk]), {"status": "accepted", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:review", args=[demo.pk])
    item.refresh_from_db()
    assert item.review_status == EvidenceItem.Review.ACCEPTED
