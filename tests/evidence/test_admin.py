"""Every evidence model has a working, Thai admin: list, search and add pages."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.factories import UnitRecords

pytestmark = pytest.mark.django_db


def test_every_evidence_model_is_registered() -> None:
    for model in apps.get_app_config("evidence").get_models():
        if not model.__name__.startswith("Historical"):
            assert model in admin.site._registry, model


@pytest.mark.parametrize("page", ["changelist", "add"])
def test_admin_pages_open_in_thai(page: str, records: UnitRecords, admin_client: Client) -> None:
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label != "evidence":
            continue
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}")
        response = admin_client.get(url, {"q": "สพ"} if page == "changelist" else {})
        assert response.status_code == 200, url
        title = opts.verbose_name_plural if page == "changelist" else opts.verbose_name
        assert str(title) in response.content.decode(), url
