"""Evidence codes, written once: 'สพ 3-1 (1)' is {unit prefix} {indicator number}-{criterion
order} ({item number}).

A code is derived from where an item stands, never stored: models build it here, the
citation checks and the history find it in text here, and the SAR parser reads it here.
"""

import re
from functools import cache

# A code at the start of a line of a SAR page, with any prefix, and what follows it
# (the caption): the layout the SAR parser reads.
LEADING_CODE = re.compile(r"^(\S+) (\d+(?:\.\d+)*)-(\d+) \((\d+)\)(?:\s+(.*?))?\s*$")


def code_stem(prefix: str, indicator_number: str, criterion_order: int | str) -> str:
    """'สพ 3-1': what every code under one criterion starts with."""
    return f"{prefix} {indicator_number}-{criterion_order}"


def make_code(
    prefix: str, indicator_number: str, criterion_order: int | str, number: int | str
) -> str:
    return f"{code_stem(prefix, indicator_number, criterion_order)} ({number})"


@cache
def code_pattern(prefix: str) -> re.Pattern[str]:
    """Codes of one unit in free text, tolerant of the spacing people type."""
    return re.compile(rf"{re.escape(prefix)}\s*(\d+(?:\.\d+)*)\s*-\s*(\d+)\s*\(\s*(\d+)\s*\)")


def cited_codes(text: str, prefix: str) -> list[str]:
    """The codes a text cites, normalised as the app writes them, in order."""
    return [make_code(prefix, *match.groups()) for match in code_pattern(prefix).finditer(text)]
