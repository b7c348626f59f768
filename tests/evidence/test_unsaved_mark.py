"""A narrative refused because the assessment was submitted meanwhile comes back
marked unsaved (data-kmt-unsaved), so kmtracker.js keeps warning before leaving."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Assessment, CriterionResult
from indicators.views import assessments as indicator_views

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_locked_narrative_reply_keeps_text_marked_unsaved(
    client: Client, staff: Any, demo: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    result: CriterionResult = demo.results.get(criterion__order=1)
    original = indicator_views.get_criterion_result_for_user

    def load_then_submit(*args: Any, **kwargs: Any) -> CriterionResult:
        loaded = original(*args, **kwargs)
        Assessment.objects.filter(pk=demo.pk).update(status=Assessment.Status.SUBMITTED)
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
    client: Client, staff: Any, demo: Assessment
) -> None:
    result: CriterionResult = demo.results.get(criterion__order=1)
    client.force_login(staff)
    data = {"narrative": "บันทึกแล้วจริง", "version": result.version}
    url = reverse("indicators:result_narrative", args=[result.pk])
    html = client.post(url, data, headers=HTMX).content.decode()
    assert "บันทึกแล้ว" in html and "data-kmt-unsaved" not in html
