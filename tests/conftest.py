"""Shared fixtures: the unit under test, a small world built with factories or the whole
demo, and the three personas of every view test."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import translation
from pytest_django.fixtures import Settings as SettingsWrapper

from indicators.demo import SEED_FILE, load_demo
from indicators.models import Assessment, Membership, Unit
from kmtracker.settings.storage import s3_storage as s3_settings

from .factories import (
    MembershipFactory,
    QAOfficerFactory,
    UnitFactory,
    UnitRecords,
    UserFactory,
    sar_assessment,
    unit_records,
)
from .storages import CREDENTIALS, REGION, S3Server, StoredFiles, start_s3_server

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


# --- File storages: the local disk and S3 --------------------------------------------


@pytest.fixture
def media(settings: SettingsWrapper, tmp_path: Path) -> Path:
    """A fresh, empty file storage on the local disk for one test, to see exactly what
    was written."""
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto's S3 in server mode on 127.0.0.1 at a free port, for the whole run."""
    server, s3 = start_s3_server()
    try:
        yield s3
    finally:
        server.stop()


@pytest.fixture
def s3_storage(
    s3_server: S3Server,
    settings: SettingsWrapper,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[str]:
    """The default storage on an empty bucket of the local S3 server, configured as
    production configures it (kmtracker/settings/storage.py); yields the bucket's name.
    Nothing may land on the local disk meanwhile: MEDIA_ROOT is an empty folder that
    must stay empty."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    bucket = s3_server.new_bucket()
    settings.MEDIA_ROOT = tmp_path / "unused-media"
    settings.MEDIA_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_settings(bucket=bucket, endpoint_url=s3_server.endpoint_url, region=REGION),
    }
    yield bucket
    assert not any(settings.MEDIA_ROOT.iterdir()), "a file was written to the local disk"


@pytest.fixture(params=["disk", "s3"])
def file_storage(request: pytest.FixtureRequest) -> StoredFiles:
    """Runs the test twice: with files on the local disk, and on S3 (moto, 127.0.0.1)."""
    if request.param == "disk":
        root = request.getfixturevalue("media")
        return StoredFiles("disk", storages["default"], root=root)
    bucket = request.getfixturevalue("s3_storage")  # before the storage is looked up
    return StoredFiles("s3", storages["default"], bucket=bucket)
