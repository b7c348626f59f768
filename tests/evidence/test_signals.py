"""A document's files (the file and its thumbnail) leave the storage with its row, once
the deletion is committed: on the local disk and on S3."""

from typing import Any

import pytest
from django.core.files.base import ContentFile

from evidence.services.documents import document_store
from tests.factories import UnitFactory, image_bytes
from tests.storages import StoredFiles

pytestmark = pytest.mark.django_db


def test_a_deleted_document_takes_its_files_once_committed(
    file_storage: StoredFiles, django_capture_on_commit_callbacks: Any
) -> None:
    document = document_store(
        unit=UnitFactory(),
        upload=ContentFile(image_bytes(), name="ภาพกิจกรรม.png"),
        content_type="image/png",
        by=None,
    ).document
    names = sorted([document.file.name, document.thumbnail.name])
    assert file_storage.names() == names
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
        assert file_storage.names() == names  # a rollback would still need them
    assert file_storage.names() == []
