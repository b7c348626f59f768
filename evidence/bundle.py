"""A unit's evidence for one cycle as a ZIP, streamed: files named by their codes,
a manifest (CSV and JSON) and an index.html that works offline.

The archive is written by ``zipfile`` into a pipe that only collects bytes; after
each chunk the generator hands them on, so a bundle of gigabytes never sits in
memory (``zipfile`` writes data descriptors on an unseekable stream).
"""

import csv
import datetime
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import PurePath

from django.template.loader import render_to_string
from django.utils import timezone, translation

from indicators.models import Cycle, Unit

from .models import EvidenceItem

CHUNK_SIZE = 256 * 1024
# Most file systems allow 255 bytes per name; Thai letters take 3 bytes each in UTF-8.
MAX_NAME_BYTES = 240
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_ZIP64_LIMIT = 2**31


class _Pipe:
    """A write-only file: zipfile writes into it, the generator drains it."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """Part of the file zipfile asks for; it never closes a file it was handed."""

    def drain(self) -> Iterator[bytes]:
        if self._chunks:
            data = b"".join(self._chunks)
            self._chunks.clear()
            yield data


def safe_filename(stem: str, suffix: str = "") -> str:
    """'สพ 3-1 (1) รายงานการประชุม...' without characters file systems refuse, cut to a
    length every file system takes, never inside a Thai character cluster."""
    name = unicodedata.normalize("NFC", _UNSAFE.sub(" ", stem))
    name = " ".join(name.split()).strip(" .")
    suffix = _UNSAFE.sub("", suffix.lower())[:10]
    budget = MAX_NAME_BYTES - len(suffix.encode())
    if len(name.encode()) > budget:
        full = name
        cut = len(full.encode()[:budget].decode(errors="ignore"))
        # Never split a cluster: back off while the next character clings to the one
        # before it (vowel and tone marks, and SARA AM).
        while cut and _clings(full[cut]):
            cut -= 1
        name = full[:cut]
        space = name.rfind(" ")
        if space > len(name) * 2 // 3:  # a space near the end is a nicer place to cut
            name = name[:space]
        name = name.rstrip(" .")
    return f"{name or 'evidence'}{suffix}"


def _clings(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc", "Me") or char == "\u0e33"


@dataclass
class ManifestRow:
    code: str
    caption: str
    file: str
    size: int | None
    sha256: str
    link: str
    note: str


def bundle_items(*, unit: Unit, cycle: Cycle) -> list[EvidenceItem]:
    return list(
        EvidenceItem.objects.with_code_parts()
        .filter(result__assessment__unit=unit, result__assessment__indicator__cycle=cycle)
        .order_by("result__assessment__indicator__sort_key", "result__criterion__order", "position")
    )


def bundle_filename(*, unit: Unit, cycle: Cycle) -> str:
    return f"หลักฐาน {unit.evidence_prefix} {cycle.get_kind_display()} {cycle.year_be}.zip"


def _zip_info(name: str, when: datetime.datetime, *, compress: bool = True) -> zipfile.ZipInfo:
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    info = zipfile.ZipInfo(name, date_time=local.timetuple()[:6])
    # Evidence files (PDF, JPEG/PNG, Office zips) are compressed already: storing
    # them as they are spares the CPU of the request that streams the bundle.
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def iter_bundle(
    *, unit: Unit, cycle: Cycle, progress: Callable[[int, int], None] | None = None
) -> Iterator[bytes]:
    """The ZIP, chunk by chunk; ``progress(done, total)`` is called after each item."""
    pipe = _Pipe()
    rows: list[ManifestRow] = []
    now = timezone.now()
    items = bundle_items(unit=unit, cycle=cycle)
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in items:
            code = item.code
            row = ManifestRow(code, item.caption, "", None, "", item.url, "")
            document = item.document
            if document is not None:
                suffix = PurePath(document.original_name).suffix
                row.file = safe_filename(f"{code} {item.caption}", suffix)
                digest, size = hashlib.sha256(), 0
                info = _zip_info(row.file, document.uploaded_at, compress=False)
                try:
                    with (
                        document.file.open("rb") as source,
                        archive.open(info, "w", force_zip64=document.size >= _ZIP64_LIMIT) as out,
                    ):
                        while chunk := source.read(CHUNK_SIZE):
                            out.write(chunk)
                            digest.update(chunk)
                            size += len(chunk)
                            yield from pipe.drain()
                except FileNotFoundError:
                    # Nothing silently lost: the manifest and the index say what is missing.
                    row.file, row.note = "", "ไม่พบไฟล์ในที่เก็บเอกสาร"
                else:
                    row.size, row.sha256 = size, digest.hexdigest()
                    if row.sha256 != document.sha256:
                        row.note = "ไฟล์ไม่ตรงกับค่า SHA-256 ที่บันทึกไว้ตอนอัปโหลด"
            rows.append(row)
            if progress:
                progress(len(rows), len(items))
            yield from pipe.drain()
        archive.writestr(_zip_info("manifest.csv", now), manifest_csv(rows))
        archive.writestr(
            _zip_info("manifest.json", now),
            json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2),
        )
        with translation.override("th"):
            index = render_to_string(
                "evidence/bundle_index.html",
                {"unit": unit, "cycle": cycle, "rows": rows, "created": now},
            )
        archive.writestr(_zip_info("index.html", now), index)
    yield from pipe.drain()


# A cell that starts with one of these is a formula to Excel and LibreOffice.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> object:
    """Text typed by users reaches the CSV as text, never as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def manifest_csv(rows: list[ManifestRow]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["code", "caption", "file", "size", "sha256", "link", "note"])
    for row in rows:
        cells = [row.code, row.caption, row.file, row.size or "", row.sha256, row.link, row.note]
        writer.writerow([_csv_cell(cell) for cell in cells])
    # With a BOM, Excel opens the Thai text as UTF-8.
    return text.getvalue().encode("utf-8-sig")
