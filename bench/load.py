"""Load benchmark at university scale: gunicorn with production settings on 127.0.0.1,
the scale data set, a bounded number of clients for a fixed time per page.

Run from the checkout (takes about 15 minutes with the defaults):

    .venv/bin/python bench/load.py [--db sqlite postgres] [--clients 10] [--seconds 15]

For each database it makes a throwaway instance (a temporary folder; on PostgreSQL a
database ``kmt_bench_<pid>`` on 127.0.0.1:5432 as user postgres, dropped at the end),
fills it with ``manage.py generate_scale_data`` (40 units × 12 indicators × 5 criteria
× 6 items unless told), starts gunicorn (2 sync workers, ``kmtracker.settings.production``
as an intranet deployment without TLS would set it) and measures, page by page, with
``--clients`` closed-loop clients for ``--seconds`` each: p50/p95/p99, requests per
second, answers other than the expected status, and HTML size. The baseline is a
minimal authenticated page (the password change form) measured in the same run. Pages
are kept rendered under the data version (README, "Pages kept ready"), so most views
in a quiet run are served from that cache: the row "indicator page, each view just
after a save" measures the page rendered afresh, each client saving a narrative
(untimed) before each view. It
then starts two report workers and asks for two units' annual SARs, and measures the
pages again while they render; and it times a narrative save followed by asking for
the unit's annual SAR until the PDF is downloadable. Only 127.0.0.1 is contacted.
``--instances 2 --web-workers 1`` runs two gunicorn instances against the same database
(scale-out: the clients are spread over them; sessions and files are shared).
The figures go in docs/BENCHMARKS.md (the latest) and docs/BENCHMARKS-load.md (earlier
runs) by hand.
"""

