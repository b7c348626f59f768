"""Every indicators model has a working, Thai admin: list, search, filters and add pages;
an indicator shows its criteria and a result its evidence."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from indicators.models import AssessmentTransition, ReportJob
from tests.factories import KM_LINK

pytestmark = pytest.mark.django_db


def indicators_models() -> list:
    return [model for model in admin.site._registry if model._meta.app_label == "indicators"]


def test_every_indicators_model_is_registered() -> None:
    for model in apps.get_app_config("indicators").get_models():
        if not model.__name__.startswith("Historical"):
            assert model in admin.site._registry, model


@pytest.mark.parametrize("page", ["changelist", "add"])
def test_admin_pages_open_in_thai(page: str, records, admin_client) -> None:  # type: ignore[no-untyped-def]
    for model in indicators_models():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}")
        params = {"q": "สพ"} if page == "changelist" else {}
        response = admin_client.get(url, params)
        # The workflow log is read-only: nobody adds a transition by hand; report jobs
        # are started from the reports page.
        expected = 403 if page == "add" and model in (AssessmentTransition, ReportJob) else 200
        assert response.status_code == expected, url
        if expected == 200:
            assert str(opts.verbose_name_plural if page == "changelist" else opts.verbose_name) in (
                response.content.decode()
            ), url


def test_indicator_admin_shows_criteria_inline(assessment, admin_client) -> None:  # type: ignore[no-untyped-def]
    url = reverse("admin:indicators_indicator_change", args=[assessment.indicator.pk])
    body = admin_client.get(url).content.decode()
    assert "มีการกำหนดประเด็นความรู้ที่จำเป็น" in body


def test_result_admin_shows_evidence_inline(assessment, admin_client) -> None:  # type: ignore[no-untyped-def]
    result = assessment.results.get(criterion__order=4)
    url = reverse("admin:indicators_criterionresult_change", args=[result.pk])
    body = admin_client.get(url).content.decode()
    assert KM_LINK in body
    assert "หลักฐานเกณฑ์ข้อ 4 ชิ้นที่ 1" in body
