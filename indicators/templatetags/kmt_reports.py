"""Filters for the PDF reports (kept apart from kmt.py, which the pages share)."""

from decimal import Decimal
from urllib.parse import urlsplit

from django import template

from indicators.models import Indicator

register = template.Library()


@register.filter
def http_url(value: str) -> str:
    """The URL if it is a web link, else '' (a `javascript:` or `file:` link is never
    made clickable in a report; it is printed as text only)."""
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return ""
    return value.strip() if scheme in ("http", "https") else ""


@register.filter
def result_value(value: Decimal | None, indicator: Indicator) -> str:
    """A target or result as the SAR writes it: '5 ข้อ', 'ร้อยละ 93.66' → '93.66 ร้อยละ'."""
    if value is None:
        return "–"
    number = f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"
    return f"{number} {indicator.result_unit}".strip()
