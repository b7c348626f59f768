"""The url_pk tag: the same URL as {% url %}, reversed once per name; the clip filter:
what truncatechars gives."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from indicators.templatetags import kmt

NAMES = [
    "evidence:item_edit",
    "evidence:item_move",
    "evidence:item_add",
    "evidence:document_thumbnail",
    "indicators:result_narrative",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 7, 42, 2_147_483_646, 10**12])
def test_url_pk_is_what_url_gives(name: str, pk: int) -> None:
    assert kmt.url_pk(name, pk) == reverse(name, args=[pk])


def test_url_pk_reverses_once_per_name(monkeypatch: pytest.MonkeyPatch) -> None:
    kmt._url_patterns.clear()
    calls: list[str] = []
    real = kmt.reverse

    def counted(name: str, args: list[object]) -> str:
        calls.append(name)
        return real(name, args=args)

    monkeypatch.setattr(kmt, "reverse", counted)
    template = Template(
        "{% load kmt %}{% for pk in ids %}{% url_pk 'evidence:item_edit' pk %} {% endfor %}"
        "{% url_pk 'evidence:item_links' 5 as links %}[{{ links }}]"
    )
    html = template.render(Context({"ids": [3, 4, 5]}))
    assert html.split() == [
        *(reverse("evidence:item_edit", args=[pk]) for pk in (3, 4, 5)),
        f"[{reverse('evidence:item_links', args=[5])}]",
    ]
    assert calls == ["evidence:item_edit", "evidence:item_links"]


def test_url_pk_refuses_what_is_not_an_id() -> None:
    with pytest.raises(ValueError):
        kmt.url_pk("evidence:item_edit", "3/../../admin")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "https://example.org/report.pdf",
        "ผลการดำเนินงาน" * 14,  # more code points than 200, fewer characters
        "ผลการดำเนินงาน" * 30,
        "x" * 200,
        "x" * 201,
        "e\u0301" * 150,  # not in NFC: truncatechars composes it
        "<b>&</b>",
        Decimal("3.50"),
        None,
    ],
)
def test_clip_is_what_truncatechars_gives(value: object) -> None:
    context = Context({"value": value})
    expected = Template("{{ value|truncatechars:200 }}").render(context)
    assert Template("{% load kmt %}{{ value|clip:200 }}").render(context) == expected
