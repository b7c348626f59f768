"""Every report and evidence bundle is made by the background worker (`manage.py run_worker`).

No PDF or ZIP is made inside a web request: one long narrative, or one unit with
gigabytes of evidence, must not hold a web worker. The page that asks for one only
writes a ReportJob row and enqueues a task, so it answers at once; the worker
renders, saves the file in private storage and writes its progress on the row,
which the job page polls with htmx (and opens the PDF when it is ready).

Each write of progress is also a heartbeat (`heartbeat_at`), so a job whose
worker died is noticed and run again (recovery.py). A run stops after
KMT_REPORT_JOB_TIME_LIMIT seconds. Each run owns the row through its attempt
number: a run that was given up on (and started again elsewhere) changes nothing
when it ends, and deletes the file it wrote.
"""

import logging
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from evidence.bundle import bundle_filename, iter_bundle
from indicators.models import Assessment, Cycle, ReportJob, Unit

from . import assembly, committee_word, pdf, word, xlsx
from .freshness import job_data_digest

logger = logging.getLogger(__name__)


class ReportTimeLimitExceeded(Exception):
    """The run took longer than KMT_REPORT_JOB_TIME_LIMIT seconds."""


def report_job_enqueue(job: ReportJob) -> None:
    """Hands a queued job to the worker; call it inside the transaction that queued it,
    so the row and the task are saved both or neither."""
    run_report_job.enqueue(job_id=job.pk)


def report_job_start(
    *,
    kind: str,
    cycle: Cycle,
    by: User,
    unit: Unit | None = None,
    assessment: Assessment | None = None,
    justify: bool = False,
) -> ReportJob:
    """Records the job and hands it to the worker, both or neither: a job whose
    task failed to enqueue would otherwise wait as "queued" for ever.

    The same report asked for again by the same person while it is still being made
    is that job, not a second one: clicking "print" ten times queues one render.
    """
    if assessment is not None:
        unit = assessment.unit
    target = {
        "kind": kind,
        "cycle": cycle,
        "unit": unit,
        "assessment": assessment,
        "justify": justify,
        "requested_by": by,
    }
    with transaction.atomic():
        waiting = ReportJob.objects.filter(
            **target, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]
        ).first()
        if waiting is not None:
            return waiting
        job = ReportJob.objects.create(**target)
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


class Made(NamedTuple):
    """A finished report: its download name and its content, to be saved."""

    filename: str
    content: File


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

    def progress(self, done: int, total: int) -> None:
        self.beat(5 + 90 * done // max(total, 1))

    def render(self) -> "Made":
        job, kind = self.job, ReportJob.Kind
        if job.kind == kind.BUNDLE:
            return self.bundle()
        if job.kind == kind.UNIVERSITY:
            report = pdf.university_report(cycle=job.cycle, justify=job.justify)
        elif job.kind == kind.UNIVERSITY_XLSX:
            report = xlsx.university_xlsx_report(cycle=job.cycle)
        elif job.kind == kind.ALL_UNITS:
            report = pdf.all_units_report(
                cycle=job.cycle, progress=self.progress, justify=job.justify
            )
        elif job.kind in (kind.COMMITTEE, kind.COMMITTEE_DOCX):
            assert job.unit is not None  # a database constraint
            if job.kind == kind.COMMITTEE_DOCX:
                report = committee_word.committee_docx_report(unit=job.unit, cycle=job.cycle)
            else:
                report = pdf.committee_report(unit=job.unit, cycle=job.cycle, justify=job.justify)
        elif job.kind in (kind.UNIT_SAR, kind.UNIT_SAR_DOCX):
            assert job.unit is not None  # a database constraint
            if job.kind == kind.UNIT_SAR_DOCX:
                report = word.unit_sar_docx_report(unit=job.unit, cycle=job.cycle)
            else:
                report = assembly.unit_sar_report(
                    unit=job.unit, cycle=job.cycle, justify=job.justify
                )
        else:
            assert job.assessment is not None  # a database constraint
            if job.kind == kind.INDICATOR_DOCX:
                report = word.indicator_docx_report(assessment=job.assessment)
            else:
                report = pdf.indicator_report(assessment=job.assessment, justify=job.justify)
        return Made(report.filename, ContentFile(report.content))

    def bundle(self) -> "Made":
        """The ZIP is streamed into a temporary file, never held in memory whole."""
        assert self.job.unit is not None  # a database constraint
        unit, cycle = self.job.unit, self.job.cycle
        # Closed by finish() once saved; closed here if the bundle fails half-way.
        spool = tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR)  # noqa: SIM115
        try:
            for chunk in iter_bundle(unit=unit, cycle=cycle, progress=self.progress):
                spool.write(chunk)
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return Made(bundle_filename(unit=unit, cycle=cycle), File(spool))

    def finish(self, made: "Made") -> None:
        with made.content:
            name = self.job.file.storage.save(
                self.job.file.field.generate_filename(self.job, f"report{self.job.suffix}"),
                made.content,
            )
        saved = self.rows.update(
            file=name,
            filename=made.filename,
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
    run = _Run(ReportJob.objects.select_related("cycle", "unit", "assessment").get(pk=job_id))
    # What the report shows as it begins: the job page compares it with the data
    # (without it, the page goes by the rows' times: never a reason to fail).
    try:
        digest = job_data_digest(run.job)
    except Exception:
        logger.exception("Report job %s: the data's digest could not be made", job_id)
        digest = ""
    if digest:
        ReportJob.objects.filter(pk=job_id).update(data_digest=digest)
    try:
        with time_limit(settings.KMT_REPORT_JOB_TIME_LIMIT):
            made = run.render()
        run.finish(made)
    except ReportTimeLimitExceeded:
        logger.error("Report job %s stopped after its time limit", job_id)
        run.fail(ReportJob.Failure.TIME_LIMIT, "time limit exceeded")
    except Exception as error:
        # The page shows a plain Thai reason; the details go to the log.
        logger.exception("Report job %s failed", job_id)
        run.fail(ReportJob.Failure.ERROR, f"{type(error).__name__}: {error}")
