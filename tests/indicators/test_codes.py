"""Evidence codes cited in a narrative."""

from indicators.codes import cited_codes


def test_cited_codes_are_normalised() -> None:
    text = "ดังเอกสาร สพ 3-1 (1) และ สพ3-1(2) รวมทั้ง สพ 1.1 - 4 ( 10 ) แต่ไม่ใช่ สบ 3-1 (1)"
    assert cited_codes(text, "สพ") == ["สพ 3-1 (1)", "สพ 3-1 (2)", "สพ 1.1-4 (10)"]
