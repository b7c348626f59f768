"""Template filters for Thai dates, scores and evidence codes, a cheap URL for rows, a
clip filter, and parts of a page kept in the fragments cache."""

import datetime
import unicodedata
from decimal import Decimal

from django import template
from django.template.defaultfilters import stringfilter, truncatechars
from django.test.signals import template_rendered
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from indicators import fragments, scoring
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


class CachedPartNode(template.Node):
    def __init__(
        self, key: template.base.FilterExpression, load: str, nodelist: template.NodeList
    ) -> None:
        self.key = key
        self.load = load
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        key = self.key.resolve(context)
        load = context.get(self.load) if self.load else None

        def render_loaded(**marks: str) -> str:
            # What the part shows is loaded only now that it is to be rendered.
            with context.push(**(load() if load else {}), **marks):
                # The test client's response.context shows it too (no receiver otherwise).
                template_rendered.send(sender=self, template=context.template, context=context)
                return str(self.nodelist.render(context))

        if not key:
            return render_loaded()

        def render_marked() -> str:
            return render_loaded(csrf_token=fragments.CSRF_MARK)

        token = str(context.get("csrf_token") or "")
        return SafeString(fragments.cached_render(str(key), render_marked, token))


@register.tag
def cachedpart(parser: template.base.Parser, token: template.base.Token) -> CachedPartNode:
    """{% cachedpart key load %}...{% endcachedpart %}: the part kept in the fragments
    cache under ``key`` (indicators.fragments.part_key). When the cache has nothing
    under it, the part is rendered with what the context's function ``load`` (no
    arguments, optional) returns added to the context."""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError("{% cachedpart key [load] %} takes one or two arguments")
    nodelist = parser.parse(("endcachedpart",))
    parser.delete_first_token()
    return CachedPartNode(
        parser.compile_filter(bits[1]), bits[2] if len(bits) == 3 else "", nodelist
    )
