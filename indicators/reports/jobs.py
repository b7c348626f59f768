"""Reports of many units, made by the background worker (`manage.py db_worker`).

The page that starts one only writes a ReportJob row and enqueues a task, so
it answers at once; the worker renders, saves the PDF in private storage and
writes its progress on the row, which the job page polls with htmx.
"""

import logging

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from indicators.models import Cycle, ReportJob

from . import pdf

logger = logging.getLogger(__name__)


def report_job_start(*, kind: str, cycle: Cycle, by: User) -> ReportJob:
    """Records the job and hands it to the worker, both or neither: a job whose
    task failed to enqueue would otherwise wait as "queued" for ever."""
    with transaction.atomic():
        job = ReportJob.objects.create(kind=kind, cycle=cycle, requested_by=by)
        run_report_job.enqueue(job_id=job.pk)
    # With the immediate backend (tests) the job has already run.
    job.refresh_from_db()
    return job


def _set_progress(job_id: int, percent: int) -> None:
    # An UPDATE, not save(): the polling page sees it at once, and nothing else is touched.
    ReportJob.objects.filter(pk=job_id).update(progress=max(0, min(100, percent)))


@task()
def run_report_job(*, job_id: int) -> None:
    job = ReportJob.objects.select_related("cycle").get(pk=job_id)
    if job.status != ReportJob.Status.QUEUED:
        return  # already run (a task delivered twice does the work once)
    ReportJob.objects.filter(pk=job_id).update(status=ReportJob.Status.RUNNING, progress=5)
    try:
        if job.kind == ReportJob.Kind.UNIVERSITY:
            report = pdf.university_report(cycle=job.cycle)
        else:

            def progress(done: int, total: int) -> None:
                _set_progress(job_id, 5 + 90 * done // max(total, 1))

            report = pdf.all_units_report(cycle=job.cycle, progress=progress)
        job.refresh_from_db()
        job.file.save("report.pdf", ContentFile(report.content), save=False)
        job.filename = report.filename
        job.status = ReportJob.Status.DONE
        job.progress = 100
    except Exception as error:
        # The page shows a plain Thai message; the details go to the log.
        logger.exception("Report job %s failed", job_id)
        job.refresh_from_db()
        job.status = ReportJob.Status.FAILED
        job.error = f"{type(error).__name__}: {error}"[:1000]
    job.finished_at = timezone.now()
    job.save()
