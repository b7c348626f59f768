"""The word diff of the history (indicators/history.py word_diff): Thai words changed
inside a phrase without spaces are marked alone, and the work is bounded."""

import re

from indicators import history, limits
from indicators.history import word_diff


def pieces(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<(span|del|ins)>(.*?)</\1>", str(html), flags=re.DOTALL)


def test_a_word_changed_inside_a_thai_phrase_is_marked_alone() -> None:
    old = "จากมติที่ประชุมคณะกรรมการการจัดการความรู้สำนักพิมพ์"
    new = "จากมติที่สัมมนาคณะกรรมการการจัดการความรู้สำนักพิมพ์"
    assert pieces(word_diff(old, new)) == [
        ("span", "จากมติที่"),
        ("del", "ประชุม"),
        ("ins", "สัมมนา"),
        ("span", "คณะกรรมการการจัดการความรู้สำนักพิมพ์"),
    ]


def test_a_word_added_inside_a_thai_phrase_is_marked_alone() -> None:
    diff = pieces(word_diff("สำนักพิมพ์ได้จัดกิจกรรม", "สำนักพิมพ์ได้เริ่มจัดกิจกรรม"))
    assert diff == [("span", "สำนักพิมพ์ได้"), ("ins", "เริ่ม"), ("span", "จัดกิจกรรม")]


def test_a_change_never_splits_a_consonant_from_its_vowel_or_tone_mark() -> None:
    # ดำ → ดี: the vowel alone differs, the marked change holds the whole character.
    assert pieces(word_diff("ดำเนินงาน", "ดีเนินงาน"))[:2] == [("del", "ดำ"), ("ins", "ดี")]
    # แ is written before its consonant: it goes with it.
    for tag, text in pieces(word_diff("แผนงานเดิม", "แบบงานเดิม")):
        if tag != "span":
            assert text[0] not in "ัิีึืุู่้๊๋์ำ"
        if tag == "span" and text:
            assert text[-1] not in "เแโใไ"


def test_spaced_text_and_unchanged_text() -> None:
    assert pieces(word_diff("a b c", "a x c")) == [
        ("span", "a "), ("del", "b"), ("ins", "x"), ("span", " c"),
    ]  # fmt: skip
    assert pieces(word_diff("เหมือนเดิม", "เหมือนเดิม")) == [("span", "เหมือนเดิม")]


def test_html_in_the_text_is_escaped() -> None:
    assert "<b>" not in str(word_diff("ก <b>", "ข <b>"))


def test_a_repeated_text_at_the_limit_is_diffed_word_by_word() -> None:
    old = ("ความรู้ " * limits.NARRATIVE)[: limits.NARRATIVE]
    new = old[:10_000] + "ทักษะ" + old[10_000 : limits.NARRATIVE - 5]
    diff = pieces(word_diff(old, new))
    assert ("ins", "ทักษะ") in diff


def test_a_huge_repetitive_text_falls_back_to_old_and_new_whole() -> None:
    old = "ความรู้" * 10_000  # 70,000 characters, past the limit: written before it
    new = "ความรู้ทักษะ" * 6_000
    assert pieces(word_diff(old, new)) == [("del", old), ("ins", new)]


def test_a_diff_with_too_many_changes_falls_back(monkeypatch) -> None:
    monkeypatch.setattr(history, "DIFF_MAX_HUNKS", 3)
    old = " ".join(f"คำ{i}" for i in range(50))
    new = " ".join(f"คำ{i}ใหม่" for i in range(50))
    assert pieces(word_diff(old, new)) == [("del", old), ("ins", new)]
