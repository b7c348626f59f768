"""Who gets what from every URL of the site: a table decided by hand, checked against the
URL resolver, so a new page cannot be added without deciding who may see it.

Each row is a URL name (with the status of the assessment its object belongs to, where
that matters), the object its arguments come from, and what each persona gets for a
GET and for a POST (with ``data``, else an empty body), in the order of PERSONAS:

    anonymous  staff  head  qa  qa_admin  outsider

An answer is a status code; ``+`` after it means that POST writes (with the data given).
Every other request, refused or not, must not write to any data table: no INSERT, UPDATE
or DELETE is sent but to the session's. The admin (its own rule below) and static files
(served by WhiteNoise, outside the URL resolver) are not in the table.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.core.signals import request_finished
from django.db import close_old_connections, connection, transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from indicators.models import Membership
from indicators.reports import pdf

from .permission_world import PERSONAS, World, build_world, data_writes, snapshot

Args = Callable[[World, str], dict[str, Any]]
EXCLUDED_NAMESPACES = {"admin"}


def _pk(kind: str) -> Args:
    return lambda world, status: {"pk": getattr(world.sars[status], kind).pk}


def _record(name: str) -> Args:
    return lambda world, status: {"pk": _records(world)[name].pk}


def _records(world: World) -> dict[str, Any]:
    records = world.records
    return {
        "meeting": records.km_meeting,
        "person": records.people[0],
        "group": records.group,
        "activity": records.sharing,
        "topic": records.topic,
        "document": world.document,
        "job": world.report_job,
    }


NONE: Args = lambda world, status: {}  # noqa: E731
UNIT: Args = lambda world, status: {"unit_pk": world.unit.pk}  # noqa: E731
UNIT_PK: Args = lambda world, status: {"pk": world.unit.pk}  # noqa: E731
CYCLE: Args = lambda world, status: {"cycle_pk": world.sars[status].assessment.indicator.cycle_id}  # noqa: E731
UNIT_CYCLE: Args = lambda world, status: {**UNIT(world, status), **CYCLE(world, status)}  # noqa: E731
ASSESSMENT, RESULT, ITEM, COMMENT = _pk("assessment"), _pk("result"), _pk("item"), _pk("comment")
SETUP_CYCLE: Args = lambda world, status: {"pk": world.sars[status].assessment.indicator.cycle_id}  # noqa: E731
SETUP_INDICATOR: Args = lambda world, status: {"pk": world.sars[status].assessment.indicator_id}  # noqa: E731
SETUP_CRITERION: Args = lambda world, status: {"pk": world.sars[status].result.criterion_id}  # noqa: E731
RESET: Args = lambda world, status: {"uidb64": "MQ", "token": "set-password"}  # noqa: E731
MEMBERSHIP: Args = lambda world, status: {  # noqa: E731
    "pk": Membership.objects.get(user=world.users["staff"]).pk
}


@dataclass(frozen=True)
class Row:
    args: Args
    get: str
    post: str
    data: dict[str, str] | None = None
    status: str = "draft"


# fmt: off
#                                  anonymous staff head qa qa_admin outsider
READ_UNIT = "302 200 200 200 200 404"
EDIT_UNIT = "302 200 200 403 403 404"
NO_POST_ANON_LOGIN = "302 405 405 405 405 405"
NO_GET_ANON_LOGIN = NO_POST_ANON_LOGIN
NO_METHOD = "405 405 405 405 405 405"
QA_ADMIN_ONLY = "302 403 403 403 200 403"
# The QA administrator's setup pages: 403 for everyone else.
SET_UP = "302 403 403 403 200 403"
SET_UP_REDIRECT = "302 403 403 403 302 403"

TABLE: dict[str, list[Row]] = {
    "home": [Row(NONE, "302 200 200 200 200 200", NO_POST_ANON_LOGIN)],
    "login": [Row(NONE, "200 302 302 302 302 302", "200 302 302 302 302 302")],
    "logout": [Row(NONE, "302 200 200 200 200 200", "302 302 302 302 302 302")],
    "password_change": [Row(NONE, "302 200 200 200 200 200", "302 200 200 200 200 200")],
    "password_change_done": [Row(NONE, "302 200 200 200 200 200", "302 405 405 405 405 405")],
    "password_reset": [Row(NONE, "200 200 200 200 200 200", "200 200 200 200 200 200")],
    "password_reset_done": [Row(NONE, "200 200 200 200 200 200", NO_METHOD)],
    "password_reset_confirm": [Row(RESET, "200 200 200 200 200 200", "200 200 200 200 200 200")],
    "password_reset_complete": [Row(NONE, "200 200 200 200 200 200", NO_METHOD)],
    "set_language": [Row(NONE, "302 302 302 302 302 302", "302 302 302 302 302 302",
                         data={"language": "en"})],
    "healthz": [Row(NONE, "200 200 200 200 200 200", NO_METHOD)],
    # The unit's pages.
    "indicators:unit": [Row(UNIT_PK, READ_UNIT, NO_POST_ANON_LOGIN)],
    "indicators:assessment": [Row(ASSESSMENT, READ_UNIT, NO_POST_ANON_LOGIN, status=s)
                              for s in ("draft", "approved")],
    "indicators:assessment_details": [
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 200 200 403 403 404"),
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 200 200 403 403 404", status="returned"),
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 403 403 403 404", status="submitted"),
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 403 403 403 404", status="approved"),
    ],
    # Owners are named by the head or the QA administrator, whatever the status (an empty
    # choice on an assessment without owners changes nothing).
    "indicators:assessment_owners": [
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 302 403 302 404", status=s)
        for s in ("draft", "approved")
    ],
    "indicators:result_owners": [
        Row(RESULT, NO_GET_ANON_LOGIN, "302 403 302 403 302 404", status=s)
        for s in ("draft", "submitted")
    ],
    "indicators:result_narrative": [
        Row(RESULT, EDIT_UNIT, "302 200 200 403 403 404"),
        Row(RESULT, "302 403 403 403 403 404", "302 403 403 403 403 404", status="submitted"),
    ],
    "indicators:result_met": [
        Row(RESULT, NO_GET_ANON_LOGIN, "302 302+ 302+ 403 403 404"),
        Row(RESULT, NO_GET_ANON_LOGIN, "302 403 403 403 403 404", status="approved"),
    ],
    # A SAR page from a Word file: the unit's members while they may edit, and the QA
    # administrator for any unit (an empty upload is answered with its error).
    "indicators:sar_upload": [
        Row(ASSESSMENT, "302 200 200 403 200 404", "302 200 200 403 200 404"),
        Row(ASSESSMENT, "302 403 403 403 403 404", "302 403 403 403 403 404", status="submitted"),
    ],
    # The workflow.
    "indicators:assessment_submit": [
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 302+ 403 403 404"),
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 302+ 403 403 404", status="returned"),
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 302 403 403 404", status="submitted"),
    ],
    "indicators:assessment_return": [
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 403 302 302 404", data={"reason": "แก้"}),
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 403 302+ 302+ 404", data={"reason": "แก้"},
            status="submitted"),
    ],
    "indicators:assessment_approve": [
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 403 302 302 404",
            data={"committee_score": "4"}),
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 403 302+ 302+ 404",
            data={"committee_score": "4"}, status="submitted"),
    ],
    "indicators:assessment_reopen": [
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 403 403 302 404", data={"reason": "เปิด"},
            status="submitted"),
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 403 403 302+ 404", data={"reason": "เปิด"},
            status="approved"),
    ],
    # The QA review.
    "indicators:review": [Row(ASSESSMENT, "302 403 403 200 200 404", NO_POST_ANON_LOGIN,
                              status=s) for s in ("draft", "submitted")],
    "indicators:comment_add": [
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 403 302 302 404", data={"body": "ดู"}),
        Row(ASSESSMENT, NO_GET_ANON_LOGIN, "302 403 403 302+ 302+ 404", data={"body": "ดู"},
            status="submitted"),
    ],
    "indicators:comment_reply": [
        Row(COMMENT, NO_GET_ANON_LOGIN, "302 302+ 302+ 403 403 404", data={"reply": "แก้แล้ว"},
            status="returned"),
        Row(COMMENT, NO_GET_ANON_LOGIN, "302 302 302 403 403 404", data={"reply": "แก้แล้ว"},
            status="submitted"),
    ],
    "indicators:comment_resolve": [
        Row(COMMENT, NO_GET_ANON_LOGIN, "302 403 403 302+ 302+ 404", status="submitted"),
    ],
    "indicators:review_item": [
        Row(ITEM, NO_GET_ANON_LOGIN, "302 403 403 302 302 404", data={"status": "accepted"}),
        Row(ITEM, NO_GET_ANON_LOGIN, "302 403 403 302+ 302+ 404", data={"status": "accepted"},
            status="submitted"),
    ],
    "indicators:committee_met": [
        Row(RESULT, NO_GET_ANON_LOGIN, "302 403 403 302+ 302+ 404", data={"committee_met": "yes"},
            status="submitted"),
    ],
    "indicators:history": [Row(ASSESSMENT, READ_UNIT, NO_POST_ANON_LOGIN)],
    "indicators:dashboard": [Row(NONE, "302 403 200 200 200 403", NO_POST_ANON_LOGIN)],
    "indicators:dashboard_cycle": [Row(CYCLE, "302 403 200 200 200 403", NO_POST_ANON_LOGIN)],
    # Everyone's own notifications; marking them all read sends its UPDATE (of the user's
    # own rows only) even when none is unread.
    "indicators:notifications": [Row(NONE, "302 200 200 200 200 200", NO_POST_ANON_LOGIN)],
    "indicators:notifications_read": [Row(NONE, NO_GET_ANON_LOGIN,
                                          "302 302+ 302+ 302+ 302+ 302+")],
    # The QA administrator's set-up of a cycle (an empty post is refused: nothing written).
    "indicators:assignments": [Row(CYCLE, "302 403 403 403 200 403", "302 403 403 403 200 403")],
    # Reports.
    # Asking for a unit's report writes a job (the worker makes the file).
    "indicators:assessment_pdf": [Row(ASSESSMENT, NO_METHOD, "302 302+ 302+ 302+ 302+ 404")],
    "indicators:unit_sar_pdf": [Row(UNIT_CYCLE, NO_METHOD, "302 302+ 302+ 302+ 302+ 404")],
    "indicators:unit_bundle": [Row(UNIT_CYCLE, NO_METHOD, "302 302+ 302+ 302+ 302+ 404")],
    "indicators:unit_committee_report": [Row(UNIT_CYCLE, NO_METHOD,
                                             "302 302+ 302+ 302+ 302+ 404")],
    "indicators:university_pdf": [Row(CYCLE, "302 403 403 200 200 403",
                                       "302 403 403 302+ 302+ 403")],
    "indicators:report_job": [Row(_record("job"), "302 404 404 200 404 404", NO_METHOD)],
    "indicators:report_job_download": [Row(_record("job"), "302 404 404 200 404 404",
                                           NO_METHOD)],
    # A job that is done is not made again: the requester is sent back to it.
    "indicators:report_job_retry": [Row(_record("job"), "405 405 405 405 405 405",
                                        "302 404 404 302 404 404")],
    # The QA administrator's imports from Excel and a unit's members.
    "indicators:indicator_set_import": [Row(CYCLE, QA_ADMIN_ONLY, QA_ADMIN_ONLY)],
    "indicators:indicator_set_template": [Row(NONE, QA_ADMIN_ONLY, NO_POST_ANON_LOGIN)],
    "indicators:accounts_import": [Row(NONE, QA_ADMIN_ONLY, QA_ADMIN_ONLY)],
    "indicators:accounts_template": [Row(NONE, QA_ADMIN_ONLY, NO_POST_ANON_LOGIN)],
    "indicators:unit_members": [Row(UNIT_PK, QA_ADMIN_ONLY, QA_ADMIN_ONLY)],
    "indicators:membership_role": [Row(MEMBERSHIP, NO_GET_ANON_LOGIN, "302 403 403 403 302+ 403",
                                       data={"role": "head"})],
    "indicators:membership_remove": [Row(MEMBERSHIP, NO_GET_ANON_LOGIN,
                                         "302 403 403 403 302+ 403")],
    "indicators:membership_invite": [Row(MEMBERSHIP, NO_GET_ANON_LOGIN,
                                         "302 403 403 403 302 403")],
    # The QA administrator's setup of cycles, indicators and criteria. An empty form is
    # answered with its errors; the world's indicator has the units' data, so deleting it
    # or one of its criteria (or moving one) is refused with the reason.
    "indicators:setup_cycles": [Row(NONE, SET_UP, NO_POST_ANON_LOGIN)],
    "indicators:setup_cycle_add": [Row(NONE, SET_UP, SET_UP)],
    "indicators:setup_cycle": [Row(SETUP_CYCLE, SET_UP, NO_POST_ANON_LOGIN)],
    "indicators:setup_cycle_edit": [Row(SETUP_CYCLE, SET_UP, SET_UP)],
    "indicators:setup_indicator_set_copy": [Row(SETUP_CYCLE, SET_UP, SET_UP)],
    "indicators:setup_indicator_add": [Row(SETUP_CYCLE, SET_UP, SET_UP)],
    "indicators:setup_indicator": [Row(SETUP_INDICATOR, SET_UP, SET_UP)],
    "indicators:setup_indicator_delete": [Row(SETUP_INDICATOR, SET_UP, SET_UP_REDIRECT)],
    "indicators:setup_criterion_add": [
        Row(SETUP_INDICATOR, NO_GET_ANON_LOGIN, SET_UP_REDIRECT),
        Row(SETUP_INDICATOR, NO_GET_ANON_LOGIN, "302 403 403 403 302+ 403",
            data={"text": "เกณฑ์ใหม่"}),
    ],
    "indicators:setup_criterion": [Row(SETUP_CRITERION, SET_UP, SET_UP)],
    "indicators:setup_criterion_delete": [Row(SETUP_CRITERION, SET_UP, SET_UP_REDIRECT)],
    "indicators:setup_criterion_move": [
        Row(SETUP_CRITERION, NO_GET_ANON_LOGIN, SET_UP_REDIRECT, data={"direction": "down"}),
    ],
    # Evidence under a criterion.
    "evidence:result_evidence": [Row(RESULT, READ_UNIT, NO_POST_ANON_LOGIN)],
    "evidence:item_add": [
        Row(RESULT, EDIT_UNIT, "302 200 200 403 403 404"),
        Row(RESULT, "302 403 403 403 403 404", "302 403 403 403 403 404", status="submitted"),
    ],
    "evidence:item_edit": [
        Row(ITEM, EDIT_UNIT, "302 302+ 302+ 403 403 404", data={"caption": "ใหม่"}),
        Row(ITEM, "302 403 403 403 403 404", "302 403 403 403 403 404", data={"caption": "ใหม่"},
            status="approved"),
    ],
    "evidence:item_replace": [
        Row(ITEM, EDIT_UNIT, "302 200 200 403 403 404"),
        Row(ITEM, "302 403 403 403 403 404", "302 403 403 403 403 404", status="submitted"),
    ],
    "evidence:item_move": [
        Row(ITEM, NO_GET_ANON_LOGIN, "302 302+ 302+ 403 403 404", data={"direction": "down"}),
        Row(ITEM, NO_GET_ANON_LOGIN, "302 403 403 403 403 404", data={"direction": "down"},
            status="submitted"),
    ],
    "evidence:item_remove": [
        Row(ITEM, NO_GET_ANON_LOGIN, "302 302+ 302+ 403 403 404"),
        Row(ITEM, NO_GET_ANON_LOGIN, "302 403 403 403 403 404", status="approved"),
    ],
    "evidence:item_links": [
        Row(ITEM, READ_UNIT, "302 302+ 302+ 403 403 404"),
        Row(ITEM, READ_UNIT, "302 403 403 403 403 404", status="submitted"),
    ],
    # Files.
    "evidence:document_download": [Row(_record("document"), READ_UNIT, NO_POST_ANON_LOGIN)],
    "evidence:document_thumbnail": [Row(_record("document"), READ_UNIT, NO_POST_ANON_LOGIN)],
    # A unit's records.
    "evidence:records": [Row(UNIT, READ_UNIT, NO_POST_ANON_LOGIN)],
    "evidence:meeting_list": [Row(UNIT, READ_UNIT, NO_POST_ANON_LOGIN)],
    "evidence:meeting_add": [Row(UNIT, EDIT_UNIT, EDIT_UNIT)],
    "evidence:meeting_edit": [Row(_record("meeting"), READ_UNIT, EDIT_UNIT)],
    "evidence:meeting_delete": [Row(_record("meeting"), EDIT_UNIT, "302 302+ 302+ 403 403 404")],
    "evidence:people": [Row(UNIT, READ_UNIT, NO_POST_ANON_LOGIN)],
    "evidence:person_add": [Row(UNIT, EDIT_UNIT, EDIT_UNIT)],
    "evidence:person_edit": [Row(_record("person"), READ_UNIT, EDIT_UNIT)],
    "evidence:target_group_add": [Row(UNIT, EDIT_UNIT, EDIT_UNIT)],
    "evidence:target_group_edit": [Row(_record("group"), READ_UNIT, EDIT_UNIT)],
    "evidence:activity_list": [Row(UNIT, READ_UNIT, NO_POST_ANON_LOGIN)],
    "evidence:activity_add": [Row(UNIT, EDIT_UNIT, EDIT_UNIT)],
    "evidence:activity_edit": [Row(_record("activity"), READ_UNIT, EDIT_UNIT)],
    "evidence:activity_delete": [Row(_record("activity"), EDIT_UNIT,
                                     "302 302+ 302+ 403 403 404")],
    "evidence:topic_list": [Row(UNIT, READ_UNIT, NO_POST_ANON_LOGIN)],
    "evidence:topic_add": [Row(UNIT, EDIT_UNIT, EDIT_UNIT)],
    "evidence:topic_edit": [Row(_record("topic"), READ_UNIT, EDIT_UNIT)],
    "evidence:topic_rename": [Row(_record("topic"), EDIT_UNIT, EDIT_UNIT)],
}
# fmt: on


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, str]]:
    """(name, route) of every URL pattern, through every include."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{inner}:" if inner else namespace
            yield from _walk(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield name, str(entry.pattern)


def test_every_url_is_in_the_table() -> None:
    found = dict(_walk(get_resolver().url_patterns))
    assert "" not in found, f"a URL without a name: {found.get('')!r}"
    missing = sorted(set(found) - set(TABLE))
    assert not missing, f"URLs nobody decided who may see (add them to TABLE): {missing}"
    stale = sorted(set(TABLE) - set(found))
    assert not stale, f"TABLE rows for URLs that no longer exist: {stale}"


# --- The world, once per module ------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once, inside a transaction rolled back at the end of the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def clients(world: World) -> dict[str, Client]:
    """One client per persona, signed in once (the session row lives in the module's
    transaction); tests that sign out or keep cookies get a fresh one."""
    signed_in = {}
    for persona, user in world.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        signed_in[persona] = client
    return signed_in


@pytest.fixture(autouse=True)
def _no_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Who may download a PDF is the question here, not how it looks: skip WeasyPrint."""
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kwargs: b"%PDF-1.4 matrix")


CASES = [
    pytest.param(name, index, persona, method, id=f"{name}[{row.status}]-{persona}-{method}")
    for name, rows in TABLE.items()
    for index, row in enumerate(rows)
    for persona in PERSONAS
    for method in ("GET", "POST")
]


def _expected(row: Row, persona: str, method: str) -> tuple[int, bool]:
    answers = (row.get if method == "GET" else row.post).split()
    assert len(answers) == len(PERSONAS), f"a row needs {len(PERSONAS)} answers: {answers}"
    answer = answers[PERSONAS.index(persona)]
    return int(answer.rstrip("+")), answer.endswith("+")


def _close(response: Any) -> None:
    """A file download holds its file open until closed. Closing sends request_finished,
    whose close_old_connections would close PostgreSQL's connection in the middle of the
    module's transaction (as Django's test client avoids for its own close)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("name", "index", "persona", "method"), CASES)
