"""Benchmark of the SAR PDF renderer against plain WeasyPrint on the same HTML.

Run from the checkout:  .venv/bin/python bench/run.py  [--repeat 3] [--leak-runs 40]

It builds a throwaway SQLite database in a temporary folder (the demo, plus
generated units with 10 and 100 indicators made of the seed's own criteria,
narratives and captions), renders the project's PDFs (text-layer fix + locked-down
URL fetcher) and the very same HTML with plain WeasyPrint (no fix, fonts and
stylesheet read from file:// by WeasyPrint's own fetcher), and writes
docs/BENCHMARKS-pdf.md. The figure that matters is the ratio: the project's overhead.
"""

import argparse
import gc
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="kmt-bench-"))
os.environ["KMT_VAR_DIR"] = str(WORK)
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmtracker.settings.base")
os.environ["DJANGO_LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

import pydyf  # noqa: E402
import pypdf  # noqa: E402
import weasyprint  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402

from evidence.models import EvidenceItem  # noqa: E402
from indicators.demo import load_demo  # noqa: E402
from indicators.models import (  # noqa: E402
    Assessment,
    Criterion,
    CriterionResult,
    Cycle,
    Indicator,
    Unit,
)
from indicators.reports import pdf  # noqa: E402
from indicators.reports.weasyprint import textlayer  # noqa: E402

STYLESHEET = "css/sar-pdf.css"


def generated_sar(demo: Assessment, *, prefix: str, count: int) -> tuple[Unit, Cycle]:
    """A unit of `count` indicators, each a copy of the demo page (5 criteria, 31 items)."""
    start, end = Cycle.fiscal_dates(2564)
    cycle, _ = Cycle.objects.get_or_create(
        kind="fiscal", year_be=2564, defaults={"start_date": start, "end_date": end}
    )
    unit = Unit.objects.create(name=f"หน่วยงานทดสอบ {count} ตัวบ่งชี้", evidence_prefix=prefix)
    results = list(demo.results.select_related("criterion").prefetch_related("evidence_items"))
    for number in range(1, count + 1):
        indicator, _ = Indicator.objects.get_or_create(
            cycle=cycle,
            number=str(number),
            defaults={"title": demo.indicator.title, "score_table": demo.indicator.score_table},
        )
        assessment = Assessment.objects.create(unit=unit, indicator=indicator, target=5)
        for source in results:
            criterion, _ = Criterion.objects.get_or_create(
                indicator=indicator,
                order=source.criterion.order,
                defaults={"text": source.criterion.text},
            )
            result = CriterionResult.objects.create(
                assessment=assessment,
                criterion=criterion,
                narrative=source.narrative,
                met=number % 3 != 0 or source.criterion.order < 4,
            )
            EvidenceItem.objects.bulk_create(
                EvidenceItem(
                    result=result, position=item.position, caption=item.caption, url=item.url
                )
                for item in source.evidence_items.all()
            )
    return unit, cycle


def plain_assets() -> Path:
    """The stylesheet and fonts as files, laid out as the static URLs are."""
    folder = WORK / "plain"
    (folder / "css").mkdir(parents=True)
    shutil.copy(finders.find(STYLESHEET), folder / STYLESHEET)
    (folder / "fonts" / "sarabun").mkdir(parents=True)
    for name in ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf"):
        shutil.copy(finders.find(f"fonts/sarabun/{name}"), folder / "fonts" / "sarabun" / name)
    return folder


def plain_render(html: str, assets: Path) -> bytes:
    """What anyone would do: WeasyPrint's defaults, no fix, files from disk."""
    static = "/" + settings.STATIC_URL.strip("/") + "/"
    html = html.replace(f'href="{static}{STYLESHEET}"', f'href="{(assets / STYLESHEET).as_uri()}"')
    with textlayer.installed(False):
        return weasyprint.HTML(string=html).write_pdf()


def timed(function: Callable[[], bytes], repeat: int) -> tuple[float, bytes]:
    times, result = [], b""
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return min(times), result


def pages(document: bytes) -> int:
    return len(pypdf.PdfReader(BytesIO(document)).pages)


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_traced_mb(function: Callable[[], bytes]) -> float:
    gc.collect()
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from weasyprint.text.ffi import pango

    number = pango.pango_version()
    pango_version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    return [
        f"- Machine: {cpu}, {os.cpu_count()} CPUs, "
        f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"WeasyPrint {weasyprint.__version__}, pydyf {pydyf.__version__}, Pango {pango_version}, "
        f"pypdf {pypdf.__version__}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N for each timing")
    parser.add_argument(
        "--repeat-large", type=int, default=1, help="best of N for the 100-indicator SAR"
    )
    parser.add_argument("--large", type=int, default=100, help="indicators in the large SAR")
    parser.add_argument("--leak-runs", type=int, default=60, help="renders in the memory check")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "BENCHMARKS-pdf.md")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    demo = load_demo().assessment
    sar10 = generated_sar(demo, prefix="บท", count=10)
    sar100 = generated_sar(demo, prefix="บร", count=args.large)
    assets = plain_assets()
    textlayer.install()

    header = machine()  # first: a failure here must not cost a whole run
    print("\n".join(header), flush=True)
    # Before the big renders, so that what they leave behind does not hide a leak.
    print("Memory over repeated renders …", flush=True)
    demo_html = pdf.indicator_html(assessment=demo)
    memory: dict[str, list[tuple[int, float, int]]] = {"project": [], "plain": []}
    for phase, render_once in (
        ("project", lambda: pdf.render_indicator_pdf(assessment=demo)),
        ("plain", lambda: plain_render(demo_html, assets)),
    ):
        for run in range(1, args.leak_runs + 1):
            render_once()
            if run in (1, 5) or run % 10 == 0:
                gc.collect()
                memory[phase].append((run, rss_mb(), len(textlayer._FONT_CODES)))
    cases: list[tuple[str, Callable[[], str], Callable[[], bytes]]] = [
        (
            "Indicator page (demo, indicator 3)",
            lambda: pdf.indicator_html(assessment=demo),
            lambda: pdf.render_indicator_pdf(assessment=demo),
        ),
        (
            "Annual SAR, 10 indicators",
            lambda: pdf.unit_sar_html(unit=sar10[0], cycle=sar10[1]),
            lambda: pdf.render_unit_sar_pdf(unit=sar10[0], cycle=sar10[1]),
        ),
        (
            f"Annual SAR, {args.large} indicators",
            lambda: pdf.unit_sar_html(unit=sar100[0], cycle=sar100[1]),
            lambda: pdf.render_unit_sar_pdf(unit=sar100[0], cycle=sar100[1]),
        ),
    ]
    rows = []
    for index, (name, build_html, render) in enumerate(cases):
        print(f"{name} …", flush=True)
        large = index == len(cases) - 1
        repeat = args.repeat_large if large else args.repeat
        html_time, html = timed(lambda build_html=build_html: build_html().encode(), repeat)
        html_text = html.decode()
        # The project's renderer builds its HTML too: take that time out, so both sides
        # time the same thing (HTML → PDF).
        plain_time, plain_pdf = timed(
            lambda html_text=html_text: plain_render(html_text, assets), repeat
        )
        project_time, project_pdf = timed(render, repeat)
        project_time -= html_time
        count = pages(project_pdf)
        assert count == pages(plain_pdf), (name, count, pages(plain_pdf))
        # tracemalloc slows Python ~10× (an 800-page render takes minutes): small cases only.
        peak = None if large else peak_traced_mb(render)
        print(
            f"  {count} pages: plain {plain_time:.2f} s, project {project_time:.2f} s", flush=True
        )
        rows.append(
            (
                name,
                count,
                html_time,
                plain_time,
                project_time,
                project_time / plain_time,
                count / project_time,
                peak,
                len(plain_pdf),
                len(project_pdf),
            )
        )

    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    lines = [
        "# Benchmarks: the SAR PDF renderer",
        "",
        "Written by `bench/run.py`; rerun with:",
        "",
        "```sh",
        ".venv/bin/python bench/run.py            # about five minutes; rewrites this file",
        "```",
        "",
        *header,
        f"- Best of {args.repeat} runs per figure ({args.repeat_large} for the 100-indicator "
        "SAR); generated data in a throwaway SQLite "
        "database (the seed's five criteria, narratives and 31 captions per indicator).",
        "",
        "**Plain** is WeasyPrint with its defaults rendering the same HTML (no text-layer fix, "
        "stylesheet and fonts read from `file://` by WeasyPrint's own fetcher). **Project** is "
        "`indicators.reports.pdf` (text-layer fix + static-only URL fetcher), HTML building "
        "(templates and queries) taken out and shown apart. The ratio is the project's overhead.",
        "",
        "| report | pages | HTML build | plain | project | ratio | pages/s (project) "
        "| peak traced memory | PDF plain → project |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, count, html_time, plain, project, ratio, pps, peak, plain_size, size in rows:
        lines.append(
            f"| {name} | {count} | {html_time:.3f} s | {plain:.3f} s | {project:.3f} s "
            f"| **{ratio:.2f}×** | {pps:.1f} | {'–' if peak is None else f'{peak:.0f} MiB'} "
            f"| {plain_size / 1024:.0f} → {size / 1024:.0f} KiB |"
        )
    worst = max(row[5] for row in rows)
    verdict = (
        f"Target (overhead at most 1.2×): **met** (worst {worst:.2f}×)."
        if worst <= 1.2
        else f"Target (overhead at most 1.2×): **not met** in this run (worst {worst:.2f}×)."
    )
    lines += [
        "",
        verdict,
        "",
        "Where the overhead goes: the text-layer fix walks every drawn line again in Python "
        "(about 3 ms per page of dense Thai, measured by its author; layout is untouched), "
        "the fetcher costs nothing measurable. On a shared 2-CPU machine the ratio moves by "
        "±0.1 from run to run (the 100-indicator SAR is timed once by default: "
        "`--repeat-large 3` for a steadier figure).",
        "",
        "## Memory over repeated renders",
        "",
        f"The demo indicator page rendered {args.leak_runs} times by the project's renderer, "
        f"then {args.leak_runs} times more by plain WeasyPrint, in one process (before the "
        "large reports); resident memory after a garbage collection, and how many fonts the "
        "text-layer fix still tracks (a WeakKeyDictionary: 0 means nothing is kept between "
        "reports).",
        "",
        "| renders | project: RSS | fonts tracked by the fix | then plain WeasyPrint: RSS |",
        "|---:|---:|---:|---:|",
        *(
            f"| {run} | {rss:.0f} MiB | {fonts} | {plain_rss:.0f} MiB |"
            for (run, rss, fonts), (_, plain_rss, _) in zip(
                memory["project"], memory["plain"], strict=True
            )
        ),
        "",
    ]
    for phase, points in memory.items():
        growth = (points[-1][1] - points[1][1]) / (points[-1][0] - points[1][0]) * 1024
        lines.append(
            f"- {phase}: {points[-1][1] - points[1][1]:+.1f} MiB from render {points[1][0]} "
            f"to {points[-1][0]} ({growth:+.0f} KiB per render)."
        )
    lines += [
        "",
        "A slow growth of about the same size with and without the project's code is "
        "WeasyPrint's and Pango's own (it shows for a one-line document without any web font "
        "too); the fix itself keeps nothing once a report is written. A long-running worker "
        "that renders thousands of reports can be recycled (e.g. `db_worker` restarted by its "
        "supervisor) if that matters.",
        f"Peak RSS of the whole run: {max_rss:.0f} MiB (during the largest SAR).",
        "",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
