"""load_demo on a production server: refused unless asked for explicitly, and even
then no published password and no superuser."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from indicators.demo import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def test_refused_under_the_production_settings_module(tmp_path: Path) -> None:
    database = tmp_path / "kmtracker.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kmtracker.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "km.example.ac.th",
        "DATABASE_URL": f"sqlite:///{database}",
        "KMT_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "--i-know-this-is-production" in done.stderr and "เซิร์ฟเวอร์จริง" in done.stderr
    assert not database.exists()  # refused before it touched the database


def test_refused_without_the_flag(settings: Any) -> None:
    settings.KMT_PRODUCTION = True
    with pytest.raises(CommandError, match="i-know-this-is-production"):
        call_command("load_demo", stdout=StringIO())
    assert not get_user_model().objects.exists()


def test_with_the_flag_no_superuser_and_no_published_password(settings: Any) -> None:
    settings.KMT_PRODUCTION = True
    users = get_user_model().objects
    real_admin = users.create_user("admin", password="the real one", first_name="สมชาย")
    out = StringIO()
    call_command("load_demo", "--i-know-this-is-production", stdout=out)
    assert not users.filter(is_superuser=True).exists()
    assert not users.filter(is_staff=True).exists()
    for username, password, _name, _role in DEMO_ACCOUNTS:
        user = users.get(username=username)
        assert not user.check_password(password)
        assert password not in out.getvalue()
    real_admin.refresh_from_db()  # an account that existed is someone's: left alone
    assert real_admin.first_name == "สมชาย" and real_admin.check_password("the real one")
    assert not real_admin.groups.exists()
    assert "changepassword" in out.getvalue()
    for username in ("staff", "head", "qa"):
        assert not users.get(username=username).has_usable_password()


def test_outside_production_the_demo_admin_is_a_superuser(settings: Any) -> None:
    assert settings.KMT_PRODUCTION is False
    call_command("load_demo", stdout=StringIO())
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("admin-demo-2563")
