"""What browsers ask for by themselves: /favicon.ico at the root, the page's icon, and a
print stylesheet that leaves the app's controls off the paper."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


def test_favicon_is_served_at_the_root(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == (STATIC / "root" / "favicon.ico").read_bytes()
    assert content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_pages_link_their_icon_and_print_stylesheet(client: Client, staff: object) -> None:
    client.force_login(staff)  # type: ignore[arg-type]
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.png"' in html
    assert 'href="/static/css/print.css" media="print"' in html
    css = (STATIC / "css" / "print.css").read_text()
    for hidden in ("nav.navbar", ".btn", ".kmt-item-actions", "#dashboard-filter"):
        assert hidden in css.split("{", 1)[0], hidden
    assert (STATIC / "favicon.png").read_bytes().startswith(b"\x89PNG")
    # On paper a link shows where it goes: evidence files and web links print their address.
    assert ".evidence-item a.kmt-open::after { content: attr(href)" in css
    assert 'main a[href^="http"]:not(.text-break > a)::after { content: " (" attr(href) ")"' in css
