"""A small site for the worker tests, built and read inside `manage.py shell -c`
of an instance with its own database (see test_worker_recovery.py)."""

import json
from pathlib import Path

from django.test import Client

from indicators.models import ReportJob
from indicators.reports.jobs import report_job_start
from tests.factories import AssessmentFactory, QAOfficerFactory, UnitFactory, sar_assessment


def build(out: str) -> None:
    """Three units in one cycle and an all-units report job queued for the worker."""
    first = sar_assessment(unit=UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ"))
    for name in ("สำนักบรรณสารสนเทศ", "สำนักทะเบียนและวัดผล"):
        AssessmentFactory(indicator=first.indicator, unit=UnitFactory(name=name))
    qa = QAOfficerFactory(username="bob")
    job = report_job_start(kind=ReportJob.Kind.ALL_UNITS, cycle=first.indicator.cycle, by=qa)
    Path(out).write_text(json.dumps({"job": job.pk}), encoding="utf-8")


def page(job_id: int, out: str) -> None:
    """The job page as its requester sees it, and the row behind it."""
    job = ReportJob.objects.get(pk=job_id)
    client = Client()
    client.force_login(job.requested_by)
    response = client.get(job.get_absolute_url())
    data = {
        "status": job.status,
        "failure": job.failure,
        "attempts": job.attempts,
        "file_exists": bool(job.file) and job.file.storage.exists(job.file.name),
        "page": response.content.decode(),
    }
    Path(out).write_text(json.dumps(data), encoding="utf-8")
