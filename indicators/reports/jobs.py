"""Reports of many units, made by the background worker (`manage.py run_worker`).

The page that starts one only writes a ReportJob row and enqueues a task, so
it answers at once; the worker renders, saves the PDF in private storage and
writes its progress on the row, which the job page polls with htmx.

Each write of progress is also a heartbeat (`heartbeat_at`), so a job whose
worker died is noticed and run again (recovery.py). A run stops after
KMT_REPORT_JOB_TIME_LIMIT seconds. Each run owns the row through its attempt
number: a run that was given up on (and started again elsewhere) changes nothing
when it ends, and deletes the file it wrote.
"""

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from indicators.models import Cycle, ReportJob

from . import pdf

logger = logging.getLogger(__name__)


class ReportTimeLimitExceeded(Exception):
    """The run took longer than KMT_REPORT_JOB_TIME_LIMIT seconds."""


def report_job_enqueue(job: ReportJob) -> None:
    """Hands a queued job to the worker; call it inside the transaction that queued it,
    so the row and the task are saved both or neither."""
    run_report_job.enqueue(job_id=job.pk)


def report_job_start(*, kind: str, cycle: Cycle, by: User) -> ReportJob:
    """Records the job and hands it to the worker, both or neither: a job whose
    task failed to enqueue would otherwise wait as "queued" for ever."""
    with transaction.atomic():
        job = ReportJob.objects.create(kind=kind, cycle=cycle, requested_by=by)
        report_job_enqueue(job)
    # With the immediate backend (tests) the job has already run.
    job.refresh_from_db()
    return job


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raises ReportTimeLimitExceeded in the running code after `seconds`, even inside
    one long render. Signals reach only the main thread, which is where the worker
    runs its tasks; elsewhere (the immediate backend in a web thread) the heartbeat
    checks the deadline instead, and the sweep catches what both miss."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise ReportTimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Run:
    """One attempt at a job: every write is conditional on the row still being ours."""

    def __init__(self, job: ReportJob) -> None:
        self.job = job
        self.rows = ReportJob.objects.filter(
            pk=job.pk, status=ReportJob.Status.RUNNING, attempts=job.attempts
        )
        self.deadline = time.monotonic() + settings.KMT_REPORT_JOB_TIME_LIMIT

    def beat(self, percent: int) -> None:
        # An UPDATE, not save(): the polling page sees it at once, and nothing else is touched.
        self.rows.update(progress=max(0, min(100, percent)), heartbeat_at=timezone.now())
        if time.monotonic() > self.deadline:
            raise ReportTimeLimitExceeded
        # Tests only (no setting in base.py): a slow job, to kill its worker mid-way.
        delay = getattr(settings, "KMT_REPORT_JOB_TEST_DELAY", 0)
        if delay:
            time.sleep(delay)

    def render(self) -> pdf.ReportFile:
        if self.job.kind == ReportJob.Kind.UNIVERSITY:
            return pdf.university_report(cycle=self.job.cycle)

        def progress(done: int, total: int) -> None:
            self.beat(5 + 90 * done // max(total, 1))

        return pdf.all_units_report(cycle=self.job.cycle, progress=progress)

    def finish(self, report: pdf.ReportFile) -> None:
        name = self.job.file.storage.save(
            self.job.file.field.generate_filename(self.job, "report.pdf"),
            ContentFile(report.content),
        )
        saved = self.rows.update(
            file=name,
            filename=report.filename,
            status=ReportJob.Status.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
        if not saved:  # given up on meanwhile: leave no file without a row
            self.job.file.storage.delete(name)

    def fail(self, failure: str, error: str) -> None:
        self.rows.update(
            status=ReportJob.Status.FAILED,
            failure=failure,
            error=error[:1000],
            finished_at=timezone.now(),
        )


@task()
def run_report_job(*, job_id: int) -> None:
    now = timezone.now()
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING,
        progress=5,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return  # already run (a task delivered twice does the work once)
    run = _Run(ReportJob.objects.select_related("cycle").get(pk=job_id))
    try:
        with time_limit(settings.KMT_REPORT_JOB_TIME_LIMIT):
            report = run.render()
        run.finish(report)
    except ReportTimeLimitExceeded:
        logger.error("Report job %s stopped after its time limit", job_id)
        run.fail(ReportJob.Failure.TIME_LIMIT, "time limit exceeded")
    except Exception as error:
        # The page shows a plain Thai reason; the details go to the log.
        logger.exception("Report job %s failed", job_id)
        run.fail(ReportJob.Failure.ERROR, f"{type(error).__name__}: {error}")
