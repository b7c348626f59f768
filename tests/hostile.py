"""Hostile input for property-based tests (hypothesis): the strategies, the profiles and
the check that a form posted through its view never answers 500 and never writes half.

Profiles, chosen with HYPOTHESIS_PROFILE: ``ci`` (the default: 30 examples a form, the
same ones on every run) and ``long`` (1000 examples, still reproducible), e.g.

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests -k hostile
"""

import os
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

_COMMON: dict[str, Any] = {
    "derandomize": True,  # the same examples on every run: CI is never flaky
    "database": None,  # nothing written into the checkout
    "deadline": None,  # a request on a busy machine may take a while
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", max_examples=30, **_COMMON)
settings.register_profile("long", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

THAI = st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F)
# NUL and other control characters, right-to-left and zero-width marks, a BOM.
ODD = st.sampled_from(
    ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\r", "\n", "\t", "\u200b", "\u200f", "\u202e"]
    + ["\u2066", "\ufeff", "\U0001f600", "ำ", "\u0e4c"]
)
TEXT = st.text(st.one_of(THAI, ODD, st.characters(exclude_categories=["Cs"])), max_size=40)
LONG = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["ก", "x", "\u202e", "ดำเนินงาน ", "\x00"]),
    st.integers(300, 5_000),
)
NUMBER = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["-1", "0", "-0", "1e309", "NaN", "inf", "-inf", "0x10", "๕", "1,5", "4.999"]),
    st.sampled_from([str(2**31), str(2**63), str(-(2**63) - 1), "9" * 40]),
)
DATE = st.sampled_from(
    ["2563-02-30", "2020-13-01", "0000-00-00", "31/12/2563", "9999-12-31", "0001-01-01"]
    + ["15/05/2563", "29/02/2564", "1/1/1", "-1", "2020-02-29T00:00", "๑๕/๐๕/๒๕๖๓"]
    + ["1 ต.ค. 2566", "31 ก.พ. 2566", "1 ตุลาคม 9999", "01/10/2023", "1 Oct 2566", "0/0/0000"]
)


def hostile(*extra: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Any hostile value: text, a very long string, a number or a date, or ``extra``
    (e.g. the ids of another unit's objects)."""
    return st.one_of(TEXT, LONG, NUMBER, DATE, *extra)


def hostile_post(
    fields: dict[str, st.SearchStrategy[str]],
) -> st.SearchStrategy[dict[str, str]]:
    """A form body: each field present with a hostile value, or missing."""
    return st.fixed_dictionaries({}, optional=fields)


def rows(*labels: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the given models ("evidence.Meeting"), to compare before and after."""
    return {
        label: list(apps.get_model(label).objects.order_by("pk").values_list()) for label in labels
    }


def post_hostile(
    client: Client,
    url: str,
    data: dict[str, Any],
    *,
    tables: tuple[str, ...],
    saved: Callable[[Any], bool],
) -> None:
    """Posts ``data``; the answer is never a server error (the test client raises the
    view's exception), and either the whole save happened (``saved(response)``) or no
    row of ``tables`` changed. Rolled back afterwards, so examples do not add up."""
    with transaction.atomic():
        before = rows(*tables)
        response = client.post(url, data)
        assert response.status_code < 500, (response.status_code, data)
        if not saved(response):
            assert rows(*tables) == before, f"a refused post wrote: {data!r}"
        transaction.set_rollback(True)
