"""Report views and the links to them, background report jobs and the render_sar command,
with the three personas."""

import io
from io import StringIO
from pathlib import Path

import pypdf
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from indicators.models import Assessment, ReportJob
from indicators.reports import pdf
from tests.factories import (
    AssessmentFactory,
    CriterionResultFactory,
    EvidenceItemFactory,
    IndicatorFactory,
    QAOfficerFactory,
    UnitFactory,
)
from tests.pdf_helpers import fold

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return fold("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages))


def urls(demo: Assessment) -> dict[str, str]:
    cycle = demo.indicator.cycle
    return {
        "assessment": reverse("indicators:assessment_pdf", args=[demo.pk]),
        "unit_sar": reverse("indicators:unit_sar_pdf", args=[demo.unit_id, cycle.pk]),
    }


def test_own_staff_and_qa_officer_get_the_unit_pdfs(
    client: Client, demo: Assessment, staff: object, qa_officer: object
) -> None:
    for user in (staff, qa_officer):
        client.force_login(user)
        for name, url in urls(demo).items():
            response = client.get(url)
            assert response.status_code == 200, (user, name)
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"].startswith("inline; filename")
            assert "ดำเนินงาน" in pdf_text(response.content)
        download = client.get(urls(demo)["assessment"], {"download": "1"})
        assert download["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''SAR%20" in download["Content-Disposition"]


def test_outsider_and_anonymous_get_nothing(
    client: Client, demo: Assessment, outsider: object
) -> None:
    for url in urls(demo).values():
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    for url in urls(demo).values():
        assert client.get(url).status_code == 404
    cycle_url = reverse("indicators:university_pdf", args=[demo.indicator.cycle_id])
    assert client.get(cycle_url).status_code == 403
    assert client.post(cycle_url, {"kind": "university"}).status_code == 403
    assert not ReportJob.objects.exists()


def test_staff_cannot_start_reports_across_units(
    client: Client, demo: Assessment, staff: object
) -> None:
    client.force_login(staff)
    url = reverse("indicators:university_pdf", args=[demo.indicator.cycle_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "all_units"}).status_code == 403


@pytest.mark.parametrize("kind", ["university", "all_units"])
def test_qa_officer_runs_a_background_report_and_only_they_download_it(
    client: Client, demo: Assessment, qa_officer: object, staff: object, outsider: object, kind: str
) -> None:
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
    download = client.get(reverse("indicators:report_job_download", args=[job.pk]))
    assert download.status_code == 200
    text = pdf_text(b"".join(download.streaming_content))
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
    assert 'hx-trigger="every 2s"' in content and "40%" in content
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
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_unit_page_links_the_annual_sar_and_the_bundle(
    client: Client, demo: Assessment, staff: User
) -> None:
    client.force_login(staff)
    cycle = demo.indicator.cycle
    body = client.get(reverse("indicators:unit", args=[demo.unit.pk])).content.decode()
    assert reverse("indicators:unit_sar_pdf", args=[demo.unit.pk, cycle.pk]) in body
    assert reverse("evidence:bundle", args=[demo.unit.pk, cycle.pk]) in body


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
    assert f"{url}?justify=1" in client.get(demo.get_absolute_url()).content.decode()
    plain = client.get(url).content
    spread = client.get(url, {"justify": "1"}).content
    assert plain.startswith(b"%PDF") and spread.startswith(b"%PDF")
    # Distributed lines move every cluster: the page content grows by about 30 %.
    assert len(spread) > len(plain) * 1.1
