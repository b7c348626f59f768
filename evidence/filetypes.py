"""Which evidence files are accepted, judged by their content, not by their name.

A file is accepted only when its extension is one we take AND its bytes are
that kind of file: a renamed executable or an HTML page called "report.pdf"
never reaches the library (and so is never served back inline).
"""

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from PIL import Image


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileKind("application/pdf", (".pdf",), "PDF")
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"), "JPEG")
PNG = FileKind("image/png", (".png",), "PNG")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "DOCX"
)
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "XLSX"
)
PPTX = FileKind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",), "PPTX"
)
KINDS = (PDF, JPEG, PNG, DOCX, XLSX, PPTX)
ACCEPT = ",".join(ext for kind in KINDS for ext in kind.extensions)

# Images are decoded whole for their thumbnail, in the request: a small file that
# claims a huge canvas (a decompression bomb) would take the server's memory. 50
# megapixels is above any phone or office camera photo.
MAX_IMAGE_PIXELS = 50_000_000

# The part every Office Open XML package of that kind must contain.
_OOXML_MAIN_PART = {
    DOCX: "word/document.xml",
    XLSX: "xl/workbook.xml",
    PPTX: "ppt/presentation.xml",
}


def kind_for_name(name: str) -> FileKind | None:
    suffix = PurePath(name).suffix.lower()
    return next((kind for kind in KINDS if suffix in kind.extensions), None)


def too_many_pixels(stream: IO[bytes], kind: FileKind) -> bool:
    """True for an image whose header claims more than MAX_IMAGE_PIXELS (or that Pillow
    itself flags as a decompression bomb). Reads the header only. Rewinds the stream."""
    if kind not in (PNG, JPEG):
        return False
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                width, height = image.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return True
    except Exception:  # not an image at all: content_matches says so
        return False
    finally:
        stream.seek(0)
    return width * height > MAX_IMAGE_PIXELS


def _is_image(stream: IO[bytes], expected_format: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                if image.format != expected_format:
                    return False
                if image.size[0] * image.size[1] > MAX_IMAGE_PIXELS:
                    return False
                image.verify()
    except Exception:  # Pillow raises many kinds of errors on a broken image (or a bomb)
        return False
    return True


def _is_ooxml(stream: IO[bytes], main_part: str) -> bool:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())  # reads the directory only, never inflates
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and main_part in names


def content_matches(stream: IO[bytes], kind: FileKind) -> bool:
    """True when the bytes of the stream are a file of that kind. Rewinds the stream."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    try:
        if kind is PDF:
            return head.startswith(b"%PDF-")
        if kind is PNG:
            return head.startswith(b"\x89PNG\r\n\x1a\n") and _is_image(stream, "PNG")
        if kind is JPEG:
            return head.startswith(b"\xff\xd8\xff") and _is_image(stream, "JPEG")
        return head.startswith(b"PK\x03\x04") and _is_ooxml(stream, _OOXML_MAIN_PART[kind])
    finally:
        stream.seek(0)
