"""Template filters for Thai dates, scores and evidence codes."""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from indicators import scoring
from indicators.thaidates import localized_date, thai_date

register = template.Library()


@register.filter
def thaidate(value: datetime.date | datetime.datetime | None, style: str = "") -> str:
    """{{ day|thaidate }} → '9 มกราคม 2563'; {{ day|thaidate:"short" }} → '9 ม.ค. 63'.

    In English the date is written the English way.
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return localized_date(value, short=style == "short")


@register.filter
def thaidate_th(value: datetime.date | None, style: str = "") -> str:
    """Always Thai, whatever the language (for the SAR's own text)."""
    return "" if value is None else thai_date(value, short=style == "short")


@register.filter
def score(value: Decimal | None) -> str:
    return "–" if value is None else f"{scoring.two_places(Decimal(value)):.2f}"


@register.filter
def quality(value: Decimal | None) -> str:
    return "" if value is None else str(scoring.quality_level(Decimal(value)).label)
