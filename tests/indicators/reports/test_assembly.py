"""The annual SAR joined from stored parts: the same pages as the SAR laid out whole (text
read back with pypdf and pdftotext), continuous page numbers, the contents' page numbers
and the outline right, and only the parts whose data changed laid out again."""

import io
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from evidence.models import Document, EvidenceItem
from indicators.models import Assessment, CriterionResult, Cycle, ReportJob, SarPart, Unit
from indicators.reports import assembly, pdf, sections
from indicators.reports.freshness import report_job_is_outdated
from indicators.reports.jobs import report_job_start
from tests.pdf_helpers import fold, pdftotext_pages, pypdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> tuple[Unit, Cycle]:
    """One unit with four indicators of realistic Thai content."""
    call_command(
        "generate_scale_data", "--units", "1", "--indicators", "4", "--evidence", "2",
        "--seed", "3", stdout=StringIO(),
    )  # fmt: skip
    cycle = Cycle.objects.get(year_be=2567)
    unit = Unit.objects.filter(assessments__indicator__cycle=cycle).distinct().get()
    return unit, cycle


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The HTML of every part laid out (not taken from storage), in order."""
    laid_out: list[str] = []
    real = sections.lay_out_part

    def counting(html: str, **kwargs: object) -> bytes:
        laid_out.append(html)
        return real(html, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sections, "lay_out_part", counting)
    yield laid_out


def assessments(unit: Unit, cycle: Cycle) -> list[Assessment]:
    return list(
        Assessment.objects.filter(unit=unit, indicator__cycle=cycle).order_by("indicator__sort_key")
    )


def page_of(pages: list[str], text: str) -> int:
    """The 1-based number of the first page holding `text`."""
    return next(number for number, page in enumerate(pages, 1) if fold(text) in fold(page))


def test_joined_pages_read_back_as_the_sar_laid_out_whole(
    world: tuple[Unit, Cycle], tmp_path: Path
) -> None:
    unit, cycle = world
    whole = pdf.render_unit_sar_pdf(unit=unit, cycle=cycle)
    joined = assembly.render_unit_sar_pdf(unit=unit, cycle=cycle)
    assert joined != whole
    # Page by page, with the running title and the page number where they were.
    assert pypdf_pages(joined) == pypdf_pages(whole)
    assert pdftotext_pages(joined, tmp_path) == pdftotext_pages(whole, tmp_path)
    assert "ดำเนินงาน" in "".join(pypdf_pages(joined))


def test_page_numbers_contents_and_outline(world: tuple[Unit, Cycle]) -> None:
    unit, cycle = world
    document = assembly.render_unit_sar_pdf(unit=unit, cycle=cycle)
    reader = pypdf.PdfReader(io.BytesIO(document))
    pages = [page.extract_text() for page in reader.pages]
    # Every page but the cover ends with its own number: continuous across the parts.
    assert not pages[0].strip().split("\n")[-1].isdigit()
    for number, text in enumerate(pages[1:], start=2):
        assert text.strip().split("\n")[-1] == str(number), number
    # Each indicator in order, on the page the contents give for it.
    titles = [f"ตัวบ่งชี้ที่ {a.indicator.number} {a.indicator.title}" for a in assessments(unit, cycle)]
    starts = [page_of(pages[2:], f"{title}ชนิดของตัวบ่งชี้") + 2 for title in titles]
    assert starts == sorted(starts) and len(set(starts)) == len(titles) == 4
    contents = pages[1]
    for title, start in zip(titles, starts, strict=True):
        entry = contents.split(title, 1)[1].split("\n", 1)[0]
        assert entry.replace(".", "").split() == [str(start)], (title, entry)
    index_page = page_of(pages, "ดัชนีเอกสารอ้างอิงรหัส")
    entry = contents.split("ดัชนีเอกสารอ้างอิง", 1)[1].split("\n", 1)[0]
    assert entry.replace(".", "").split() == [str(index_page)]
    # The outline: the cover's title over the contents, summary, indicators and index,
    # each on its page; the criteria under their indicator.
    top, children = reader.outline[0], reader.outline[1]
    assert isinstance(top, pypdf.generic.Destination) and isinstance(children, list)
    assert top.title == f"รายงานการประเมินตนเอง {unit.name}"
    named = [item for item in children if not isinstance(item, list)]
    assert [item.title for item in named] == [
        "สารบัญ", "สรุปผลการประเมินตนเอง", *titles, "ดัชนีเอกสารอ้างอิง",
    ]  # fmt: skip
    assert [reader.get_destination_page_number(item) + 1 for item in named[2:-1]] == starts
    assert reader.get_destination_page_number(named[-1]) + 1 == index_page
    criteria = children[children.index(named[2]) + 1]
    assert isinstance(criteria, list) and [c.title.split(".")[0] for c in criteria] == [
        f"ข้อ {n}" for n in range(1, 6)
    ]
    # The contents' links lead to the parts' first pages.
    links = [
        annotation.get_object()
        for annotation in reader.pages[1].get("/Annots", [])
        if isinstance(annotation.get_object().get("/Dest"), pypdf.generic.ArrayObject)
    ]
    targets = sorted(reader.get_page_number(link["/Dest"][0]) + 1 for link in links)
    assert set(starts + [index_page]) <= set(targets)


def test_a_changed_narrative_lays_out_only_its_section(
    world: tuple[Unit, Cycle], layouts: list[str]
) -> None:
    unit, cycle = world
    before = fold("".join(pypdf_pages(assembly.render_unit_sar_pdf(unit=unit, cycle=cycle))))
    assert len(layouts) == 5  # four sections and the evidence index, all new
    assert SarPart.objects.filter(unit=unit, cycle=cycle).count() == 5
    layouts.clear()
    assembly.render_unit_sar_pdf(unit=unit, cycle=cycle)
    assert layouts == []
    # A narrative of indicator 3 changes (no signal needed: the fingerprint is the data's).
    third = assessments(unit, cycle)[2]
    result = CriterionResult.objects.filter(assessment=third).order_by("criterion__order")[0]
    CriterionResult.objects.filter(pk=result.pk).update(narrative="ข้อความที่แก้ไขใหม่ทั้งย่อหน้า")
    joined = assembly.render_unit_sar_pdf(unit=unit, cycle=cycle)
    assert len(layouts) == 1 and f"ตัวบ่งชี้ที่ {third.indicator.number}" in layouts[0]
    text = fold("".join(pypdf_pages(joined)))
    assert "ข้อความที่แก้ไขใหม่ทั้งย่อหน้า" in text
    # The stale section is not served (the generated narratives share their openings).
    old = fold(result.narrative)[:80]
    assert text.count(old) == before.count(old) - 1


def test_a_lost_stored_file_is_laid_out_again(
    world: tuple[Unit, Cycle], layouts: list[str]
) -> None:
    unit, cycle = world
    assembly.render_unit_sar_pdf(unit=unit, cycle=cycle)
    part = SarPart.objects.filter(kind=SarPart.Kind.INDICATOR).first()
    assert part is not None
    part.file.storage.delete(part.file.name)
    layouts.clear()
    assembly.render_unit_sar_pdf(unit=unit, cycle=cycle)
    assert len(layouts) == 1


def test_the_job_joins_the_parts(world: tuple[Unit, Cycle], layouts: list[str]) -> None:
    unit, cycle = world
    user = User.objects.create_user("qa-assembly")
    job = report_job_start(kind=ReportJob.Kind.UNIT_SAR, cycle=cycle, by=user, unit=unit)
    assert job.status == ReportJob.Status.DONE
    assert len(layouts) == 5
    with job.file.open("rb") as made:
        assert "ดัชนีเอกสารอ้างอิง" in "".join(pypdf_pages(made.read()))


def _notice(job: ReportJob) -> str:
    context = {"job": job, "outdated": report_job_is_outdated(job)}
    return render_to_string("indicators/reports/_job_progress.html", context)


NOTICE = "ข้อมูลของหน่วยงานมีการแก้ไขหลังจากสร้างไฟล์นี้"


def test_a_made_sar_older_than_the_data_says_so(
    world: tuple[Unit, Cycle], layouts: list[str]
) -> None:
    unit, cycle = world
    user = User.objects.create_user("qa-outdated")
    job = report_job_start(kind=ReportJob.Kind.UNIT_SAR, cycle=cycle, by=user, unit=unit)
    assert job.status == ReportJob.Status.DONE and job.data_digest
    assert not report_job_is_outdated(job)
    assert NOTICE not in _notice(job)
    result = CriterionResult.objects.filter(assessment__unit=unit).first()
    assert result is not None
    result.narrative += " แก้ไขหลังจากสร้างรายงาน"
    result.save()
    job.refresh_from_db()
    assert report_job_is_outdated(job)
    page = _notice(job)
    assert NOTICE in page and reverse("indicators:report_job_retry", args=[job.pk]) in page


@pytest.mark.parametrize("change", ["item deleted", "document renamed"])
def test_a_made_sar_sees_changes_that_leave_no_timestamp(
    world: tuple[Unit, Cycle], layouts: list[str], change: str
) -> None:
    """A deleted evidence item (its row is gone) and a document's new title (the library,
    not the assessment) make the SAR outdated too: the digest is of what it shows."""
    unit, cycle = world
    user = User.objects.create_user("qa-outdated-2")
    job = report_job_start(kind=ReportJob.Kind.UNIT_SAR, cycle=cycle, by=user, unit=unit)
    assert not report_job_is_outdated(job)
    items = EvidenceItem.objects.filter(result__assessment__unit=unit, document__isnull=False)
    item = items.order_by("-position").select_related("document").first()
    assert item is not None
    if change == "item deleted":
        EvidenceItem.objects.filter(pk=item.pk).delete()
    else:
        Document.objects.filter(pk=item.document.pk).update(title="ชื่อเอกสารใหม่ทั้งหมด")
    assert report_job_is_outdated(job)


def test_missing_sections_laid_out_side_by_side(
    world: tuple[Unit, Cycle], settings: SettingsWrapper
) -> None:
    unit, cycle = world
    settings.KMT_SAR_RENDER_PROCESSES = 2
    joined = assembly.render_unit_sar_pdf(unit=unit, cycle=cycle)
    assert SarPart.objects.filter(unit=unit, cycle=cycle).exclude(file="").count() == 5
    assert pypdf_pages(joined) == pypdf_pages(pdf.render_unit_sar_pdf(unit=unit, cycle=cycle))


@pytest.mark.parametrize("longer", [False, True], ids=["same pages", "more pages"])
def test_the_front_is_laid_out_beside_a_changed_section(
    world: tuple[Unit, Cycle],
    settings: SettingsWrapper,
    monkeypatch: pytest.MonkeyPatch,
    longer: bool,
) -> None:
    """With processes to spare, the front matter is laid out while the changed section
    is, with the section's old page count, and again only if the count changed: the
    contents' page numbers are right either way."""
    unit, cycle = world
    settings.KMT_SAR_RENDER_PROCESSES = 2
    assembly.render_unit_sar_pdf(unit=unit, cycle=cycle)
    third = assessments(unit, cycle)[2]
    part = SarPart.objects.get(assessment=third)
    result = CriterionResult.objects.filter(assessment=third).order_by("criterion__order")[0]
    added = " ข้อความที่เพิ่มเข้ามาใหม่" * (600 if longer else 1)
    CriterionResult.objects.filter(pk=result.pk).update(narrative=result.narrative + added)
    fronts: list[list[int]] = []
    real = assembly._front

    def counting(**kwargs: Any) -> tuple[bytes, list[assembly.ContentsLink]]:
        fronts.append(list(kwargs["part_pages"]))
        return real(**kwargs)

    monkeypatch.setattr(assembly, "_front", counting)
    joined = assembly.render_unit_sar_pdf(unit=unit, cycle=cycle)
    after = SarPart.objects.get(assessment=third).pages
    assert (after > part.pages) is longer
    assert fronts[0][2] == part.pages  # laid out with the old count, beside the section
    assert len(fronts) == (2 if longer else 1)
    assert pypdf_pages(joined) == pypdf_pages(pdf.render_unit_sar_pdf(unit=unit, cycle=cycle))


def test_a_made_bundle_sees_a_deleted_item(world: tuple[Unit, Cycle]) -> None:
    """The reports without a digest (the evidence bundle, the committee's report) go by
    the rows' times, and a deleted item by its history row."""
    unit, cycle = world
    user = User.objects.create_user("qa-bundle")
    job = report_job_start(kind=ReportJob.Kind.BUNDLE, cycle=cycle, by=user, unit=unit)
    assert job.status == ReportJob.Status.DONE and not job.data_digest
    assert not report_job_is_outdated(job)
    item = EvidenceItem.objects.filter(result__assessment__unit=unit).order_by("-position")[0]
    item.delete()
    assert report_job_is_outdated(job)
