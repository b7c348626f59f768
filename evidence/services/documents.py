"""Documents in a unit's library: each file stored once per unit, under an unguessable
name, with a thumbnail for images, and removed again if the write that stored it fails."""

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps

from evidence.models import Document
from indicators.models import Unit

THUMBNAIL_SIZE = (320, 320)


@dataclass
class StoredDocument:
    document: Document
    created: bool


def _sha256(upload: File) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _thumbnail_png(upload: File) -> bytes:
    upload.seek(0)
    with Image.open(upload) as opened:
        image = ImageOps.exif_transpose(opened)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
    upload.seek(0)
    return out.getvalue()


def _delete(stored: list[FieldFile]) -> None:
    for field_file in stored:
        if field_file.name:  # always, once saved; a file never saved has nothing to delete
            field_file.storage.delete(field_file.name)


@contextmanager
def delete_files_on_failure() -> Iterator[list[FieldFile]]:
    """Files stored inside the block are deleted again if the block fails.

    Django has no on-rollback hook; callers own the transaction (views are not
    wrapped in ATOMIC_REQUESTS), so a failure here is a rollback of these writes.
    """
    stored: list[FieldFile] = []
    try:
        yield stored
    except BaseException:
        _delete(stored)
        raise


def document_store(
    *, unit: Unit, upload: File, content_type: str, by: User | None
) -> StoredDocument:
    """The unit's document with this content: the one already kept, or a new one.

    The same bytes are stored once per unit (constraint document_unique_content).
    """
    sha256 = _sha256(upload)
    existing = Document.objects.filter(unit=unit, sha256=sha256).first()
    if existing is not None:
        return StoredDocument(existing, created=False)
    name = PurePath(upload.name or "file").name[:255]
    document = Document(
        unit=unit,
        title=PurePath(name).stem[:500],
        original_name=name,
        size=upload.size,
        content_type=content_type,
        sha256=sha256,
        uploaded_by=by,
    )
    with delete_files_on_failure() as stored:
        document.file.save(name, upload, save=False)
        stored.append(document.file)
        if document.is_image:
            document.thumbnail.save("thumb.png", ContentFile(_thumbnail_png(upload)), save=False)
            stored.append(document.thumbnail)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            # Someone stored the same file a moment ago: use theirs, drop ours.
            existing = Document.objects.filter(unit=unit, sha256=sha256).first()
            if existing is None:
                raise
            _delete(stored)
            return StoredDocument(existing, created=False)
    return StoredDocument(document, created=True)
