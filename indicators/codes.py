"""Evidence codes, written once: 'สพ 3-1 (1)' is {unit prefix} {indicator number}-{criterion
order} ({item number}).

A code is derived from where an item stands, never stored: models build it here, the
citation checks and the history find it in text here, the evidence services rewrite it in
text here when items are renumbered, and the SAR parser reads it here.

A citation of an item that was removed is rewritten to 'สพ 3-1 (2 ถูกลบ)' ("deleted"):
still readable as what it once cited, but no longer a live code, so no later
renumbering re-points it at another document and the citation checks flag it until the
unit rewrites the sentence.
"""

import re
from collections.abc import Iterable, Mapping
from functools import cache

# A code at the start of a line of a SAR page, with any prefix, and what follows it
# (the caption): the layout the SAR parser reads.
LEADING_CODE = re.compile(r"^(\S+) (\d+(?:\.\d+)*)-(\d+) \((\d+)\)(?:\s+(.*?))?\s*$")

# The word inside the brackets of a citation whose item was removed. Written into the
# unit's own text, so it is data (like the code itself), not a translated message.
DELETED_MARK = "ถูกลบ"

# The history's reason for a text rewritten because the items it cites were renumbered
# (a key, translated when the history is shown).
CODES_FOLLOWED_REASON = "evidence codes followed their items"

_STEM = r"\s*(\d+(?:\.\d+)*)\s*-\s*(\d+)\s*\(\s*(\d+)\s*"


def code_stem(prefix: str, indicator_number: str, criterion_order: int | str) -> str:
    """'สพ 3-1': what every code under one criterion starts with."""
    return f"{prefix} {indicator_number}-{criterion_order}"


def make_code(
    prefix: str, indicator_number: str, criterion_order: int | str, number: int | str
) -> str:
    return f"{code_stem(prefix, indicator_number, criterion_order)} ({number})"


def make_dangling_code(
    prefix: str, indicator_number: str, criterion_order: int | str, number: int | str
) -> str:
    """'สพ 3-1 (2 ถูกลบ)': what a citation of a removed item becomes."""
    return f"{code_stem(prefix, indicator_number, criterion_order)} ({number} {DELETED_MARK})"


@cache
def code_pattern(prefix: str) -> re.Pattern[str]:
    """Codes of one unit in free text, tolerant of the spacing people type."""
    return re.compile(rf"{re.escape(prefix)}{_STEM}\)")


@cache
def dangling_pattern(prefix: str) -> re.Pattern[str]:
    """Citations of removed items of one unit, with the same tolerance."""
    return re.compile(rf"{re.escape(prefix)}{_STEM}{re.escape(DELETED_MARK)}\s*\)")


def cited_codes(text: str, prefix: str) -> list[str]:
    """The codes a text cites, normalised as the app writes them, in order."""
    return [make_code(prefix, *match.groups()) for match in code_pattern(prefix).finditer(text)]


def dangling_codes(text: str, prefix: str) -> list[str]:
    """The codes, as they were ('สพ 3-1 (2)'), of the removed items a text still cites."""
    return [make_code(prefix, *match.groups()) for match in dangling_pattern(prefix).finditer(text)]


def rewrite_codes(text: str, prefix: str, mapping: Mapping[str, str]) -> str:
    """The text with every code of ``prefix`` that ``mapping`` names (by its normalised
    form, as ``make_code`` writes it) replaced with what it maps to.

    One pass over the text, so the replacements are simultaneous: {(1): (2), (2): (1)}
    swaps the two. Codes not in ``mapping`` keep exactly the spacing they were typed with.
    """
    if not mapping:
        return text

    def replace(match: re.Match[str]) -> str:
        return mapping.get(make_code(prefix, *match.groups()), match.group(0))

    return code_pattern(prefix).sub(replace, text)


def join_codes(codes: Iterable[str]) -> str:
    """Normalised codes as one list, each stem written once in a run:
    'สพ 3-1 (1), (2), (5), สพ 3-2 (1)'."""
    parts: list[str] = []
    last_stem = None
    for code in codes:
        stem, _, number = code.rpartition(" (")
        parts.append(f"({number}" if stem == last_stem else code)
        last_stem = stem
    return ", ".join(parts)
