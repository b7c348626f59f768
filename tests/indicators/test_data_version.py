"""The data version (indicators/data_version.py): which statements move it, and that
the stored one moves once per committed transaction, after the commit."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test import Client

from indicators import data_version
from indicators.models import DataVersion, ReportJob, Unit
from tests.factories import UnitFactory, UserFactory


@pytest.mark.parametrize(
    ("sql", "watched"),
    [
        ('INSERT INTO "indicators_unit" ("name") VALUES (%s)', True),
        ('INSERT OR IGNORE INTO "indicators_assessment_owners" ("user_id") VALUES (%s)', True),
        ('UPDATE "indicators_criterionresult" SET "narrative" = %s', True),
        ('DELETE FROM "evidence_evidenceitem" WHERE "id" IN (%s)', True),
        ('  update "auth_user_groups" set x = 1', True),
        ('INSERT INTO "indicators_historicalassessment" ("id") VALUES (%s)', True),
        ('TRUNCATE "django_session", "evidence_document";', True),
        ('SELECT "id" FROM "indicators_unit"', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "indicators_reportjob" ("kind") VALUES (%s)', False),
        ('UPDATE "indicators_sarpart" SET "file" = %s', False),
        ('UPDATE "indicators_dataversion" SET "value" = ("value" + 1)', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
        ('TRUNCATE "django_session"', False),
        # A log-in (django.contrib.auth.models.update_last_login) is not a change.
        ('UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s', False),
        ('UPDATE "auth_user" SET "last_login" = %s, "first_name" = %s WHERE "id" = %s', True),
        ('UPDATE "auth_user" SET "password" = %s WHERE "auth_user"."id" = %s', True),
    ],
)
def test_which_statements_count_as_a_change(sql: str, watched: bool) -> None:
    assert data_version.writes_watched_table(sql) is watched


def _stored() -> int:
    return DataVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0


@pytest.mark.django_db(transaction=True)
def test_the_stored_version_moves_once_per_committed_transaction() -> None:
    DataVersion.objects.get_or_create(pk=1)  # unwatched: moves nothing
    before = _stored()
    with transaction.atomic():
        unit = UnitFactory(name="หน่วยงานทดสอบ")
        Unit.objects.filter(pk=unit.pk).update(name="หน่วยงานที่แก้ชื่อ")
        assert _stored() == before  # not before the commit
    assert _stored() == before + 1
    Unit.objects.filter(pk=unit.pk).update(name="อีกชื่อ")  # autocommit
    assert _stored() == before + 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_or_unwatched_write_leaves_the_stored_version() -> None:
    before = _stored()
    with pytest.raises(RuntimeError), transaction.atomic():
        UnitFactory(name="ไม่ได้บันทึก")
        raise RuntimeError
    session = SessionStore()
    session["x"] = 1
    session.create()
    ReportJob.objects.filter(pk=0).update(progress=1)
    assert _stored() == before


@pytest.mark.django_db(transaction=True)
def test_a_log_in_leaves_the_stored_version(client: Client) -> None:
    """Kept pages stay kept through the morning's log-ins."""
    user = UserFactory(username="somchai")
    before = _stored()
    client.force_login(user)  # sets last_login, as every log-in does
    user.refresh_from_db()
    assert user.last_login is not None
    assert _stored() == before


@pytest.mark.django_db
def test_the_version_moves_at_once_within_the_process() -> None:
    """Before any commit (a request that wrote and then renders, a test's transaction)."""
    before = data_version.current()
    UnitFactory(name="หน่วยงานใหม่")
    assert data_version.current() != before
    unchanged = data_version.current()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert data_version.current() == unchanged


@pytest.mark.django_db(transaction=True)
def test_a_new_row_starts_from_the_clock() -> None:
    """After a flush the row is made again: never back to a number already used."""
    DataVersion.objects.all().delete()
    UnitFactory(name="หน่วยงานหลังล้างข้อมูล")
    assert _stored() > 10**15


def test_one_watcher_per_connection_however_often_it_connects() -> None:
    """connection_created comes on every reconnect of the same wrapper object."""

    class Connection:
        alias = "default"
        execute_wrappers: list[object] = []

    connection = Connection()
    for _ in range(3):
        data_version.install(connection)  # type: ignore[arg-type]
    assert len(connection.execute_wrappers) == 1
