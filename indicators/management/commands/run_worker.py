import os
import socket
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.management.commands.db_worker import Worker

from indicators.reports.recovery import report_jobs_recover

from .recover_jobs import recovery_summary


class Command(BaseCommand):
    help = (
        "The background worker: django-tasks' db_worker, one task at a time, with a sweep "
        "for report jobs whose worker died (recover_jobs) at start-up and before each task."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at the queue"
        )
        parser.add_argument("--queue-name", default="default")
        parser.add_argument(
            "--nice",
            type=int,
            default=settings.KMT_WORKER_NICE,
            help="how much lower than the web server's the worker's CPU priority is "
            "(0 to 19; default KMT_WORKER_NICE, 19), so pages stay fast while reports render",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Reports take what CPU the web server leaves; the processes that lay SAR
        # sections out side by side inherit it.
        if options["nice"] > 0:
            os.nice(options["nice"])
        # One id for this process, so the task results (admin) show which worker ran what.
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[-64:]
        self.stdout.write(f"worker {worker_id} started", ending="\n")
        while True:
            recovery = report_jobs_recover()
            if recovery.requeued or recovery.failed:
                self.stdout.write(recovery_summary(recovery))
                self.stdout.flush()
            # db_worker's own loop never looks up from its queue; batch with max_tasks=1
            # hands control back after at most one task so the sweep runs between them.
            # Its signal handling stays: SIGTERM lets the running task finish, then stops.
            worker = Worker(
                queue_names=[options["queue_name"]],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=1,
                worker_id=worker_id,
                excluded_queue_names=[],
            )
            worker.configure_signals()
            worker.run()
            if not worker.running:
                return
            time.sleep(options["interval"])