def test_permission_matrix(
    world: World,
    clients: dict[str, Client],
    db: None,
    name: str,
    index: int,
    persona: str,
    method: str,
) -> None:
    row = TABLE[name][index]
    status, writes = _expected(row, persona, method)
    client = clients[persona]
    cookies = SimpleCookie(client.cookies)
    url = reverse(name, kwargs=row.args(world, row.status))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url) if method == "GET" else client.post(url, row.data or {})
        _close(response)
    client.cookies = cookies  # the language, messages or a sign-out stay with this test
    wrote = bool(data_writes(queries.captured_queries))
    got = f"{response.status_code}{'+' if wrote else ''}"
    expected = f"{status}{'+' if writes else ''}"
    assert got == expected, f"{method} {url} ({name}, {row.status}) as {persona}: {got}"
    if persona == "anonymous" and status == 302 and name not in {"set_language", "logout"}:
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


# --- The admin has its own rule --------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_only_for_staff_accounts(world: World, db: None, persona: str) -> None:
    """The Django admin lets in only accounts marked is_staff (none of the personas is):
    everyone else is sent to its login page, for a GET of any of its pages and a POST."""
    client = Client()
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    for url in ("/admin/", "/admin/indicators/assessment/", "/admin/evidence/evidenceitem/"):
        before = snapshot()
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/"), url
        assert snapshot() == before
