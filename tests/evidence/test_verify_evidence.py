"""`manage.py verify_evidence` fails, naming each document, when a file is deleted or
changed behind the app's back; it passes with a summary line when all is well."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from evidence.models import Document
from evidence.services.documents import document_store
from indicators.models import Unit
from tests.factories import CriterionResultFactory, EvidenceItemFactory, UnitFactory, pdf_bytes
from tests.storages import StoredFiles


def stored(unit: Unit, text: str) -> Document:
    upload = ContentFile(pdf_bytes(text), name=f"{text}.pdf")
    return document_store(
        unit=unit, upload=upload, content_type="application/pdf", by=None
    ).document


@pytest.fixture
def library(db: None, file_storage: StoredFiles) -> dict[str, Document]:
    """Two units; the press office's minutes cited twice, its plan not at all; on the
    local disk and on S3 (every test here runs on both)."""
    press = UnitFactory(name="สำนักพิมพ์", evidence_prefix="สพ")
    other = UnitFactory(name="สำนักบรรณสารสนเทศ", evidence_prefix="สบ")
    minutes = stored(press, "minutes")
    result = CriterionResultFactory(
        assessment__unit=press, assessment__indicator__number="3", criterion__order=1
    )
    EvidenceItemFactory(result=result, position=1, document=minutes)
    EvidenceItemFactory(result=result, position=2, document=minutes)
    return {"minutes": minutes, "plan": stored(press, "plan"), "other": stored(other, "other")}


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_evidence", *args, stdout=out)
    return out.getvalue()


def test_all_files_present_and_unchanged(library: dict[str, Document]) -> None:
    assert verify() == "ไฟล์หลักฐานครบถ้วนและตรงกับ SHA-256: 3 จาก 3 ไฟล์\n"
    assert set(Document.objects.values_list("file_status", flat=True)) == {"ok"}


def test_a_deleted_file_fails_and_is_named(library: dict[str, Document]) -> None:
    minutes = library["minutes"]
    minutes.file.storage.delete(minutes.file.name)
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_evidence", stdout=out)
    assert str(failure.value) == ("ไฟล์หลักฐานมีปัญหา 1 จาก 3 ไฟล์ (ไม่พบไฟล์ 1 ไฟล์ถูกเปลี่ยน 0)")
    assert out.getvalue() == (
        f"ไม่พบไฟล์: สพ 3-1 (1), สพ 3-1 (2) “minutes” ของสำนักพิมพ์ (ไฟล์ {minutes.file.name})\n"
    )


def test_a_changed_file_fails_and_is_named(library: dict[str, Document]) -> None:
    plan, other = library["plan"], library["other"]
    for document in (plan, other):
        storage, name = document.file.storage, document.file.name
        storage.delete(name)
        assert storage.save(name, ContentFile(pdf_bytes("edited"))) == name
    out = io.StringIO()
    with pytest.raises(CommandError, match="ไฟล์หลักฐานมีปัญหา 2 จาก 3 ไฟล์"):
        call_command("verify_evidence", stdout=out)
    changed = "ไฟล์ถูกเปลี่ยน (SHA-256 ไม่ตรง)"
    assert sorted(out.getvalue().splitlines()) == [
        f"{changed}: “other” ของสำนักบรรณสารสนเทศ ไม่มีหลักฐานใดอ้างอิง (ไฟล์ {other.file.name})",
        f"{changed}: “plan” ของสำนักพิมพ์ ไม่มีหลักฐานใดอ้างอิง (ไฟล์ {plan.file.name})",
    ]
    assert Document.objects.get(pk=plan.pk).file_status == Document.FileStatus.MISMATCH


def test_one_unit_only(library: dict[str, Document]) -> None:
    other = library["other"]
    other.file.storage.delete(other.file.name)
    assert verify("--unit", "สพ") == "ไฟล์หลักฐานครบถ้วนและตรงกับ SHA-256: 2 จาก 2 ไฟล์\n"
    with pytest.raises(CommandError, match="1 จาก 1 ไฟล์"):
        verify("--unit", "สบ")