import argparse
import http.client
import itertools
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PASSWORD = "scale-data"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Instance:
    """One throwaway deployment: its environment, database and folder."""

    db: str
    root: Path
    port: int = field(default_factory=free_port)
    pg_name: str = ""

    @property
    def env(self) -> dict[str, str]:
        url = (
            f"postgres://postgres@127.0.0.1:5432/{self.pg_name}"
            if self.db == "postgres"
            else f"sqlite:///{self.root / 'db.sqlite3'}"
        )
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KMT_"))},
            "DJANGO_SETTINGS_MODULE": "kmtracker.settings.production",
            "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # An intranet deployment without TLS (README, Configuration).
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_HSTS_SECONDS": "0",
            "KMT_TRUSTED_PROXY_COUNT": "0",
            "KMT_VAR_DIR": str(self.root),
            "DATABASE_URL": url,
            "DJANGO_LOG_LEVEL": "ERROR",
        }

    def manage(self, *args: str, settings: str = "", extra: dict[str, str] | None = None) -> str:
        env = self.env | (extra or {})
        if settings:
            env["DJANGO_SETTINGS_MODULE"] = settings
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def python(self, code: str) -> str:
        done = subprocess.run(
            [PYTHON, "-c", "import django; django.setup()\n" + code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        return done.stdout


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
        check=True,
        capture_output=True,
    )


@contextmanager
def instance(db: str, args: argparse.Namespace) -> Iterator[Instance]:
    root = Path(tempfile.mkdtemp(prefix=f"kmt-bench-load-{db}-"))
    site = Instance(db=db, root=root)
    if db == "postgres":
        site.pg_name = f"kmt_bench_{os.getpid()}"
        psql(f"CREATE DATABASE {site.pg_name}")
    try:
        site.manage("migrate", "-v0")
        started = time.perf_counter()
        print(
            site.manage(
                "generate_scale_data",
                f"--units={args.units}",
                f"--indicators={args.indicators}",
                f"--evidence={args.evidence}",
                "--seed=1",
                # The data set is for throwaway instances only: production refuses it.
                settings="kmtracker.settings.base",
                # Loaded as an import would be, without queuing a render of each of its
                # 480 SAR sections: the measured units' sections are laid out when their
                # SARs are first asked for, below.
                extra={"KMT_SAR_PARTS_IN_BACKGROUND": "0"},
            ).splitlines()[0],
            f"({time.perf_counter() - started:.0f} s)",
        )
        site.manage("collectstatic", "--noinput", "-v0")
        yield site
    finally:
        if db == "postgres":
            psql(f"DROP DATABASE IF EXISTS {site.pg_name} WITH (FORCE)")
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def processes(commands: list[list[str]], site: Instance, log: Path) -> Iterator[None]:
    with log.open("ab") as out:
        running = [
            subprocess.Popen(command, cwd=ROOT, env=site.env, stdout=out, stderr=out)
            for command in commands
        ]
    try:
        yield
    finally:
        for process in running:
            process.send_signal(signal.SIGTERM)
        for process in running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


class Browser:
    """One signed-in person: a keep-alive connection with their session cookie."""

    def __init__(self, port: int, session: str = "") -> None:
        self.port = port
        self.cookies: dict[str, str] = {"sessionid": session} if session else {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, *, htmx: bool = False
    ) -> tuple[int, bytes, dict[str, str]]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if htmx:
            headers["HX-Request"] = "true"
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, dict(response.headers)


@dataclass
class Page:
    """A page asked for by ``who``; each client takes the next of ``paths`` (so that
    writers do not all edit the same record), ``post`` makes a form's data."""

    name: str
    who: str
    paths: list[str]
    expect: int = 200
    post: Callable[[Browser, str], dict[str, str]] | None = None
    # Run, untimed, before each timed request (with the client's number).
    before: Callable[[Browser, int], None] | None = None


@dataclass
class Result:
    name: str
    times: list[float]
    errors: int
    size: int
    seconds: float
    statuses: set[int] = field(default_factory=set)

    def row(self, baseline: float | None) -> str:
        ordered = sorted(self.times)

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000

        p50 = statistics.median(ordered) * 1000
        ratio = f"{p50 / baseline:.1f}×" if baseline else ""
        return (
            f"| {self.name} | {p50:.0f} | {pct(0.95):.0f} | {pct(0.99):.0f} | "
            f"{ordered[-1] * 1000:.0f} | "
            f"{len(ordered) / self.seconds:.1f} | {self.errors or ''}"
            f"{' (' + ', '.join(map(str, sorted(self.statuses))) + ')' if self.errors else ''}"
            f" | {self.size / 1024:.0f} KiB "
            f"| {ratio} |"
        )


def hammer(
    page: Page, sessions: dict[str, str], args: argparse.Namespace, ports: list[int]
) -> Result:
    times: list[float] = []
    errors = 0
    size = 0
    statuses: set[int] = set()
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def client(index: int) -> None:
        nonlocal errors, size
        # With several gunicorn instances, the clients are spread over them.
        browser = Browser(ports[index % len(ports)], sessions.get(page.who, ""))
        path = page.paths[index % len(page.paths)]
        while time.monotonic() < stop:
            if page.before:
                page.before(browser, index)
            body = page.post(browser, path) if page.post else None
            started = time.perf_counter()
            try:
                method = "POST" if body is not None else "GET"
                status, content, _ = browser.request(method, path, body, htmx=body is not None)
            except OSError:
                status, content = 0, b""
            elapsed = time.perf_counter() - started
            with lock:
                times.append(elapsed)
                if status != page.expect:
                    errors += 1
                    statuses.add(status)
                size = max(size, len(content))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(page.name, times, errors, size, args.seconds, statuses)


def world(site: Instance) -> dict[str, Any]:
    """Ids and sessions for the pages, read through Django in a child process."""
    code = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model, HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from evidence.models import Document
from indicators.models import Assessment, Cycle
cycle = Cycle.objects.get(year_be=2567)
a = Assessment.objects.filter(indicator__cycle=cycle, unit__name="สาขาวิชาวิทยาการจัดการ",
                              status="draft").order_by("indicator__sort_key").first()
review = Assessment.objects.filter(indicator__cycle=cycle, status="submitted").first() or a
doc = Document.objects.filter(unit=a.unit).first()
drafts = Assessment.objects.filter(indicator__cycle=cycle, unit=a.unit, status="draft")
out = {"cycle": cycle.pk, "assessment": a.pk, "unit": a.unit_id,
       "own_results": [r.pk for r in a.results.order_by("criterion__order")],
       "results": [r.pk for d in drafts for r in d.results.order_by("criterion__order")][:20],
       "review": review.pk, "document": doc.pk}
users = {"staff": "unit03-staff1", "qa": "scale-qa1", "staff2": "unit02-staff1"}
from indicators.models import Membership
out["unit2"] = Membership.objects.get(user__username="unit02-staff1").unit_id
for key, username in users.items():
    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    out["session_" + key] = session.session_key
print(json.dumps(out))
"""
    return json.loads(site.python(code).strip().splitlines()[-1])


def narrative_post() -> Callable[[Browser, str], dict[str, str]]:
    """The narrative form as loaded (its token and version), with a word added."""
    counter = itertools.count()

    def post(browser: Browser, path: str) -> dict[str, str]:
        _, content, _ = browser.request("GET", path)
        html = content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        version = re.search(r'name="version" value="(\d+)"', html)
        text = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
        return {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "version": version.group(1) if version else "1",
            "narrative": (text.group(1) if text else "").strip()[:1400] + f" ({next(counter)})",
        }

    return post


def save_first(paths: list[str]) -> Callable[[Browser, int], None]:
    """A narrative saved (each client its own criterion), so the next view is rendered
    afresh: the cost of a page whose data has just changed."""
    post = narrative_post()

    def before(browser: Browser, index: int) -> None:
        path = paths[index % len(paths)]
        browser.request("POST", path, post(browser, path), htmx=True)

    return before


def pages(ids: dict[str, Any]) -> list[Page]:
    a, cycle = ids["assessment"], ids["cycle"]
    results = ids["results"]
    own = [f"/results/{pk}/narrative/" for pk in ids["own_results"]]
    return [
        Page("login page", "", ["/accounts/login/"]),
        Page("baseline: password change form", "staff", ["/accounts/password_change/"]),
        Page("my work (staff)", "staff", ["/"]),
        Page("my work (QA officer)", "qa", ["/"]),
        Page("unit page", "staff", [f"/units/{ids['unit']}/"]),
        Page("indicator page", "staff", [f"/assessments/{a}/"]),
        Page(
            "indicator page, each view just after a save",
            "staff",
            [f"/assessments/{a}/"],
            before=save_first(own),
        ),  # fmt: skip
        Page("review page", "qa", [f"/assessments/{ids['review']}/review/"]),
        Page("history", "staff", [f"/assessments/{a}/history/"]),
        Page("dashboard (QA officer)", "qa", [f"/dashboard/{cycle}/"]),
        Page(
            "save a narrative (htmx)",
            "staff",
            [f"/results/{pk}/narrative/" for pk in results],
            post=narrative_post(),
        ),  # fmt: skip
        Page("evidence download", "staff", [f"/evidence/documents/{ids['document']}/"]),
    ]


def ask_for_sar(browser: Browser, unit: object, cycle: object) -> str:
    _, content, _ = browser.request("GET", f"/units/{unit}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content.decode())
    status, _, headers = browser.request(
        "POST",
        f"/units/{unit}/cycles/{cycle}/report/",
        {"csrfmiddlewaretoken": token.group(1) if token else ""},
    )
    assert status == 302, status
    return headers["Location"]


def wait_for_pdf(browser: Browser, job: str, timeout: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        _, content, _ = browser.request("GET", job)
        if "report_job_download" in content.decode() or b"/download/" in content:
            status, pdf, _ = browser.request("GET", job.rstrip("/") + "/download/")
            if status == 200 and pdf.startswith(b"%PDF"):
                return time.perf_counter() - started
        time.sleep(0.2)
    return float("nan")


def wait_for_background_renders(site: Instance, timeout: float) -> float:
    """Seconds until the task queue holds no waiting or running task (NaN after timeout)."""
    code = """
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count())
"""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if site.python(code).strip().splitlines()[-1] == "0":
            return time.perf_counter() - started
        time.sleep(1)
    return float("nan")


def run(db: str, args: argparse.Namespace) -> None:
    with instance(db, args) as site:
        ids = world(site)
        sessions = {key[8:]: value for key, value in ids.items() if key.startswith("session_")}
        log = site.root / "processes.log"
        ports = [site.port] + [free_port() for _ in range(args.instances - 1)]
        web = [[GUNICORN, "kmtracker.wsgi", "-b", f"127.0.0.1:{port}", "-w",
                str(args.web_workers), "--timeout", "60"] for port in ports]  # fmt: skip
        with processes(web, site, log):
            for port in ports:
                wait_until_up(port)
            print(
                f"\n### {db}: {args.clients} clients × {args.seconds} s per page, "
                f"{args.instances} gunicorn instance(s) × {args.web_workers} workers\n"
            )
            header = (
                "| page | p50 ms | p95 ms | p99 ms | max ms | req/s | errors | HTML | × baseline |"
            )
            rule = "\n|---|---|---|---|---|---|---|---|---|"
            print(header + rule)
            quiet: dict[str, Result] = {}
            for page in pages(ids):
                quiet[page.name] = hammer(page, sessions, args, ports)
                base = quiet.get("baseline: password change form")
                baseline = statistics.median(base.times) * 1000 if base else None
                print(quiet[page.name].row(baseline), flush=True)

            nice = ["--nice", str(args.worker_nice)] if args.worker_nice is not None else []
            workers = [[PYTHON, "manage.py", "run_worker", "--interval", "0.5", *nice]] * 2
            with processes(workers, site, log):
                staff = Browser(site.port, sessions["staff"])
                other = Browser(site.port, sessions["staff2"])
                jobs = [
                    (staff, ask_for_sar(staff, ids["unit"], ids["cycle"])),
                    (other, ask_for_sar(other, ids["unit2"], ids["cycle"])),
                ]
                print(f"\n### {db}: the same, while two annual SARs render in two workers\n")
                print(header + rule)
                for page in pages(ids):
                    busy = hammer(page, sessions, args, ports)
                    base = quiet["baseline: password change form"]
                    print(busy.row(statistics.median(base.times) * 1000), flush=True)
                for browser, job in jobs:
                    wait_for_pdf(browser, job, timeout=600)

                # The sections that the saves above left stale are laid out again by the
                # workers in the background; the change below is measured once they are.
                waited_for_sections = wait_for_background_renders(site, timeout=300)
                # A change, then the unit's annual SAR asked for until it is downloadable.
                browser = Browser(site.port, sessions["staff"])
                path = pages(ids)[-2].paths[0]
                body = narrative_post()(browser, path)
                started = time.perf_counter()
                status, _, _ = browser.request("POST", path, body, htmx=True)
                job = ask_for_sar(browser, ids["unit"], ids["cycle"])
                waited = wait_for_pdf(browser, job, timeout=600)
                total = time.perf_counter() - started
                print(
                    f"\nNarrative saved ({status}) → the unit's updated annual SAR "
                    f"downloadable after {total:.1f} s (the job itself {waited:.1f} s; "
                    f"background section renders drained {waited_for_sections:.0f} s before)"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--indicators", type=int, default=12)
    parser.add_argument("--evidence", type=int, default=6)
    parser.add_argument(
        "--instances", type=int, default=1, help="gunicorn instances, each on its own port"
    )
    parser.add_argument("--web-workers", type=int, default=2, help="sync workers per instance")
    parser.add_argument(
        "--worker-nice", type=int, help="run_worker --nice (default: KMT_WORKER_NICE's default)"
    )
    args = parser.parse_args()
    machine = f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores"
    print(f"{machine}, {time.strftime('%Y-%m-%d %H:%M')} ({' '.join(sys.argv[1:]) or 'defaults'})")
    for db in args.db:
        run(db, args)


if __name__ == "__main__":
    main()
