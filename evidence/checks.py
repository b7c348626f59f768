"""Checks that run in the background (management commands), never on page load:
does each cited link still answer, is each stored file still there and unchanged."""

import hashlib
import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import Document, EvidenceItem

USER_AGENT = "KM-Tracker-linkcheck/1.0"


@dataclass
class LinkResult:
    ok: bool
    detail: str


def refused_host(url: str) -> str | None:
    """Why the server must not fetch this URL, or None.

    Links are typed by unit staff; fetching them from the server must not reach
    the server's own network (intranet services, cloud metadata), so only hosts
    whose every address is public are checked. KMT_LINKCHECK_ALLOW_PRIVATE lifts
    this for a site whose evidence lives on its intranet (and for tests).
    """
    if settings.KMT_LINKCHECK_ALLOW_PRIVATE:
        return None
    host = urlsplit(url).hostname
    if not host:
        return "no host"
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError:
        return None  # unknown host: urlopen reports it as broken
    for address in addresses:
        if not ipaddress.ip_address(address.split("%", 1)[0]).is_global:
            return "not a public address"
    return None


class _PublicRedirectsOnly(urllib.request.HTTPRedirectHandler):
    """A public page may not redirect the checker into a private network."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if why := refused_host(newurl):
            raise urllib.error.URLError(f"redirect refused: {why}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_PublicRedirectsOnly)


def check_url(url: str, *, timeout: float = 10.0) -> LinkResult:
    """HEAD first (cheap); servers that refuse HEAD get a GET. 4xx/5xx and network
    errors count as broken; redirects are followed, to public addresses only."""
    if not url.lower().startswith(("http://", "https://")):
        return LinkResult(False, "unsupported scheme")
    if why := refused_host(url):
        return LinkResult(False, why)
    last: LinkResult = LinkResult(False, "")
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with _opener.open(request, timeout=timeout) as response:
                return LinkResult(True, f"HTTP {response.status}")
        except urllib.error.HTTPError as error:
            last = LinkResult(False, f"HTTP {error.code}")
            if error.code not in (405, 501):
                return last
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            return LinkResult(False, str(reason)[:200])
    return last


def check_links(items: QuerySet[EvidenceItem], *, timeout: float = 10.0) -> dict[str, int]:
    """Checks every item with a link and stores the outcome on the item.

    ``update()`` rather than ``save()``: a check is not an edit, so it adds no
    history row and does not change the item's last-modified time.
    """
    counts = {"ok": 0, "broken": 0}
    for item in items.exclude(url="").only("pk", "url").iterator():
        outcome = check_url(item.url, timeout=timeout)
        status = EvidenceItem.LinkStatus.OK if outcome.ok else EvidenceItem.LinkStatus.BROKEN
        EvidenceItem.objects.filter(pk=item.pk).update(
            link_status=status, link_detail=outcome.detail, link_checked_at=timezone.now()
        )
        counts["ok" if outcome.ok else "broken"] += 1
    return counts


def file_sha256(document: Document) -> str | None:
    """The stored file's SHA-256, or None when the file is gone."""
    storage, name = document.file.storage, document.file.name
    if not name or not storage.exists(name):
        return None
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_documents(documents: QuerySet[Document]) -> dict[str, int]:
    """Marks each document ok, missing or mismatch (its file no longer matches its hash)."""
    counts = dict.fromkeys(Document.FileStatus.values, 0)
    for document in documents.only("pk", "file", "sha256").iterator():
        digest = file_sha256(document)
        if digest is None:
            status = Document.FileStatus.MISSING
        elif digest != document.sha256:
            status = Document.FileStatus.MISMATCH
        else:
            status = Document.FileStatus.OK
        Document.objects.filter(pk=document.pk).update(
            file_status=status, file_checked_at=timezone.now()
        )
        counts[status] += 1
    return counts
