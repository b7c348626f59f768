"""Template filters for Thai dates, scores and evidence codes, and a cheap URL and busy
spinner for rows."""

import datetime
import unicodedata
from decimal import Decimal

from django import template
from django.template import Context
from django.template.defaultfilters import stringfilter, truncatechars
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from indicators import scoring
from indicators.deadlines import deadline_of
from indicators.models import Assessment, Cycle
from indicators.thaidates import localized_date, thai_date

register = template.Library()

# An id no row has, put where the id goes and replaced by the real one.
_ID_MARK = 2_147_483_647
_url_patterns: dict[tuple[str, str, object], str] = {}


@register.simple_tag
def url_pk(name: str, pk: int) -> str:
    """{% url name pk %} for the rows of a long page (the indicator page has about ten
    links per evidence item): the URL is reversed once per name, then only the id
    changes. Only for URLs whose one argument is an integer id."""
    key = (name, get_script_prefix(), get_urlconf())
    pattern = _url_patterns.get(key)
    if pattern is None:
        pattern = _url_patterns[key] = reverse(name, args=[_ID_MARK])
    return pattern.replace(str(_ID_MARK), str(int(pk)), 1)


_busy_spinners: dict[tuple[object, str | None], SafeString] = {}  # (template, language)


@register.simple_tag
def busy() -> SafeString:
    """{% include "indicators/_busy.html" %} for the rows of a long page (the review page
    has two busy buttons per evidence item): the spinner depends only on the language,
    so it is rendered once per language (and per loaded template, so that an edited
    template shows in development), then reused."""
    template = get_template("indicators/_busy.html").template  # type: ignore[attr-defined]
    key = (template, get_language())
    html = _busy_spinners.get(key)
    if html is None:
        html = _busy_spinners[key] = template.render(Context())
    return html


@register.filter(is_safe=True)
@stringfilter
def clip(value: str, length: int) -> str:
    """|truncatechars:length for the many short values of a long page (the history page
    shows two per change): truncatechars costs tens of microseconds even for text it
    leaves alone, so text of at most ``length`` characters, already in NFC (what
    truncatechars returns it as), is returned at once."""
    if len(value) <= int(length) and unicodedata.is_normalized("NFC", value):
        return value
    return truncatechars(value, length)


@register.filter
def thaidate(value: datetime.date | datetime.datetime | None, style: str = "") -> str:
    """{{ day|thaidate }} → '9 มกราคม 2563'; {{ day|thaidate:"short" }} → '9 ม.ค. 63'.

    In English the month is English and the year still Buddhist-era: '9 January 2563'.
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


@register.simple_tag
def deadline_badge(assessment: Assessment, cycle: Cycle | None = None) -> SafeString | str:
    """What is due or overdue for the assessment, as a badge: 'ครบกำหนดส่ง 15 ธ.ค. 2567',
    'เลยกำหนด 3 วัน'; nothing when no deadline applies. Pass the rows' ``cycle`` when
    the page has it, so that no row asks for its cycle."""
    deadline = deadline_of(assessment, cycle=cycle)
    if deadline is None:
        return ""
    if deadline.overdue:
        css = "text-bg-danger"
    else:
        css = "text-bg-warning" if deadline.soon else "text-bg-light border"
    state = "overdue" if deadline.overdue else "due"
    return format_html(
        '<span class="badge {}" data-deadline="{}">{}</span>', css, state, deadline.label
    )
