"""check_links fetches only public addresses: a typed link cannot reach the
server's own network (intranet services, cloud metadata)."""

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from pytest_django import Settings

from evidence.checks import _PublicRedirectsOnly, check_url, refused_host


class _Counting(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_HEAD(self) -> None:
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def private_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/admin/",
        "http://10.1.2.3/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
    ],
)
def test_private_addresses_are_refused(url: str, settings: Settings) -> None:
    settings.KMT_LINKCHECK_ALLOW_PRIVATE = False
    assert refused_host(url) == "not a public address"


def test_a_refused_link_is_never_requested(private_server: str, settings: Settings) -> None:
    settings.KMT_LINKCHECK_ALLOW_PRIVATE = False
    _Counting.hits = 0
    result = check_url(private_server, timeout=2)
    assert (result.ok, result.detail) == (False, "not a public address")
    assert _Counting.hits == 0
    settings.KMT_LINKCHECK_ALLOW_PRIVATE = True  # an intranet site may allow it
    assert check_url(private_server, timeout=2).ok
    assert _Counting.hits == 1


def test_a_redirect_into_the_private_network_is_refused(settings: Settings) -> None:
    settings.KMT_LINKCHECK_ALLOW_PRIVATE = False
    request = urllib.request.Request("https://www.example.org/")
    with pytest.raises(urllib.error.URLError, match="redirect refused"):
        _PublicRedirectsOnly().redirect_request(
            request, None, 302, "Found", {}, "http://169.254.169.254/"
        )
