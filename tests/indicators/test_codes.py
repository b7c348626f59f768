"""The code helpers in indicators.codes, as pure functions: rewriting, dangling marks, lists."""

import pytest

from indicators.codes import (
    cited_codes,
    code_pattern,
    dangling_codes,
    join_codes,
    make_dangling_code,
    rewrite_codes,
)

SWAP = {"สพ 3-1 (1)": "สพ 3-1 (2)", "สพ 3-1 (2)": "สพ 3-1 (1)"}


def test_rewrite_swaps_at_once() -> None:
    text = "ประชุม (สพ 3-1 (1)) แล้วสรุปผล (สพ 3-1 (2)) และอีกครั้ง สพ 3-1 (1)"
    assert rewrite_codes(text, "สพ", SWAP) == (
        "ประชุม (สพ 3-1 (2)) แล้วสรุปผล (สพ 3-1 (1)) และอีกครั้ง สพ 3-1 (2)"
    )


@pytest.mark.parametrize(
    "typed",
    ["สพ 3-1 (1)", "สพ3-1(1)", "สพ 3 - 1 ( 1 )", "สพ  3-1  (1)", "สพ 3-1(1 )"],
)
def test_rewrite_reads_the_spacing_people_type(typed: str) -> None:
    text = f"ดังเอกสาร{typed}ที่แนบ"
    assert rewrite_codes(text, "สพ", SWAP) == "ดังเอกสารสพ 3-1 (2)ที่แนบ"


def test_rewrite_leaves_other_codes_as_typed() -> None:
    text = (
        "สพ 3-2 (1), สพ 3-1 (3), สพ3-2(2), สพ 4-1 (1), สพ 13-1 (1), สพ 3.1-1 (1), "
        "สบ 3-1 (1) และ สพ 3-1 (2)"
    )
    assert rewrite_codes(text, "สพ", SWAP) == text.replace("และ สพ 3-1 (2)", "และ สพ 3-1 (1)")


def test_rewrite_without_codes_or_mapping_is_the_same_text() -> None:
    text = "ไม่มีการอ้างอิงรหัสใดเลย (1) 3-1"
    assert rewrite_codes(text, "สพ", SWAP) == text
    assert rewrite_codes("สพ 3-1 (1)", "สพ", {}) == "สพ 3-1 (1)"
    assert rewrite_codes("", "สพ", SWAP) == ""


def test_a_dangling_code_is_no_longer_a_live_code() -> None:
    dangling = make_dangling_code("สพ", "3", 1, 2)
    assert dangling == "สพ 3-1 (2 ถูกลบ)"
    text = rewrite_codes("ดู สพ 3-1 (2) และ สพ 3-1 (3)", "สพ", {"สพ 3-1 (2)": dangling})
    assert text == "ดู สพ 3-1 (2 ถูกลบ) และ สพ 3-1 (3)"
    assert cited_codes(text, "สพ") == ["สพ 3-1 (3)"]
    assert code_pattern("สพ").search(dangling) is None
    assert dangling_codes(text, "สพ") == ["สพ 3-1 (2)"]
    # Later renumbering does not re-point it.
    assert rewrite_codes(text, "สพ", {"สพ 3-1 (2)": "สพ 3-1 (1)"}) == text


def test_dangling_codes_tolerate_spacing_and_ignore_other_prefixes() -> None:
    text = "สพ3-1( 2ถูกลบ ) สพ 3 - 2 (5 ถูกลบ) สบ 3-1 (1 ถูกลบ)"
    assert dangling_codes(text, "สพ") == ["สพ 3-1 (2)", "สพ 3-2 (5)"]


def test_join_codes_writes_each_stem_once_per_run() -> None:
    assert join_codes([]) == ""
    assert join_codes(["สพ 3-1 (1)"]) == "สพ 3-1 (1)"
    codes = ["สพ 3-1 (1)", "สพ 3-1 (2)", "สพ 3-1 (5)", "สพ 1.1-4 (10)", "สพ 3-1 (7)"]
    assert join_codes(codes) == "สพ 3-1 (1), (2), (5), สพ 1.1-4 (10), สพ 3-1 (7)"


def test_cited_codes_are_normalised() -> None:
    text = "ดังเอกสาร สพ 3-1 (1) และ สพ3-1(2) รวมทั้ง สพ 1.1 - 4 ( 10 ) แต่ไม่ใช่ สบ 3-1 (1)"
    assert cited_codes(text, "สพ") == ["สพ 3-1 (1)", "สพ 3-1 (2)", "สพ 1.1-4 (10)"]
