"""Buddhist-era dates with Thai month names, as Thai official documents write them."""

import datetime
import re

from django.utils import translation

BE_OFFSET = 543

THAI_MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]  # fmt: skip
THAI_MONTHS_SHORT = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]  # fmt: skip

# English pages show and take the same Buddhist-era dates, with English month names.
_ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def be_year(day: datetime.date) -> int:
    return day.year + BE_OFFSET


def thai_date(day: datetime.date, *, short: bool = False) -> str:
    """'9 มกราคม 2563', or with short=True '9 ม.ค. 63' (as in a counting period)."""
    if short:
        return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {be_year(day) % 100:02d}"
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {be_year(day)}"


def localized_date(day: datetime.date, *, short: bool = False) -> str:
    """The page's language, always the Buddhist era (one calendar in both languages, the
    one every date field takes): '9 มกราคม 2563' / '9 January 2563'; short '9 ม.ค. 63'
    / '9 Jan 2563' (an English reader would not know '63' for 2563)."""
    if (translation.get_language() or "th").startswith("th"):
        return thai_date(day, short=short)
    month = _ENGLISH_MONTHS[day.month - 1]
    return f"{day.day} {month[:3] if short else month} {be_year(day)}"


# What a date typed by hand may look like: 1/10/2566, 01-10-2566, 1.10.2566, 2566-10-01,
# and 1 ต.ค. 2566 or 1 ตุลาคม 2566 (the short month name with or without its dots).
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DIGITS_ONLY = re.compile(r"^(\d{2})(\d{2})(\d{4})$")  # 01102566, typed without slashes
_WORDED_DATE = re.compile(r"^(\d{1,2})\s*([^\d\s].*?)\s*(\d{1,4})$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Years below this are Gregorian (or two-digit) years, never Buddhist-era ones.
MIN_BE_YEAR = 2400


def _month_key(name: str) -> str:
    """'ต.ค.', 'ต.ค', 'ตค' and 'ตุลาคม' compare without dots and spaces (and 'Oct.' as 'oct')."""
    return "".join(name.split()).replace(".", "").casefold()


_MONTHS_BY_NAME = {
    _month_key(name): number
    for names in (THAI_MONTHS, THAI_MONTHS_SHORT, _ENGLISH_MONTHS, [m[:3] for m in _ENGLISH_MONTHS])
    for number, name in enumerate(names, start=1)
}


class ThaiDateError(ValueError):
    """A typed date that is no Buddhist-era date; ``code`` says why: 'invalid' (not a
    date at all) or 'not_be' (a Gregorian or two-digit year)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_be_date(text: str) -> datetime.date:
    """The date a person typed with a Buddhist-era year, as a date (Common Era inside).

    Takes ``01/10/2566``, ``1/10/2566``, ``1 ต.ค. 2566``, ``1 ตุลาคม 2566`` (Thai digits
    too), ``2566-10-01``, ``01102566`` and, for English pages, ``1 Oct 2566``. A year below 2400 is
    refused (ThaiDateError 'not_be'): 2023 typed for 2566 would otherwise be stored as a
    date 543 years early.
    """
    value = " ".join(text.translate(_THAI_DIGITS).split())
    if match := _ISO_DATE.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif (match := _NUMERIC_DATE.match(value)) or (match := _DIGITS_ONLY.match(value)):
        day, month, year = (int(part) for part in match.groups())
    elif match := _WORDED_DATE.match(value):
        found = _MONTHS_BY_NAME.get(_month_key(match.group(2)))
        if found is None:
            raise ThaiDateError("invalid")
        day, month, year = int(match.group(1)), found, int(match.group(3))
    else:
        raise ThaiDateError("invalid")
    if year < MIN_BE_YEAR:
        raise ThaiDateError("not_be")
    try:
        return datetime.date(year - BE_OFFSET, month, day)
    except ValueError:
        raise ThaiDateError("invalid") from None


def format_be_date(day: datetime.date) -> str:
    """What a date field shows for editing: '01/10/2566'."""
    return f"{day.day:02d}/{day.month:02d}/{be_year(day)}"
