"""Checks that run in the background (management commands), never on page load:
does each cited link still answer, is each stored file still there and unchanged."""

import hashlib
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .models import Document, EvidenceItem

USER_AGENT = "KM-Tracker-linkcheck/1.0"


@dataclass
class LinkResult:
    ok: bool
    detail: str


def check_url(url: str, *, timeout: float = 10.0) -> LinkResult:
    """HEAD first (cheap); servers that refuse HEAD get a GET. 4xx/5xx and network
    errors count as broken; redirects are followed."""
    if not url.lower().startswith(("http://", "https://")):
        return LinkResult(False, "unsupported scheme")
    last: LinkResult = LinkResult(False, "")
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
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
