"""The permission-checked file views: downloads and thumbnails."""

import random
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evidence.models import Document
from evidence.services.items import evidence_item_add_upload
from indicators.models import Assessment, CriterionResult, Unit
from tests.factories import DocumentFactory, pdf_bytes
from tests.storages import S3Server, StoredFiles

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def first(assessment: Assessment) -> CriterionResult:
    return assessment.results.get(criterion__order=1)


# --- Opening files ----------------------------------------------------------------


@pytest.fixture
def stored_pdf(
    first: CriterionResult, staff: User, file_storage: StoredFiles
) -> tuple[Document, bytes]:
    """An uploaded PDF, on the local disk and on S3 (each test here runs on both)."""
    content = pdf_bytes("เปิด")
    item, _ = evidence_item_add_upload(
        result=first,
        upload=SimpleUploadedFile("รายงานการประชุม ครั้งที่ 1-2563.pdf", content),
        content_type="application/pdf",
        caption="รายงาน",
        by=staff,
    )
    assert item.document is not None
    assert file_storage.names() == [item.document.file.name]
    return item.document, content


def test_download_for_staff_and_qa(
    client: Client, staff: User, qa_officer: User, stored_pdf: tuple[Document, bytes]
) -> None:
    document, content = stored_pdf
    assert document.get_absolute_url() == reverse("evidence:document_download", args=[document.pk])
    for user in (staff, qa_officer):
        client.force_login(user)
        response = client.get(document.get_absolute_url())
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline;")
        assert document.original_name == "รายงานการประชุม ครั้งที่ 1-2563.pdf"
        assert quote(document.original_name) in response["Content-Disposition"]
        assert "private" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == content


def test_files_are_hidden_from_outsider(
    client: Client, outsider: User, stored_pdf: tuple[Document, bytes]
) -> None:
    document, _ = stored_pdf
    client.force_login(outsider)
    assert client.get(document.get_absolute_url()).status_code == 404
    thumbnail = reverse("evidence:document_thumbnail", args=[document.pk])
    assert client.get(thumbnail).status_code == 404


def test_a_file_gone_from_storage_says_so(
    client: Client,
    staff: User,
    stored_pdf: tuple[Document, bytes],
    caplog: pytest.LogCaptureFixture,
) -> None:
    document, _ = stored_pdf
    document.file.storage.delete(document.file.name)  # the row stays, the file is gone
    client.force_login(staff)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 404
    html = response.content.decode()
    assert "ไม่พบไฟล์หลักฐาน" in html and "หายไปจากที่จัดเก็บ" in html
    assert "รายงานการประชุม ครั้งที่ 1-2563.pdf" in html
    assert 'id="kmt-error-message"' in html and '<a class="navbar-brand"' in html
    assert f"document {document.pk}" in caplog.text  # for the administrator
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(document.get_absolute_url()).content.decode()
    assert "missing from storage" in html and "หายไป" not in html


def test_files_need_sign_in(client: Client, stored_pdf: tuple[Document, bytes]) -> None:
    document, _ = stored_pdf
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pdf_has_no_thumbnail(
    client: Client, staff: User, stored_pdf: tuple[Document, bytes]
) -> None:
    document, _ = stored_pdf
    client.force_login(staff)
    assert client.get(reverse("evidence:document_thumbnail", args=[document.pk])).status_code == 404


@pytest.mark.parametrize("file_storage", ["s3"], indirect=True)
def test_on_s3_only_the_app_hands_the_file_out(
    client: Client,
    staff: User,
    stored_pdf: tuple[Document, bytes],
    file_storage: StoredFiles,
    s3_server: S3Server,
) -> None:
    """The object is private (no grant beyond the owner, refused without credentials);
    people get it through the permission-checked view, never from the bucket."""
    document, content = stored_pdf
    key = document.file.name
    grants = s3_server.client().get_object_acl(Bucket=file_storage.bucket, Key=key)["Grants"]
    assert [grant["Grantee"]["Type"] for grant in grants] == ["CanonicalUser"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_server.endpoint_url}/{file_storage.bucket}/{key}", timeout=10)
    assert refused.value.code == 403
    refused.value.close()
    client.force_login(staff)
    response = client.get(document.get_absolute_url())
    assert b"".join(response.streaming_content) == content


def test_a_large_file_downloads_whole(
    client: Client, unit: Unit, staff: User, file_storage: StoredFiles
) -> None:
    """9 MB: sent to S3 in parts, and read back through a temporary file on disk (over
    the 5 MB kept in memory), the same bytes as on the local disk."""
    content = b"%PDF-1.4 " + random.Random(2563).randbytes(9 * 1024 * 1024)
    document = DocumentFactory(unit=unit, file=ContentFile(content, name="big.pdf"))
    assert file_storage.names() == [document.file.name]
    client.force_login(staff)
    response = client.get(document.get_absolute_url())
    assert int(response["Content-Length"]) == len(content)
    assert b"".join(response.streaming_content) == content
