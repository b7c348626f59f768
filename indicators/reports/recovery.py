"""Report jobs whose worker died: noticed, run again a few times, then failed in Thai.

django-tasks' database backend has no heartbeats, time limits or retries: a
worker killed mid-task leaves its task "running" for ever. So the job keeps its
own heartbeat (jobs.py) and this sweep, run by the worker before each task
(`manage.py run_worker`) and from cron (`manage.py recover_jobs`), looks for
running jobs not heard from for KMT_REPORT_JOB_STALE_SECONDS, or running for
longer than the time limit allows. Each is queued again with a fresh task, at most
KMT_REPORT_JOB_RETRIES times, then marked failed with the reason the page shows.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from indicators.models import ReportJob

from .jobs import report_job_enqueue

logger = logging.getLogger(__name__)


@dataclass
class Recovery:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def lost_report_jobs(*, now: datetime) -> "list[ReportJob]":
    stale = now - timedelta(seconds=settings.KMT_REPORT_JOB_STALE_SECONDS)
    # A worker stuck in one render still beats nowhere, but a hung one that somehow
    # beats is caught by the time limit, with the staleness allowance on top.
    overdue = stale - timedelta(seconds=settings.KMT_REPORT_JOB_TIME_LIMIT)
    return list(
        ReportJob.objects.filter(status=ReportJob.Status.RUNNING)
        .filter(
            Q(heartbeat_at__lt=stale)
            | Q(heartbeat_at__isnull=True, created_at__lt=stale)
            | Q(started_at__lt=overdue)
        )
        .order_by("pk")
    )


def report_jobs_recover(*, now: datetime | None = None) -> Recovery:
    """Queues lost jobs again, or fails them when they have had their retries."""
    now = now or timezone.now()
    overdue = now - timedelta(
        seconds=settings.KMT_REPORT_JOB_STALE_SECONDS + settings.KMT_REPORT_JOB_TIME_LIMIT
    )
    result = Recovery()
    for job in lost_report_jobs(now=now):
        # Conditional on what we read: a worker that beat meanwhile keeps its job.
        rows = ReportJob.objects.filter(
            pk=job.pk,
            status=ReportJob.Status.RUNNING,
            attempts=job.attempts,
            heartbeat_at=job.heartbeat_at,
        )
        timed_out = job.started_at is not None and job.started_at < overdue
        if job.attempts <= settings.KMT_REPORT_JOB_RETRIES and not timed_out:
            with transaction.atomic():
                if rows.update(status=ReportJob.Status.QUEUED, progress=0, heartbeat_at=None):
                    report_job_enqueue(job)
                    result.requeued.append(job.pk)
                    logger.warning("Report job %s lost its worker; queued again", job.pk)
            continue
        failure = ReportJob.Failure.TIME_LIMIT if timed_out else ReportJob.Failure.WORKER_LOST
        if rows.update(
            status=ReportJob.Status.FAILED,
            failure=failure,
            error=f"{failure.value} after {job.attempts} attempts",
            finished_at=now,
        ):
            result.failed.append(job.pk)
            logger.error("Report job %s failed (%s), try %s", job.pk, failure, job.attempts)
    return result
