"""Hostile cells in the import sheets (tests/hostile.py): the imports raise nothing but
SheetError, and either write everything or nothing; the import pages never answer 500."""

import contextlib
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from indicators.models import Cycle
from indicators.services.accounts.imports import accounts_import
from indicators.services.indicator_sets.imports import indicator_set_import
from indicators.sheets import SheetError

from ..factories import CycleFactory, QAAdminFactory, UnitFactory
from ..hostile import hostile, hostile_post, post_hostile, rows
from ..sheet_helpers import xlsx

pytestmark = pytest.mark.django_db

TABLES = ("indicators.Indicator", "indicators.Criterion", "indicators.CriterionResult")
ACCOUNT_TABLES = ("indicators.Unit", "indicators.Membership", "auth.User")
SET_HEADER = ["ตัวบ่งชี้ที่", "ชื่อตัวบ่งชี้", "ชนิดของตัวบ่งชี้", "ตารางคะแนน", "ค่าที่ได้คะแนนเต็ม",
              "หน่วย", "เกณฑ์ข้อที่", "เกณฑ์มาตรฐาน"]  # fmt: skip
# What a cell may hold: hostile text (less what a workbook cannot store), numbers, the
# words the columns expect, or nothing.
CELL = st.one_of(
    hostile().map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["กระบวนการ", "ผลผลิต", "staff", "head", "1=1, 2=5", "80", "1", "สพ"]),
    st.none(),
)


def sheet_rows(width: int) -> st.SearchStrategy[list[list[Any]]]:
    return st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=6)


@given(body=sheet_rows(8))
def test_indicator_set_import_refuses_cleanly(body: list[list[Any]]) -> None:
    cycle: Cycle = CycleFactory(year_be=2567)
    with transaction.atomic():
        before = rows(*TABLES)
        try:
            indicator_set_import(cycle=cycle, data=xlsx({"S": [SET_HEADER, *body]}))
        except SheetError as error:
            assert error.message
            assert rows(*TABLES) == before
        transaction.set_rollback(True)


@given(units=sheet_rows(3), users=sheet_rows(4))
def test_accounts_import_refuses_cleanly(units: list[list[Any]], users: list[list[Any]]) -> None:
    UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ")
    data = xlsx(
        {
            "หน่วยงาน": [["ชื่อหน่วยงาน", "อักษรย่อรหัสเอกสาร", "สังกัด"], *units],
            "ผู้ใช้": [["ชื่อ-นามสกุล", "อีเมล", "หน่วยงาน", "บทบาท"], *users],
        }
    )
    with transaction.atomic():
        before = rows(*ACCOUNT_TABLES)
        with contextlib.suppress(SheetError):
            accounts_import(data=data, send_mail=False)
            before = rows(*ACCOUNT_TABLES)  # written whole: nothing more to compare
        assert rows(*ACCOUNT_TABLES) == before
        transaction.set_rollback(True)


@given(data=st.data())
def test_import_and_members_forms(data: st.DataObject) -> None:
    client = Client()
    client.force_login(QAAdminFactory(username="dora"))
    cycle = CycleFactory(year_be=2567)
    unit = UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ")
    posts = [
        (reverse("indicators:indicator_set_import", args=[cycle.pk]),
         {"confirm": hostile(), "sheet": hostile()}),
        (reverse("indicators:accounts_import"), {"confirm": hostile(), "sheet": hostile()}),
        (reverse("indicators:unit_members", args=[unit.pk]),
         {"email": hostile(st.just("dora")), "role": hostile(st.just("head"))}),
    ]  # fmt: skip
    for url, fields in posts:
        body = data.draw(hostile_post(fields))
        post_hostile(client, url, body, tables=(*TABLES, *ACCOUNT_TABLES), saved=_members_saved)


def _members_saved(response: Any) -> bool:
    """Only the members page saves on a hostile post (a real user and role): it redirects."""
    return bool(response.status_code == 302)
