"""A worker killed mid-upload leaves its file in the storage with no row; the orphan
sweep (`check_documents --orphans --delete`) finds it and removes it.

The upload runs as its own `manage.py shell` process (its own SQLite database and
storage, like test_backup.py's instances) so it can really be killed with SIGKILL
after its file is written and before its transaction commits."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 300


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    var, media = tmp_path / "var", tmp_path / "media"
    var.mkdir()
    media.mkdir()
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kmtracker.settings.base",
        "DATABASE_URL": f"sqlite:///{var / 'site.sqlite3'}",
        "KMT_VAR_DIR": str(var),
        "KMT_MEDIA_ROOT": str(media),
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_a_killed_upload_leaves_an_orphan_the_sweep_removes(
    env: dict[str, str], tmp_path: Path
) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    with subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from tests.evidence import killed_upload; killed_upload.upload_and_wait()",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # a traceback shows in the assertion below
        text=True,
    ) as worker:
        try:
            assert worker.stdout is not None
            lines = []
            for line in worker.stdout:  # until the upload says its file is stored, or dies
                lines.append(line)
                if line.startswith("STORED "):
                    break
            assert lines and lines[-1].startswith("STORED "), "".join(lines)
            name = lines[-1].removeprefix("STORED ").strip()
            worker.send_signal(signal.SIGKILL)
            assert worker.wait(timeout=TIMEOUT) == -signal.SIGKILL
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    assert name.startswith("evidence/")
    assert (tmp_path / "media" / name).is_file()
    rows = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from evidence.models import Document; print(Document.objects.count())",
    )
    assert rows.strip() == "0"

    listing = manage(env, "check_documents", "--orphans")
    assert f"ไฟล์ที่ไม่มีรายการใดอ้างอิง: {name}" in listing
    assert "ลบแล้ว 0 คงไว้ 1" in listing  # an hour's grace: it could be an upload in progress

    swept = manage(env, "check_documents", "--orphans", "--delete", "--older-than-minutes", "0")
    assert f"ลบไฟล์ที่ไม่มีรายการใดอ้างอิงแล้ว: {name}" in swept
    assert not (tmp_path / "media" / name).exists()

    again = manage(env, "check_documents", "--orphans", "--delete", "--older-than-minutes", "0")
    assert "ลบแล้ว 0 คงไว้ 0" in again
