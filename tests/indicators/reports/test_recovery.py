"""Lost report jobs (recovery.py): run again a bounded number of times, then failed with
a Thai reason on the job page and a button to try again; the per-job time limit."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators.models import Assessment, ReportJob
from indicators.reports.recovery import report_jobs_recover

pytestmark = pytest.mark.django_db


def lost_job(assessment: Assessment, requester: object, *, attempts: int) -> ReportJob:
    """A job left running by a worker that stopped beating ten minutes ago."""
    long_ago = timezone.now() - timedelta(minutes=10)
    return ReportJob.objects.create(
        kind=ReportJob.Kind.ALL_UNITS,
        cycle=assessment.indicator.cycle,
        requested_by=requester,
        status=ReportJob.Status.RUNNING,
        progress=40,
        attempts=attempts,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )


def test_a_lost_job_is_run_again(assessment: Assessment, qa_officer: object) -> None:
    job = lost_job(assessment, qa_officer, attempts=1)
    recovery = report_jobs_recover()
    assert recovery.requeued == [job.pk] and not recovery.failed
    job.refresh_from_db()  # the immediate backend (tests) has run it again at once
    assert (job.status, job.attempts, job.progress) == (ReportJob.Status.DONE, 2, 100)


def test_a_job_heard_from_recently_is_left_alone(
    assessment: Assessment, qa_officer: object
) -> None:
    job = lost_job(assessment, qa_officer, attempts=1)
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert report_jobs_recover().requeued == []
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING and not job.is_stalled


def test_after_its_retries_a_lost_job_fails_with_a_thai_reason_and_can_be_asked_again(
    client: Client, assessment: Assessment, qa_officer: object, staff: object, outsider: object
) -> None:
    job = lost_job(assessment, qa_officer, attempts=3)  # the first run and two retries
    call_command("recover_jobs", stdout=StringIO())
    job.refresh_from_db()
    assert (job.status, job.failure) == (ReportJob.Status.FAILED, ReportJob.Failure.WORKER_LOST)
    retry = reverse("indicators:report_job_retry", args=[job.pk])
    for other in (staff, outsider):
        client.force_login(other)
        assert client.post(retry).status_code in (403, 404)
    client.force_login(qa_officer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "ตัวประมวลผลเบื้องหลังหยุดทำงานระหว่างสร้างรายงาน" in page and retry in page
    assert client.get(retry).status_code == 405
    response = client.post(retry)
    again = ReportJob.objects.exclude(pk=job.pk).get()
    assert response.url == again.get_absolute_url()
    assert (again.kind, again.status, again.requested_by) == (job.kind, "done", qa_officer)


def test_a_stalled_job_says_so_while_it_waits_for_the_sweep(
    client: Client, assessment: Assessment, qa_officer: object
) -> None:
    job = lost_job(assessment, qa_officer, attempts=1)
    client.force_login(qa_officer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "ไม่ได้แจ้งความคืบหน้ามาระยะหนึ่งแล้ว" in page and "40%" in page


def test_a_job_past_its_time_limit_fails_with_a_thai_reason(
    client: Client, assessment: Assessment, qa_officer: object, settings: Any
) -> None:
    settings.KMT_REPORT_JOB_TIME_LIMIT = 1
    settings.KMT_REPORT_JOB_TEST_DELAY = 3  # the alarm goes off while it sleeps
    client.force_login(qa_officer)
    url = reverse("indicators:university_pdf", args=[assessment.indicator.cycle_id])
    client.post(url, {"kind": ReportJob.Kind.ALL_UNITS})
    job = ReportJob.objects.get()
    assert (job.status, job.failure) == (ReportJob.Status.FAILED, ReportJob.Failure.TIME_LIMIT)
    assert not job.file
    assert "สร้างรายงานนานเกินเวลาที่กำหนด" in client.get(job.get_absolute_url()).content.decode()


def test_a_lost_job_past_its_time_limit_is_not_run_again(
    assessment: Assessment, qa_officer: object, settings: Any
) -> None:
    settings.KMT_REPORT_JOB_TIME_LIMIT = 60
    job = lost_job(assessment, qa_officer, attempts=1)
    assert report_jobs_recover().failed == [job.pk]
    job.refresh_from_db()
    assert job.failure == ReportJob.Failure.TIME_LIMIT
