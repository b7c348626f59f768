"""Mutations of the demo SAR page (lines deleted, duplicated, swapped, junk inserted, the
text cut short): the parser and the import raise nothing but SarFormatError, and an
import either writes everything or nothing (tests/hostile.py)."""

import contextlib
from typing import Any

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from indicators.demo import SEED_FILE
from indicators.sar_text import SarFormatError, parse_sar
from indicators.services.sar_import import sar_import

from ..hostile import TEXT, rows

SEED_LINES = SEED_FILE.read_text(encoding="utf-8").splitlines()
TABLES = (
    "indicators.Unit",
    "indicators.Cycle",
    "indicators.Indicator",
    "indicators.Criterion",
    "indicators.Assessment",
    "indicators.CriterionResult",
    "evidence.EvidenceItem",
)


@st.composite
def mutated_page(draw: Any) -> str:
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        match draw(st.sampled_from(["delete", "duplicate", "swap", "junk", "truncate"])):
            case "delete":
                del lines[at]
            case "duplicate":
                lines.insert(at, lines[at])
            case "swap":
                other = draw(st.integers(0, len(lines) - 1))
                lines[at], lines[other] = lines[other], lines[at]
            case "junk":
                lines.insert(at, draw(TEXT))
            case "truncate":
                lines = lines[:at]
                if lines:
                    lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        if not lines:
            break
    return "\n".join(lines)


@given(text=mutated_page())
def test_parser_raises_only_format_errors(text: str) -> None:
    with contextlib.suppress(SarFormatError):
        parse_sar(text)


@pytest.mark.django_db
@given(text=mutated_page())
def test_import_writes_all_or_nothing(text: str) -> None:
    with transaction.atomic():  # each example starts from an empty database
        before = rows(*TABLES)
        try:
            sar_import(
                text=text,
                unit_prefix="สพ",
                unit_name="สำนักพิมพ์",
                year_be=2563,
                cycle_kind="fiscal",
            )
        except SarFormatError:
            assert rows(*TABLES) == before, "a refused import wrote"
        else:
            assert rows(*TABLES) != before
        transaction.set_rollback(True)
