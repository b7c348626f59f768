"""Benchmark of the history page on the worst narrative the app accepts.

Run from the checkout:  .venv/bin/python bench/history.py  [--versions 20] [--repeat 5]

It builds a throwaway SQLite database in a temporary folder with the demo, gives one
criterion ``--versions`` versions of a narrative of the longest length allowed
(indicators.limits.NARRATIVE) made of the same Thai words over and over (the case that
made a quadratic diff take minutes), each version changed at a different place, then
renders the assessment's history page through Django's test client and prints the
times. The figures go in docs/BENCHMARKS-history.md by hand.
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="kmt-bench-history-"))
os.environ["KMT_VAR_DIR"] = str(WORK)
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmtracker.settings.base")
os.environ["DJANGO_LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from indicators import limits  # noqa: E402
from indicators.demo import load_demo  # noqa: E402

WORDS = "มีการกำหนดประเด็นความรู้ที่จำเป็น การจัดการความรู้ "
EDITS = ("สำนักพิมพ์", "ทักษะ", "แลกเปลี่ยนเรียนรู้", "ยุทธศาสตร์")


def repeated_narrative(version: int) -> str:
    """The longest narrative allowed, the same words repeated, with a word put in at a
    place that moves with the version (so each version differs from the one before)."""
    base = WORDS * (limits.NARRATIVE // len(WORDS) + 1)
    at = (version * 997) % (limits.NARRATIVE - 100)
    text = base[:at] + EDITS[version % len(EDITS)] + base[at:]
    return text[: limits.NARRATIVE]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    try:
        call_command("migrate", verbosity=0)
        assessment = load_demo().assessment
        staff = User.objects.get(username="staff")
        result = assessment.results.order_by("criterion__order").first()
        assert result is not None
        for version in range(args.versions):
            result.narrative = repeated_narrative(version)
            result.full_clean()
            result.save()
        client = Client(HTTP_HOST="localhost")
        client.force_login(staff)
        url = reverse("indicators:history", args=[assessment.pk])
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        html = response.content.decode()
        print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
        print(
            f"history page, {args.versions} versions of a {limits.NARRATIVE:,}-character "
            f"narrative of repeated words: {len(html) / 1024:,.0f} KiB of HTML, "
            f"{html.count('<ins>')} insertions marked"
        )
        print(
            f"first {times[0]:.3f} s, median {statistics.median(times):.3f} s, "
            f"max {max(times):.3f} s over {args.repeat} renders"
        )
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
