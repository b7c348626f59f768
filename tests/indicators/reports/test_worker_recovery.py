"""A worker killed in the middle of a report: the next worker notices (its sweep before
each task, recovery.py), runs the job again and finishes it, and the job page says so.

Real processes: `manage.py run_worker` on an instance of its own (a temporary SQLite
DATABASE_URL, KMT_VAR_DIR and KMT_MEDIA_ROOT), slowed by a test-only delay between
units (worker_settings.py), killed with SIGKILL once the job is running.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
STALE_SECONDS = 2
# Worker start-up, WeasyPrint's first layout and three slowed units, on a busy machine.
FINISH_WITHIN = 120


class Instance:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = root / "db.sqlite3"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.indicators.reports.worker_settings",
            "DATABASE_URL": f"sqlite:///{self.db}",
            "KMT_VAR_DIR": str(root),
            "KMT_MEDIA_ROOT": str(root / "media"),
            "KMT_REPORT_JOB_STALE_SECONDS": str(STALE_SECONDS),
            "KMT_REPORT_JOB_TEST_DELAY": "1.5",
        }

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def worker(self, log: Path) -> subprocess.Popen[bytes]:
        with log.open("wb") as handle:
            return subprocess.Popen(
                [sys.executable, "manage.py", "run_worker", "--interval", "0.5"],
                cwd=REPO,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )

    def job_row(self, job_id: int) -> tuple[str, int, int]:
        """Read straight from the file, so the test holds no Django connection to it."""
        with sqlite3.connect(self.db, timeout=20) as connection:
            row = connection.execute(
                "SELECT status, progress, attempts FROM indicators_reportjob WHERE id = ?",
                (job_id,),
            ).fetchone()
        return row[0], row[1], row[2]


def wait_for(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds}s: {what}")
        time.sleep(0.2)


def test_a_job_whose_worker_was_killed_is_run_again_and_finished(tmp_path: Path) -> None:
    site = Instance(tmp_path)
    site.manage("migrate", "-v0")
    out = tmp_path / "build.json"
    site.manage(
        "shell",
        "-c",
        f"from tests.indicators.reports import worker_world as w; w.build({str(out)!r})",
    )
    job_id = json.loads(out.read_text(encoding="utf-8"))["job"]

    first = site.worker(tmp_path / "worker1.log")
    try:
        # Running, one unit rendered, two to go: the worker is in the middle of the job.
        wait_for(lambda: site.job_row(job_id)[1] > 5, FINISH_WITHIN, "the job under way")
        # It runs below the web server's CPU priority (KMT_WORKER_NICE, 19 by default).
        assert os.getpriority(os.PRIO_PROCESS, first.pid) == min(19, os.nice(0) + 19)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    status, progress, attempts = site.job_row(job_id)
    assert (status, attempts) == ("running", 1) and progress < 100

    second = site.worker(tmp_path / "worker2.log")
    try:
        wait_for(
            lambda: site.job_row(job_id)[0] in ("done", "failed"),
            FINISH_WITHIN,
            "the job finished by the second worker",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    out = tmp_path / "page.json"
    site.manage(
        "shell",
        "-c",
        f"from tests.indicators.reports import worker_world as w; w.page({job_id}, {str(out)!r})",
    )
    seen = json.loads(out.read_text(encoding="utf-8"))
    log = (tmp_path / "worker2.log").read_text(encoding="utf-8")
    assert (seen["status"], seen["attempts"]) == ("done", 2), log
    assert seen["file_exists"]
    assert "สร้างรายงานเสร็จแล้ว" in seen["page"] and "ดาวน์โหลด PDF" in seen["page"]
    assert "สั่งใหม่ 1" in log  # the second worker's sweep said what it did
