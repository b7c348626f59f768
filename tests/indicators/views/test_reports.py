"""Report views and the links to them, background report jobs and the render_sar command,
with the three personas."""

import io
import zipfile
from io import StringIO
from pathlib import Path

import pypdf
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings as SettingsWrapper

from indicators.models import Assessment, Membership, ReportJob
from indicators.reports import jobs, pdf
from tests.factories import (
    AssessmentFactory,
    CriterionResultFactory,
    DocumentFactory,
    EvidenceItemFactory,
    IndicatorFactory,
    QAOfficerFactory,
    UnitFactory,
)
from tests.pdf_helpers import fold
from tests.storages import StoredFiles

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return fold("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages))


def urls(demo: Assessment) -> dict[str, str]:
    cycle = demo.indicator.cycle
    return {
        "assessment": reverse("indicators:assessment_pdf", args=[demo.pk]),
        "unit_sar": reverse("indicators:unit_sar_pdf", args=[demo.unit_id, cycle.pk]),
        "bundle": reverse("indicators:unit_bundle", args=[demo.unit_id, cycle.pk]),
    }


def download(client: Client, job: ReportJob, **params: str) -> tuple[FileResponse, bytes]:
    """The made file's response and its content (read to the end, which closes it the
    way the test client does, without closing PostgreSQL's connection mid-test)."""
    response = client.get(reverse("indicators:report_job_download", args=[job.pk]), params)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_own_staff_and_qa_officer_get_the_unit_pdfs_from_the_worker(
    client: Client, demo: Assessment, staff: object, qa_officer: object
) -> None:
    for user in (staff, qa_officer):
        client.force_login(user)
        for name in ("assessment", "unit_sar"):
            response = client.post(urls(demo)[name])
            job = ReportJob.objects.filter(requested_by=user).first()
            assert job is not None and response["Location"] == job.get_absolute_url(), name
            # The immediate backend (tests) has run it; in production run_worker does.
            kind = "indicator" if name == "assessment" else name
            assert (job.status, job.unit, job.kind) == ("done", demo.unit, kind)
            opened, content = download(client, job, inline="1")
            assert opened["Content-Type"] == "application/pdf"
            assert opened["Content-Disposition"].startswith("inline; filename")
            assert "ดำเนินงาน" in pdf_text(content)
            saved, _ = download(client, job)
            assert saved["Content-Disposition"].startswith("attachment;")
            assert "filename*=utf-8''SAR%20" in saved["Content-Disposition"]


def test_the_evidence_bundle_comes_from_the_worker(
    client: Client, demo: Assessment, staff: object, file_storage: StoredFiles
) -> None:
    document = DocumentFactory(unit=demo.unit)
    EvidenceItemFactory(
        result=demo.results.first(), caption="คำสั่งแต่งตั้ง", position=99, document=document
    )
    client.force_login(staff)
    response = client.post(urls(demo)["bundle"])
    job = ReportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.unit) == ("bundle", "done", demo.unit)
    assert job.file.name.endswith(".zip")
    assert file_storage.names() == sorted([job.file.name, document.file.name])
    page = client.get(job.get_absolute_url()).content.decode()
    assert "ดาวน์โหลด ZIP" in page and "เปิด PDF" not in page
    # A ZIP is never opened inline, and the poll does not navigate to it.
    saved, content = download(client, job, inline="1")
    assert saved["Content-Type"] == "application/zip"
    assert saved["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert "manifest.csv" in archive.namelist()
    assert any("คำสั่งแต่งตั้ง" in name for name in archive.namelist())
    poll = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert "HX-Redirect" not in poll


def test_a_finished_unit_pdf_opens_by_itself_from_the_polling_page(
    client: Client, demo: Assessment, staff: object
) -> None:
    client.force_login(staff)
    job = ReportJob.objects.get(pk=client.post(urls(demo)["assessment"])["Location"].split("/")[-2])
    poll = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    download_url = reverse("indicators:report_job_download", args=[job.pk])
    assert poll["HX-Redirect"] == f"{download_url}?inline=1"
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"{download_url}?inline=1" in page and "เปิด PDF" in page


def test_no_report_is_made_inside_the_web_request(
    client: Client,
    demo: Assessment,
    staff: object,
    settings: SettingsWrapper,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the real queue, asking for any report only records the job and its task:
    the request renders nothing, however long the narratives are."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def no_rendering_here(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("rendered inside the web request")

    monkeypatch.setattr(pdf, "html_to_pdf", no_rendering_here)
    monkeypatch.setattr(jobs, "iter_bundle", no_rendering_here)
    client.force_login(staff)
    for url in urls(demo).values():
        response = client.post(url)
        assert response.status_code == 302
    assert list(ReportJob.objects.values_list("status", flat=True)) == ["queued"] * 3
    assert DBTaskResult.objects.filter(status="READY").count() == 3
    # The same report asked for again while it waits is the same job, not a second render.
    again = client.post(urls(demo)["assessment"])
    assert ReportJob.objects.count() == 3
    assert again["Location"] == ReportJob.objects.get(kind="indicator").get_absolute_url()
    justified = client.post(urls(demo)["assessment"], {"justify": "1"})
    job = ReportJob.objects.get(kind="indicator", justify=True)
    assert justified["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "รอคิวสร้างรายงาน" in page and 'hx-trigger="every 1s"' in page


def test_outsider_and_anonymous_get_nothing(
    client: Client, demo: Assessment, outsider: object
) -> None:
    for url in urls(demo).values():
        assert client.post(url).status_code == 302  # to the login page
        assert client.get(url).status_code == 405  # asking for a report writes a job
    client.force_login(outsider)
    for url in urls(demo).values():
        assert client.post(url).status_code == 404
    cycle_url = reverse("indicators:university_pdf", args=[demo.indicator.cycle_id])
    assert client.get(cycle_url).status_code == 403
    assert client.post(cycle_url, {"kind": "university"}).status_code == 403
    assert not ReportJob.objects.exists()


def test_a_unit_report_is_seen_only_by_who_asked_while_they_may_read_the_unit(
    client: Client, demo: Assessment, staff: User, head: User, qa_officer: User
) -> None:
    client.force_login(staff)
    job_url = client.post(urls(demo)["unit_sar"])["Location"]
    job = ReportJob.objects.get()
    file_url = reverse("indicators:report_job_download", args=[job.pk])
    assert client.get(job_url).status_code == 200
    for other in (head, qa_officer):  # they may read the unit, but did not ask
        client.force_login(other)
        assert client.get(job_url).status_code == 404
        assert client.get(file_url).status_code == 404
    Membership.objects.filter(user=staff).delete()  # moved to another unit
    client.force_login(staff)
    assert client.get(job_url).status_code == 404
    assert client.get(file_url).status_code == 404


def test_a_failed_unit_report_is_tried_again_with_what_was_asked(
    client: Client, demo: Assessment, staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    client.force_login(staff)
    with monkeypatch.context() as patch:
        patch.setattr(pdf, "indicator_report", broken)
        client.post(urls(demo)["assessment"], {"justify": "1"})
    failed = ReportJob.objects.get()
    assert failed.status == "failed"
    assert "สร้างรายงานไม่สำเร็จ" in client.get(failed.get_absolute_url()).content.decode()
    retried = client.post(reverse("indicators:report_job_retry", args=[failed.pk]))
    again = ReportJob.objects.exclude(pk=failed.pk).get()
    assert retried["Location"] == again.get_absolute_url()
    assert (again.status, again.kind, again.assessment, again.justify) == (
        "done", "indicator", demo, True,
    )  # fmt: skip


def test_staff_cannot_start_reports_across_units(
    client: Client, demo: Assessment, staff: object
) -> None:
    client.force_login(staff)
    url = reverse("indicators:university_pdf", args=[demo.indicator.cycle_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "all_units"}).status_code == 403


# Every unit's SARs take a few seconds more to lay out; S3 is the same for both kinds.
@pytest.mark.parametrize(
    ("kind", "file_storage"),
    [("university", "disk"), ("all_units", "disk"), ("university", "s3")],
    indirect=["file_storage"],
)
def test_qa_officer_runs_a_background_report_and_only_they_download_it(
    client: Client,
    demo: Assessment,
    qa_officer: object,
    staff: object,
    outsider: object,
    kind: str,
    file_storage: StoredFiles,
) -> None:
    """On the local disk and on S3: the worker saves the PDF in the storage, and the
    download reads it back from there."""
    other = AssessmentFactory(
        unit=UnitFactory(name="สำนักบรรณสารสนเทศ", evidence_prefix="สบ"),
        indicator=demo.indicator,
    )
    cycle_url = reverse("indicators:university_pdf", args=[demo.indicator.cycle_id])
    client.force_login(qa_officer)
    page = client.get(cycle_url)
    assert page.status_code == 200 and "สร้าง" in page.content.decode()
    response = client.post(cycle_url, {"kind": kind})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    # The immediate backend (tests) has run it; in production the db_worker does.
    assert (job.status, job.progress, job.requested_by) == ("done", 100, qa_officer)
    job_page = client.get(job.get_absolute_url())
    assert "ดาวน์โหลด PDF" in job_page.content.decode()
    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"job-progress" in partial.content
    assert file_storage.names() == [job.file.name]
    content = download(client, job)[1]
    assert content == file_storage.read(job.file.name)
    text = pdf_text(content)
    assert fold(demo.unit.name) in text and fold(other.unit.name) in text
    for intruder in (staff, outsider, QAOfficerFactory(username="another-qa")):
        client.force_login(intruder)
        assert client.get(job.get_absolute_url()).status_code == 404
        assert (
            client.get(reverse("indicators:report_job_download", args=[job.pk])).status_code == 404
        )


def test_a_running_job_page_polls_and_has_no_download(
    client: Client, demo: Assessment, qa_officer: object
) -> None:
    job = ReportJob.objects.create(
        kind="university", cycle=demo.indicator.cycle, requested_by=qa_officer, progress=40
    )
    job.status = ReportJob.Status.RUNNING
    job.save()
    client.force_login(qa_officer)
    content = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in content and "40%" in content
    assert client.get(reverse("indicators:report_job_download", args=[job.pk])).status_code == 404


def test_a_failed_job_says_so_in_thai(
    client: Client, demo: Assessment, qa_officer: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(pdf, "university_report", broken)
    client.force_login(qa_officer)
    client.post(reverse("indicators:university_pdf", args=[demo.indicator.cycle_id]))
    job = ReportJob.objects.get()
    assert job.status == "failed" and "disk full" in job.error
    assert "สร้างรายงานไม่สำเร็จ" in client.get(job.get_absolute_url()).content.decode()


def test_report_queries_do_not_grow_with_rows(
    demo: Assessment, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    unit, cycle = demo.unit, demo.indicator.cycle
    with django_assert_max_num_queries(4):
        pdf.indicator_html(assessment=demo)
    with django_assert_max_num_queries(4):
        pdf.unit_sar_html(unit=unit, cycle=cycle)
    for number in range(10, 14):
        assessment = AssessmentFactory(
            unit=unit, indicator=IndicatorFactory(cycle=cycle, number=str(number))
        )
        for _ in range(3):
            EvidenceItemFactory.create_batch(
                2, result=CriterionResultFactory(assessment=assessment)
            )
    with django_assert_max_num_queries(4):
        html = pdf.unit_sar_html(unit=unit, cycle=cycle)
    assert "ตัวบ่งชี้ที่ 13" in html
    with django_assert_max_num_queries(2):
        pdf.university_html(cycle=cycle)


def test_render_sar_command(demo: Assessment, tmp_path: Path) -> None:
    out = StringIO()
    target = tmp_path / "sar.pdf"
    call_command(
        "render_sar", "--unit", "สพ", "--year", "2563", "--output", str(target), stdout=out
    )
    assert "สารบัญ" in pdf_text(target.read_bytes())
    call_command(
        "render_sar", "--unit", "สพ", "--year", "2563", "--indicator", "3",
        "--output", str(target), stdout=out,
    )  # fmt: skip
    text = pdf_text(target.read_bytes())
    assert "ตัวบ่งชี้ที่3" in text and "สารบัญ" not in text
    call_command(
        "render_sar", "--year", "2563", "--all-units", "--output", str(target),
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    assert fold(demo.unit.name) in pdf_text(target.read_bytes())
    call_command(
        "render_sar", "--year", "2563", "--university", "--output", str(target), stdout=out
    )
    assert "สรุปผลการประเมินตนเองทั้งมหาวิทยาลัย" in pdf_text(target.read_bytes())
    with pytest.raises(CommandError, match="ไม่พบหน่วยงาน"):
        call_command("render_sar", "--unit", "ไม่มี", "--year", "2563", "--output", str(target))
    with pytest.raises(CommandError, match="ไม่พบรอบปี"):
        call_command("render_sar", "--unit", "สพ", "--year", "2599", "--output", str(target))


# --- Pages link to the reports ----------------------------------------------------------


def test_indicator_page_links_its_pdf(client: Client, demo: Assessment, staff: User) -> None:
    client.force_login(staff)
    body = client.get(demo.get_absolute_url()).content.decode()
    url = reverse("indicators:assessment_pdf", args=[demo.pk])
    assert url in body
    response = client.post(url)
    assert response.status_code == 302
    assert ReportJob.objects.get(assessment=demo).status == "done"


def test_unit_page_links_the_annual_sar_and_the_bundle(
    client: Client, demo: Assessment, staff: User
) -> None:
    client.force_login(staff)
    cycle = demo.indicator.cycle
    body = client.get(reverse("indicators:unit", args=[demo.unit.pk])).content.decode()
    assert reverse("indicators:unit_sar_pdf", args=[demo.unit.pk, cycle.pk]) in body
    assert reverse("indicators:unit_bundle", args=[demo.unit.pk, cycle.pk]) in body


def test_dashboard_links_the_university_report_for_qa_only(
    client: Client, demo: Assessment, qa_officer: User, head: User
) -> None:
    cycle = demo.indicator.cycle
    url = reverse("indicators:university_pdf", args=[cycle.pk])
    client.force_login(qa_officer)
    dashboard = reverse("indicators:dashboard_cycle", args=[cycle.pk])
    assert url in client.get(dashboard).content.decode()
    client.force_login(head)
    body = client.get(reverse("indicators:dashboard_cycle", args=[cycle.pk])).content.decode()
    assert url not in body


def test_pdf_views_offer_thai_distributed_justification(
    client: Client, demo: Assessment, staff: User
) -> None:
    client.force_login(staff)
    url = reverse("indicators:assessment_pdf", args=[demo.pk])
    body = client.get(demo.get_absolute_url()).content.decode()
    assert f'action="{url}"' in body and 'name="justify" value="1"' in body
    client.post(url)
    client.post(url, {"justify": "1"})
    plain, spread = (download(client, job)[1] for job in ReportJob.objects.order_by("pk"))
    assert plain.startswith(b"%PDF") and spread.startswith(b"%PDF")
    # Distributed lines move every cluster: the page content grows by about 30 %.
    assert len(spread) > len(plain) * 1.1
