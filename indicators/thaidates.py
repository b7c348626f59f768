"""Buddhist-era dates with Thai month names, as Thai official documents write them."""

import datetime

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


def be_year(day: datetime.date) -> int:
    return day.year + BE_OFFSET


def thai_date(day: datetime.date, *, short: bool = False) -> str:
    """'9 มกราคม 2563', or with short=True '9 ม.ค. 63' (as in a counting period)."""
    if short:
        return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {be_year(day) % 100:02d}"
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {be_year(day)}"


def localized_date(day: datetime.date, *, short: bool = False) -> str:
    """Thai BE date in Thai; an ordinary English date otherwise."""
    if (translation.get_language() or "th").startswith("th"):
        return thai_date(day, short=short)
    return day.strftime("%-d %b %Y" if short else "%-d %B %Y")
