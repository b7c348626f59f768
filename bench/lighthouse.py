"""Lighthouse accessibility and best-practices scores of the login, indicator and
dashboard pages, on a throwaway production-like instance.

Run from the checkout (about two minutes; needs node/npm and Debian's chromium):

    .venv/bin/python bench/lighthouse.py [--port 8103]

It installs Lighthouse (pinned below, Node 18+) from npm into bench/.lighthouse/
(gitignored) unless it is there, makes an instance in a temporary folder
(kmtracker.settings.production as an intranet deployment without TLS would set it,
SQLite, the demo data, collectstatic), serves it with gunicorn on 127.0.0.1:PORT,
signs in as the demo's staff (indicator page) and QA officer (dashboard) and hands
Lighthouse the session cookie through --extra-headers. It prints a Markdown table
for docs/BENCHMARKS-lighthouse.md and every audit that did not pass in full; the
JSON reports stay in bench/.lighthouse/reports/. Only 127.0.0.1 is contacted.
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LIGHTHOUSE_VERSION = "12.8.2"  # 13.x needs Node 22; Debian 12 has Node 18/20
TOOLS = ROOT / "bench" / ".lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("accessibility", "best-practices")
# (page, path, demo account or None for signed out)
PAGES = [
    ("login", "/accounts/login/", None),
    ("indicator", "/assessments/{assessment}/", ("staff", "staff-demo-2563")),
    ("dashboard", "/dashboard/", ("qa", "qa-demo-2563")),
]


def install_lighthouse() -> str:
    if LIGHTHOUSE.exists():
        version = subprocess.run(
            [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if version == LIGHTHOUSE_VERSION:
            return version
    TOOLS.mkdir(parents=True, exist_ok=True)
    (TOOLS / "package.json").write_text('{"private": true}\n')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"],
        cwd=TOOLS,
        check=True,
    )
    return LIGHTHOUSE_VERSION


def environment(folder: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KMT_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kmtracker.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
        # An intranet without TLS (README, Configuration): no HTTPS redirect, no HSTS.
        DJANGO_SECURE_SSL_REDIRECT="off",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_SECURE_COOKIES="off",
        KMT_TRUSTED_PROXY_COUNT="0",
        KMT_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'kmtracker.sqlite3'}",
    )
    return env


def manage(env: dict[str, str], *args: str, settings: str | None = None) -> str:
    run_env = dict(env, DJANGO_SETTINGS_MODULE=settings) if settings else env
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=run_env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@contextmanager
def server(env: dict[str, str], port: int, log: Path) -> Iterator[None]:
    with log.open("ab") as out:
        process = subprocess.Popen(
            [GUNICORN, "kmtracker.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        for _ in range(100):
            try:
                request(port, "GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit(f"gunicorn did not answer on 127.0.0.1:{port}; see {log}")
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.read()
    return response


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(port: int, username: str, password: str) -> str:
    """The Cookie header of a signed-in session, through the real login form."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/")
    page = connection.getresponse()
    html = page.read().decode()
    cookies = cookies_of(page)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        sys.exit("no CSRF token on the login page")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": match[1]}
    answer = request(
        port,
        "POST",
        "/accounts/login/",
        urlencode(form),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    session = cookies_of(answer).get("sessionid")
    if answer.status != 302 or not session:
        sys.exit(f"signing in as {username} failed ({answer.status})")
    return f"sessionid={session}; csrftoken={cookies['csrftoken']}"


def lighthouse(url: str, cookie: str | None, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    subprocess.run(command, check=True, env=dict(os.environ, CHROME_PATH=CHROME))
    return json.loads(report.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8103)
    args = parser.parse_args()
    version = install_lighthouse()
    chromium = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout
    reports = TOOLS / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="kmt-lighthouse-"))
    try:
        env = environment(folder, args.port)
        manage(env, "migrate", "-v0")
        # The demo's public passwords: a throwaway instance only (production refuses them).
        manage(env, "load_demo", settings="kmtracker.settings.base")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "compilemessages", "-v0", "--ignore=.venv")
        assessment = manage(
            env,
            "shell",
            "-c",
            "from indicators.models import Assessment; print(Assessment.objects.get().pk)",
        ).splitlines()[-1]  # after the shell's own notes on automatic imports
        rows = []
        with server(env, args.port, folder / "gunicorn.log"):
            for name, path, account in PAGES:
                cookie = sign_in(args.port, *account) if account else None
                url = f"http://127.0.0.1:{args.port}{path.format(assessment=assessment)}"
                result = lighthouse(url, cookie, reports / f"{name}.json")
                if result["finalDisplayedUrl"] != url:
                    sys.exit(f"{url} ended at {result['finalDisplayedUrl']}: not signed in?")
                scores = [result["categories"][c]["score"] for c in CATEGORIES]
                rows.append((name, path, account[0] if account else "signed out", scores))
                for category in CATEGORIES:
                    for ref in result["categories"][category]["auditRefs"]:
                        audit = result["audits"][ref["id"]]
                        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                            print(f"  {name} {category}: {audit['id']} {audit['title']}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"\nLighthouse {version}, {chromium.strip()}, {platform.platform()}, "
        f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M %Z')}\n"
    )
    print("| page | path | as | accessibility | best practices |")
    print("|---|---|---|---|---|")
    for name, path, who, (accessibility, practices) in rows:
        print(f"| {name} | `{path}` | {who} | {accessibility:.2f} | {practices:.2f} |")


if __name__ == "__main__":
    main()
