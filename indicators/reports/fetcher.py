"""The only way WeasyPrint may read anything while it renders a report.

Reports carry text typed by users. Django's autoescaping already turns any
markup in it into text, but the renderer is locked down as well, so that no
template mistake can ever make it read a local file or reach the network:
it gets the app's own static files (fonts, the report stylesheet) and nothing
else. Refused: every other scheme and host, `file://` (even inside the static
folders: the static finders are the only way in), `data:` (no template needs
it: the score chart is inline SVG), paths that climb out with `..`.
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The document's base URL: `{% static %}` gives '/static/...', which resolves
# against this made-up origin (.invalid never resolves, RFC 2606) and comes back
# here, where it is mapped to a file by the static finders, never fetched.
REPORT_ORIGIN = "https://kmtracker.invalid"
BASE_URL = f"{REPORT_ORIGIN}/"


class RefusedURL(ValueError):
    """A URL the report renderer will not read."""


def source_name(relative: str) -> str:
    """The static file's own name for a content-hashed one.

    In production `{% static %}` names files by content (`css/sar-pdf.5510fa162cd1.css`,
    CompressedManifestStaticFilesStorage); the finders know only the source names,
    so the manifest maps the name back. Anything not in the manifest stays as it is.
    """
    hashed_files = getattr(staticfiles_storage, "hashed_files", None) or {}
    for original, hashed in hashed_files.items():
        if hashed == relative:
            return str(original)
    return relative


class StaticOnlyURLFetcher(URLFetcher):
    """Serves `https://kmtracker.invalid/<STATIC_URL><path>` from the static finders."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=["https"], allow_redirects=False)
        # Every URL WeasyPrint asked for, served or refused (the tests read it).
        self.requested: list[str] = []
        self.refused: list[str] = []

    def static_path(self, url: str) -> str:
        """The static file's relative path for a URL we serve, or RefusedURL."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != REPORT_ORIGIN:
            raise RefusedURL(url)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        path = unquote(parts.path)
        if not path.startswith(prefix) or "\\" in path or "\x00" in path:
            raise RefusedURL(url)
        relative = path.removeprefix(prefix)
        if not relative or posixpath.normpath(relative) != relative or relative.startswith(".."):
            raise RefusedURL(url)
        return relative

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        self.requested.append(url)
        try:
            relative = self.static_path(url)
            found = finders.find(relative) or finders.find(source_name(relative))
            if not found:
                raise RefusedURL(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        absolute = found[0] if isinstance(found, list) else found
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        with open(absolute, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})
