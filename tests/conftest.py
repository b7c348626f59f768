"""Shared fixtures: the unit under test, a small world built with factories or the whole
demo, and the three personas of every view test."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import translation

from indicators.demo import SEED_FILE, load_demo
from indicators.models import Assessment, Membership, Unit

from .factories import (
    MembershipFactory,
    QAOfficerFactory,
    UnitFactory,
    UnitRecords,
    UserFactory,
    sar_assessment,
    unit_records,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
# Files the tests read live in the project, never beside it: a bare clone runs the suite.
DATA_DIR = REPO_ROOT / "tests" / "data"


def pytest_configure(config: pytest.Config) -> None:
    """Compile the translation catalogues, as scripts/test.sh does: the .mo files are not in
    git, and the English pages of a fresh clone need them. Up-to-date ones are skipped."""
    if shutil.which("msgfmt"):
        call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)


@pytest.fixture(autouse=True)
def _thai_after_each_test() -> Iterator[None]:
    """A request in English leaves English active in the thread; start each test in Thai."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def seed_text() -> str:
    """The seed SAR page, from the project's own copy (the demo is loaded from it)."""
    return SEED_FILE.read_text(encoding="utf-8")


@pytest.fixture
def unit(db: None) -> Unit:
    """The unit under test: the Press office, with the demo's name and evidence prefix (สพ)."""
    return UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ")


@pytest.fixture
def assessment(unit: Unit) -> Assessment:
    """A small world for unit tests: the unit's indicator 3 of fiscal 2563, five criteria
    met, three evidence items under each (tests.factories.sar_assessment)."""
    return sar_assessment(unit=unit)


@pytest.fixture
def records(assessment: Assessment) -> UnitRecords:
    """The meetings, people, target group, topic and activity behind `assessment`."""
    return unit_records(assessment=assessment)


@pytest.fixture
def demo(unit: Unit) -> Assessment:
    """The whole demo, for end-to-end and report tests: the unit's indicator 3 of fiscal
    2563 as `load_demo` loads it from the seed page, with its records and accounts."""
    return load_demo().assessment


@pytest.fixture
def staff(unit: Unit) -> User:
    """Alice: staff of the unit under test."""
    return MembershipFactory(
        user=UserFactory(username="alice"), unit=unit, role=Membership.Role.STAFF
    ).user


@pytest.fixture
def head(unit: Unit) -> User:
    """Hana: head of the unit under test, who submits its assessments."""
    return MembershipFactory(
        user=UserFactory(username="hana"), unit=unit, role=Membership.Role.HEAD
    ).user


@pytest.fixture
def qa_officer(db: None) -> User:
    """Bob: a QA officer of the university, who sees every unit."""
    return QAOfficerFactory(username="bob")


@pytest.fixture
def outsider(db: None) -> User:
    """Charlie: staff of another unit, who must see nothing of the unit under test."""
    other = UnitFactory(name="สำนักบรรณสารสนเทศ", evidence_prefix="สบ")
    return MembershipFactory(user=UserFactory(username="charlie"), unit=other).user
