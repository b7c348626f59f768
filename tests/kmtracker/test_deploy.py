"""Production settings with the environment the README documents: Django's deploy
checks find nothing, HTTP is redirected to HTTPS (but not /healthz) and HSTS is on;
with KMT_S3_BUCKET, files go to the bucket."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.storages import S3Server

REPO = Path(__file__).resolve().parents[2]
# As in README.md, Configuration → Production (the database is a file here).
README_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "kmtracker.settings.production",
    "DJANGO_SECRET_KEY": "r7Hk2vQ9-xW4mZp8LsT1bN6cYf3JdG0aUe5oKiVqXwRzEyPt_Mh",
    "DJANGO_ALLOWED_HOSTS": "km.example.ac.th",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://km.example.ac.th",
    "KMT_BASE_URL": "https://km.example.ac.th",
}
UNSET = [
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/e2e/conftest.py for Playwright, never in production
    "DJANGO_DEBUG",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_HSTS_SECONDS",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS",
    "DJANGO_HSTS_PRELOAD",
    "DJANGO_SECURE_COOKIES",
    "KMT_S3_BUCKET",
]


def run(
    script: str, tmp_path: Path, more: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in UNSET}
    env.update(README_ENVIRONMENT)
    env.update(more or {})
    env["KMT_VAR_DIR"] = str(tmp_path)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'kmtracker.sqlite3'}"
    preamble = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", preamble + script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_silent(tmp_path: Path) -> None:
    done = run(
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "security.W" not in output


def test_https_redirect_hsts_and_healthz(tmp_path: Path) -> None:
    done = run(
        "import json\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='km.example.ac.th')\n"
        "login = c.get('/accounts/login/')\n"
        "health = c.get('/healthz')\n"
        "secure = c.get('/healthz', secure=True)\n"
        "print(json.dumps({'login': [login.status_code, login.get('Location')],\n"
        "  'health': [health.status_code, health.content.decode()],\n"
        "  'hsts': secure.get('Strict-Transport-Security')}))\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    assert answers["login"] == [301, "https://km.example.ac.th/accounts/login/"]
    assert answers["health"] == [200, "ok\n"]  # the probe over plain HTTP is not redirected
    assert answers["hsts"] == "max-age=31536000; includeSubDomains"


def test_workers_keep_their_database_connection(tmp_path: Path) -> None:
    done = run(
        "import json\n"
        "from django.conf import settings\n"
        "db = settings.DATABASES['default']\n"
        "print(json.dumps([db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS']]))\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [60, True]


def cached_for_a_year(cache_control: str) -> bool:
    max_age = re.search(r"max-age=(\d+)", cache_control)
    return bool(max_age) and int(max_age[1]) >= 365 * 24 * 3600 and "immutable" in cache_control


def test_static_files_have_hashed_names_and_are_cached_for_a_year(tmp_path: Path) -> None:
    done = run(
        "import json, re\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        "from django.contrib.staticfiles.storage import staticfiles_storage\n"
        "from django.test import Client\n"
        "from indicators.reports.fetcher import REPORT_ORIGIN, StaticOnlyURLFetcher\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "c = Client(HTTP_HOST='km.example.ac.th')\n"
        "css_url = staticfiles_storage.url('css/kmtracker.css')\n"
        "login = c.get('/accounts/login/', secure=True).content.decode()\n"
        "css = c.get(css_url, secure=True)\n"
        "body = b''.join(css.streaming_content).decode()\n"
        'fonts = re.findall(r\'url\\("(\\.\\./fonts/[^"]+)"\\)\', body)\n'
        "font = c.get('/static/fonts/sarabun/' + fonts[0].rsplit('/', 1)[1], secure=True)\n"
        "pdf_css = staticfiles_storage.url('css/sar-pdf.css')\n"
        "fetched = StaticOnlyURLFetcher().fetch(REPORT_ORIGIN + pdf_css)\n"
        "print(json.dumps({'css_url': css_url, 'in_page': css_url in login,\n"
        "  'css': [css.status_code, css['Cache-Control']], 'fonts': fonts,\n"
        "  'font': [font.status_code, font['Content-Type'], font['Cache-Control']],\n"
        "  'pdf_css': [pdf_css, b'@font-face' in fetched.read()]}))\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    assert re.fullmatch(r"/static/css/kmtracker\.[0-9a-f]{12}\.css", answers["css_url"])
    assert answers["in_page"]
    # WhiteNoise gives hashed names ten years: anything from a year up is what we ask.
    assert answers["css"][0] == 200 and cached_for_a_year(answers["css"][1])
    assert len(answers["fonts"]) == 3
    assert all(re.search(r"/Sarabun-\w+\.[0-9a-f]{12}\.woff2$", f) for f in answers["fonts"])
    assert answers["font"][:2] == [200, "font/woff2"] and cached_for_a_year(answers["font"][2])
    # The PDF's stylesheet under its hashed name still reaches the renderer.
    assert re.fullmatch(r"/static/css/sar-pdf\.[0-9a-f]{12}\.css", answers["pdf_css"][0])
    assert answers["pdf_css"][1]


def test_with_a_bucket_files_go_to_s3(tmp_path: Path, s3_server: S3Server) -> None:
    """The README's S3 variables (against moto on 127.0.0.1): evidence is saved in the
    bucket, not on the disk, and the health probe's write and read go there too."""
    bucket = s3_server.new_bucket()
    done = run(
        "import json\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage, storages\n"
        "from django.test import Client\n"
        "name = default_storage.save('evidence/1/probe.pdf', ContentFile(b'%PDF-1.4'))\n"
        "health = Client(HTTP_HOST='km.example.ac.th').get('/healthz', secure=True)\n"
        "print(json.dumps({'backend': type(storages['default']).__name__, 'name': name,\n"
        "  'health': [health.status_code, health.content.decode()]}))\n",
        tmp_path,
        s3_server.environ(bucket),
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    assert answers == {
        "backend": "S3Storage",
        "name": "evidence/1/probe.pdf",
        "health": [200, "ok\n"],
    }
    assert s3_server.keys(bucket) == ["evidence/1/probe.pdf"]  # the probe removed its own
    assert not (tmp_path / "media").exists()
