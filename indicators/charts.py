"""Score charts as SVG, drawn on the server: the same markup serves the
dashboard and the PDF report, with no JavaScript and nothing fetched."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .scoring import MAX_SCORE, quality_level, two_places

# Bar colours by Thai quality level, from urgent to excellent.
LEVEL_COLOURS = {
    "urgent": "#b42318",
    "improve": "#dc6803",
    "fair": "#ca8504",
    "good": "#2e90fa",
    "excellent": "#039855",
}


def score_bar_chart(
    rows: Sequence[tuple[str, Decimal | None]],
    *,
    title: str,
    width: int = 640,
    bar_height: int = 22,
    label_width: int = 220,
) -> SafeString:
    """Horizontal bars on a 0–5 scale, one per (label, score); None draws no bar."""
    gap = 8
    top = 28
    height = top + len(rows) * (bar_height + gap) + 24
    plot = width - label_width - 50
    ticks = format_html_join(
        "",
        '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#d0d5dd"/>'
        '<text x="{0}" y="{3}" font-size="11" text-anchor="middle">{4}</text>',
        (
            (
                label_width + plot * tick // 5,
                top - 4,
                height - 20,
                height - 6,
                tick,
            )
            for tick in range(6)
        ),
    )
    bars = []
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_height + gap)
        bars.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
                label_width - 8,
                y + bar_height * 0.7,
                label,
            )
        )
        if value is not None:
            length = int(plot * min(Decimal(value), MAX_SCORE) / MAX_SCORE)
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"/>'
                    '<text x="{}" y="{}" font-size="12">{}</text>',
                    label_width,
                    y,
                    length,
                    bar_height,
                    LEVEL_COLOURS[quality_level(Decimal(value)).value],
                    label_width + length + 4,
                    y + bar_height * 0.7,
                    f"{two_places(Decimal(value)):.2f}",
                )
            )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}"'
        ' role="img" aria-label="{t}" font-family="Sarabun, sans-serif">'
        '<text x="0" y="16" font-size="14" font-weight="bold">{t}</text>{ticks}{bars}</svg>',
        w=width,
        h=height,
        t=title,
        ticks=ticks,
        bars=SafeString("".join(bars)),
    )
