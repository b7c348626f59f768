"""Images whose header claims a huge canvas (decompression bombs) are refused before
anything is decoded or stored."""

import struct
import warnings
import zlib
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence import filetypes
from evidence.models import Document
from indicators.models import Assessment, CriterionResult
from tests.evidence.conftest import stored_files
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
REFUSED = "มีจำนวนพิกเซลมากเกินไป รับได้ไม่เกิน 50 ล้านพิกเซล"


def flat_png(width: int, height: int) -> bytes:
    """A valid, tiny 1-bit all-black PNG of the given size (built by hand: nothing decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((width + 7) // 8)  # filter byte + packed pixels
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(8000, 8000), (10000, 10000)])
def test_content_check_refuses_huge_canvas(size: tuple[int, int]) -> None:
    stream = BytesIO(flat_png(*size))
    # Whatever the warning filters of the caller, a bomb is a refusal, not a warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert not filetypes.content_matches(stream, filetypes.PNG)
        assert filetypes.too_many_pixels(stream, filetypes.PNG)
    assert stream.tell() == 0


def test_content_check_accepts_ordinary_image() -> None:
    stream = BytesIO(image_bytes("PNG", (4000, 3000)))
    assert filetypes.content_matches(stream, filetypes.PNG)
    assert not filetypes.too_many_pixels(stream, filetypes.PNG)


def test_upload_of_huge_png_is_refused_and_nothing_stored(
    client: Any, staff: Any, assessment: Assessment, media: Path
) -> None:
    first: CriterionResult = assessment.results.get(criterion__order=1)
    client.force_login(staff)
    content = flat_png(10000, 10000)
    assert len(content) < 100_000  # small on the wire, 100 megapixels once decoded
    data = {"kind": "upload", "file": SimpleUploadedFile("แผนผัง.png", content), "caption": ""}
    response = client.post(reverse("evidence:item_add", args=[first.pk]), data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "รูปภาพ “แผนผัง.png”" in html and REFUSED in html
    assert first.evidence_items.count() == 3
    assert not Document.objects.filter(original_name="แผนผัง.png").exists()
    assert stored_files(media) == []
