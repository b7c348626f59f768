"""Benchmark of bounded work per request: every page and button of one indicator whose
free text is at the longest the app accepts, and a 1 MB narrative sent anyway.

Run from the checkout:  .venv/bin/python bench/bounded.py  [--versions 20] [--repeat 3]

It builds a throwaway SQLite database in a temporary folder with the demo, then fills
the demo indicator to its limits (indicators/limits.py): every criterion's narrative at
the longest length allowed, made of the same Thai words over and over (the case that
made a quadratic diff take minutes), saved ``--versions`` times each at a different
place; every evidence caption, the strengths and the improvements at their limits. It
times, through Django's test client with the app's own settings (the real task queue,
so the report buttons only record a job), every page of that indicator as staff and as
a QA officer, a save of a maximum-length narrative, a 1 MB narrative (refused), and each
report button; then, outside any request, what the worker spends on the indicator PDF
and the unit's annual SAR. The figures go in docs/BENCHMARKS-bounded.md by hand.
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="kmt-bench-bounded-"))
os.environ["KMT_VAR_DIR"] = str(WORK)
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmtracker.settings.base")
os.environ["DJANGO_LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from evidence.models import EvidenceItem  # noqa: E402
from indicators import limits  # noqa: E402
from indicators.demo import load_demo  # noqa: E402
from indicators.models import Assessment, ReportJob  # noqa: E402
from indicators.reports import pdf  # noqa: E402

WORDS = "มีการกำหนดประเด็นความรู้ที่จำเป็น การจัดการความรู้ "
EDITS = ("สำนักพิมพ์", "ทักษะ", "แลกเปลี่ยนเรียนรู้", "ยุทธศาสตร์")


def longest(limit: int, version: int = 0) -> str:
    """Text of exactly ``limit`` characters of repeated words, with a word put in at a
    place that moves with the version (so each version differs from the one before)."""
    base = WORDS * (limit // len(WORDS) + 1)
    at = (version * 997) % max(limit - 100, 1)
    return (base[:at] + EDITS[version % len(EDITS)] + base[at:])[:limit]


def fill_to_the_limits(assessment: Assessment, versions: int) -> None:
    for result in assessment.results.all():
        for version in range(versions):
            result.narrative = longest(limits.NARRATIVE, version + result.pk)
            result.full_clean()
            result.save()
    for item in EvidenceItem.objects.filter(result__assessment=assessment):
        item.caption = longest(limits.CAPTION, item.pk)
        item.save()
    assessment.strengths = longest(limits.SUMMARY, 1)
    assessment.improvements = longest(limits.SUMMARY, 2)
    assessment.full_clean()
    assessment.save()


def timed(call: Callable[[], HttpResponse], repeat: int) -> tuple[list[float], HttpResponse]:
    times, response = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        times.append(time.perf_counter() - start)
    assert response is not None
    return times, response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    try:
        call_command("migrate", verbosity=0)
        assessment = load_demo().assessment
        fill_to_the_limits(assessment, args.versions)
        unit, cycle = assessment.unit, assessment.indicator.cycle
        result = assessment.results.order_by("criterion__order").first()
        assert result is not None
        staff = Client(HTTP_HOST="localhost")
        staff.force_login(User.objects.get(username="staff"))
        qa = Client(HTTP_HOST="localhost")
        qa.force_login(User.objects.get(username="qa"))

        def save(text: str) -> Callable[[], HttpResponse]:
            def post() -> HttpResponse:
                result.refresh_from_db()
                data = {"narrative": text, "version": str(result.version)}
                url = reverse("indicators:result_narrative", args=[result.pk])
                return staff.post(url, data, headers={"HX-Request": "true"})

            return post

        def post(client: Client, url: str) -> Callable[[], HttpResponse]:
            return lambda: client.post(url)

        def get(client: Client, url: str) -> Callable[[], HttpResponse]:
            return lambda: client.get(url)

        rows: list[tuple[str, Callable[[], HttpResponse], int]] = [
            ("my work (staff)", get(staff, reverse("home")), 200),
            ("unit page", get(staff, reverse("indicators:unit", args=[unit.pk])), 200),
            ("indicator page", get(staff, assessment.get_absolute_url()), 200),
            (
                f"history page ({args.versions} versions of each narrative)",
                get(staff, reverse("indicators:history", args=[assessment.pk])),
                200,
            ),
            ("review page (QA)", get(qa, reverse("indicators:review", args=[assessment.pk])), 200),
            ("dashboard (QA)", get(qa, reverse("indicators:dashboard")), 200),
            (
                f"save a {limits.NARRATIVE:,}-character narrative",
                save(longest(limits.NARRATIVE, 99)),
                200,
            ),
            ("save a 1,000,000-character narrative (refused)", save(longest(1_000_000, 7)), 200),
            (
                "print the indicator (records a job)",
                post(staff, reverse("indicators:assessment_pdf", args=[assessment.pk])),
                302,
            ),
            (
                "print the annual SAR (records a job)",
                post(staff, reverse("indicators:unit_sar_pdf", args=[unit.pk, cycle.pk])),
                302,
            ),
            (
                "evidence ZIP (records a job)",
                post(staff, reverse("indicators:unit_bundle", args=[unit.pk, cycle.pk])),
                302,
            ),
        ]
        print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
        print(f"tasks backend: {settings.TASKS['default']['BACKEND']}")
        print()
        print(f"| request | status | HTML | first | median of {args.repeat} | max |")
        print("|---|---|---|---|---|---|")
        slowest = 0.0
        for name, call, expected in rows:
            times, response = timed(call, args.repeat)
            assert response.status_code == expected, (name, response.status_code)
            size = f"{len(response.content) / 1024:,.0f} KiB" if not response.streaming else ""
            slowest = max(slowest, *times)
            print(
                f"| {name} | {response.status_code} | {size} | {times[0]:.3f} s | "
                f"{statistics.median(times):.3f} s | {max(times):.3f} s |"
            )
        refused = save(longest(1_000_000, 8))().content.decode()
        assert "ข้อความยาวเกินกำหนด" in refused, "the 1 MB narrative was not refused"
        print()
        print(f"slowest request: {slowest:.3f} s")
        print(f"report jobs recorded (none rendered in a request): {ReportJob.objects.count()}")
        print()
        print("In the worker, outside any request:")
        for name, render in (
            ("indicator PDF", lambda: pdf.indicator_report(assessment=assessment)),
            ("annual SAR PDF", lambda: pdf.unit_sar_report(unit=unit, cycle=cycle)),
        ):
            start = time.perf_counter()
            report = render()
            seconds, size = time.perf_counter() - start, len(report.content) / 1024
            print(f"- {name}: {seconds:.2f} s, {size:,.0f} KiB")
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
