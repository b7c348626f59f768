"""The pages that people print from link to the reports they may open."""

import pytest
from django.urls import reverse

from indicators.models import Assessment

pytestmark = pytest.mark.django_db


def test_indicator_page_links_its_pdf(client, demo: Assessment, staff) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    body = client.get(demo.get_absolute_url()).content.decode()
    url = reverse("indicators:assessment_pdf", args=[demo.pk])
    assert url in body
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_unit_page_links_the_annual_sar_and_the_bundle(client, demo: Assessment, staff) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    cycle = demo.indicator.cycle
    body = client.get(reverse("indicators:unit", args=[demo.unit.pk])).content.decode()
    assert reverse("indicators:unit_sar_pdf", args=[demo.unit.pk, cycle.pk]) in body
    assert reverse("evidence:bundle", args=[demo.unit.pk, cycle.pk]) in body


def test_dashboard_links_the_university_report_for_qa_only(  # type: ignore[no-untyped-def]
    client, demo: Assessment, qa_officer, head
) -> None:
    cycle = demo.indicator.cycle
    url = reverse("indicators:university_pdf", args=[cycle.pk])
    client.force_login(qa_officer)
    dashboard = reverse("indicators:dashboard_cycle", args=[cycle.pk])
    assert url in client.get(dashboard).content.decode()
    client.force_login(head)
    body = client.get(reverse("indicators:dashboard_cycle", args=[cycle.pk])).content.decode()
    assert url not in body


def test_pdf_views_offer_thai_distributed_justification(client, demo: Assessment, staff) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    url = reverse("indicators:assessment_pdf", args=[demo.pk])
    assert f"{url}?justify=1" in client.get(demo.get_absolute_url()).content.decode()
    plain = client.get(url).content
    spread = client.get(url, {"justify": "1"}).content
    assert plain.startswith(b"%PDF") and spread.startswith(b"%PDF")
    # Distributed lines move every cluster: the page content grows by about 30 %.
    assert len(spread) > len(plain) * 1.1
