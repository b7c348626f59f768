"""Shared fixtures: the demo data and the three personas of every view test."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from indicators.demo import SEED_FILE, load_demo
from indicators.models import Assessment, Membership

from .factories import MembershipFactory, QAOfficerFactory, UnitFactory, UserFactory

REPO_ROOT = Path(__file__).resolve().parent.parent
# Files the tests read live in the project, never beside it: a bare clone runs the suite.
DATA_DIR = REPO_ROOT / "tests" / "data"


def pytest_configure(config: pytest.Config) -> None:
    """Compile the translation catalogues, as scripts/test.sh does: the .mo files are not in
    git, and the English pages of a fresh clone need them. Up-to-date ones are skipped."""
    if shutil.which("msgfmt"):
        call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)


@pytest.fixture(autouse=True)
def _thai_after_each_test():  # type: ignore[no-untyped-def]
    """A request in English leaves English active in the thread; start each test in Thai."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def seed_text() -> str:
    """The seed SAR page, from the project's own copy (the demo is loaded from it)."""
    return SEED_FILE.read_text(encoding="utf-8")


@pytest.fixture
def demo(db) -> Assessment:  # type: ignore[no-untyped-def]
    """The demo unit's indicator 3 of fiscal 2563, loaded as `load_demo` does."""
    return load_demo().assessment


@pytest.fixture
def staff(demo: Assessment):  # type: ignore[no-untyped-def]
    """Alice: staff of the demo unit."""
    return MembershipFactory(
        user=UserFactory(username="alice"), unit=demo.unit, role=Membership.Role.STAFF
    ).user


@pytest.fixture
def head(demo: Assessment):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        user=UserFactory(username="hana"), unit=demo.unit, role=Membership.Role.HEAD
    ).user


@pytest.fixture
def qa_officer(db):  # type: ignore[no-untyped-def]
    """Bob: a QA officer of the university, who sees every unit."""
    return QAOfficerFactory(username="bob")


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    """Charlie: staff of another unit, who must see nothing of the demo unit."""
    other = UnitFactory(name="สำนักบรรณสารสนเทศ", evidence_prefix="สบ")
    return MembershipFactory(user=UserFactory(username="charlie"), unit=other).user
