"""A report job's file leaves the storage with its row, once the deletion is committed:
on the local disk and on S3."""

from typing import Any

import pytest
from django.core.files.base import ContentFile

from indicators.models import ReportJob
from tests.factories import CycleFactory, pdf_bytes
from tests.storages import StoredFiles

pytestmark = pytest.mark.django_db


def test_a_deleted_report_job_takes_its_file_once_committed(
    file_storage: StoredFiles, django_capture_on_commit_callbacks: Any
) -> None:
    job = ReportJob.objects.create(kind=ReportJob.Kind.UNIVERSITY, cycle=CycleFactory())
    job.file.save("report.pdf", ContentFile(pdf_bytes("รายงาน")))
    assert file_storage.names() == [job.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        job.delete()
        assert file_storage.names() == [job.file.name]
    assert file_storage.names() == []
