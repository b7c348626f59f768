"""/healthz: 200 "ok" when the database and the file storage work, else 503 naming
what is down; no login, and no error text in the answer."""

import logging
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


def test_ok_without_login_and_leaves_no_file(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n" and response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert not list(Path(settings.MEDIA_ROOT, "healthz").glob("*"))
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_storage_down(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    error = PermissionError(13, "Permission denied: '/srv/secret/media'")
    with mock.patch.object(default_storage, "save", side_effect=error):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: storage\n"
    assert "kmtracker.health" in [r.name for r in caplog.records if r.levelno >= logging.ERROR]


def test_storage_gives_back_other_bytes(client: Client) -> None:
    with mock.patch.object(default_storage, "open", return_value=mock.mock_open(read_data=b"x")()):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"unavailable: storage\n"


def test_database_down(client: Client) -> None:
    error = OperationalError('connection to server at "db.internal" failed: password rejected')
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=error):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: database\n"  # the host and error stay in the log
