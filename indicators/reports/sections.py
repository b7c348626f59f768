"""The parts of a unit's annual SAR, laid out on their own and kept for the next SAR.

WeasyPrint lays out about 7-8 pages a second here, and a unit's SAR is a hundred pages
and more, nearly all of it the indicators' sections. So each section (and the unit's
evidence index) is laid out on its own, without page numbers, and kept in storage
(SarPart) under the fingerprint of what it shows: the hash of its HTML, with the
stylesheet and the WeasyPrint version. Rendering the HTML of a section is cheap (a
template); laying it out is not. A stored part whose fingerprint differs from the data's
is never used: assembly.py lays it out again first.

When an indicator's data changes, its section is laid out again in the background
(`sar_section_touch`), debounced: a change enqueues a render only if none is waiting,
and the render reads the data as it is when it runs, so a burst of saves costs one or
two renders.
"""

import hashlib
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from io import BytesIO
from typing import Any, TypeVar, cast

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from django_tasks import task
from pypdf import PdfReader

from evidence.models import EvidenceItem
from indicators.models import Assessment, CriterionResult, Cycle, SarPart, Unit
from indicators.models.reports import sar_part_upload_to

from . import pdf
from .fetcher import StaticOnlyURLFetcher

_T = TypeVar("_T")
logger = logging.getLogger(__name__)

# Bump when code (not a template or the stylesheet, which the fingerprint reads) changes
# how a stored part is laid out.
PART_FORMAT = "1"
STYLESHEET = "css/sar-pdf.css"


@lru_cache(maxsize=1)
def _stylesheet_digest() -> str:
    path = finders.find(STYLESHEET)
    assert isinstance(path, str), STYLESHEET
    with open(path, "rb") as stylesheet:
        return hashlib.sha256(stylesheet.read()).hexdigest()


def part_fingerprint(html: str) -> str:
    """What a stored part shows: its HTML, the stylesheet and the layout engine."""
    digest = hashlib.sha256()
    for piece in (PART_FORMAT, weasyprint.__version__, _stylesheet_digest(), html):
        digest.update(piece.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _part_html(
    *, sar: pdf.UnitSar, cycle: Cycle, assessment: Assessment | None, justify: bool
) -> str:
    return pdf.report_html(
        "indicators/reports/sar_part.html",
        {
            "sar": sar,
            "cycle": cycle,
            "assessment": assessment,
            "document_title": f"รายงานการประเมินตนเอง {sar.unit.name} {cycle}",
            "document_author": sar.unit.name,
        },
        justify=justify,
    )


def section_html(
    *, sar: pdf.UnitSar, cycle: Cycle, assessment: Assessment, justify: bool = False
) -> str:
    """One indicator's section, as it is in the unit's SAR (with its running title)."""
    return _part_html(sar=sar, cycle=cycle, assessment=assessment, justify=justify)


def evidence_index_html(*, sar: pdf.UnitSar, cycle: Cycle, justify: bool = False) -> str:
    return _part_html(sar=sar, cycle=cycle, assessment=None, justify=justify)


@dataclass
class PartSpec:
    """A part of the SAR as the data has it now: what to lay out, and its fingerprint."""

    kind: str
    unit: Unit
    cycle: Cycle
    assessment: Assessment | None
    justify: bool
    html: str

    @property
    def fingerprint(self) -> str:
        return part_fingerprint(self.html)

    def last_pages(self) -> int | None:
        """How many pages the part took when last laid out (None if it never was)."""
        return self.rows().values_list("pages", flat=True).first()

    def rows(self) -> QuerySet[SarPart]:
        if self.assessment is not None:
            return SarPart.objects.filter(
                kind=self.kind, assessment=self.assessment, justify=self.justify
            )
        return SarPart.objects.filter(
            kind=self.kind, unit=self.unit, cycle=self.cycle, justify=self.justify
        )


@dataclass
class Part:
    """A laid-out part: its PDF and page count."""

    content: bytes
    pages: int


def section_specs(*, sar: pdf.UnitSar, cycle: Cycle, justify: bool = False) -> list[PartSpec]:
    """Every part of the unit's SAR that is kept: the sections in order, then the index."""
    specs = [
        PartSpec(
            kind=SarPart.Kind.INDICATOR,
            unit=sar.unit,
            cycle=cycle,
            assessment=assessment,
            justify=justify,
            html=section_html(sar=sar, cycle=cycle, assessment=assessment, justify=justify),
        )
        for assessment in sar.assessments
    ]
    specs.append(
        PartSpec(
            kind=SarPart.Kind.EVIDENCE_INDEX,
            unit=sar.unit,
            cycle=cycle,
            assessment=None,
            justify=justify,
            html=evidence_index_html(sar=sar, cycle=cycle, justify=justify),
        )
    )
    return specs


def stored_part(spec: PartSpec) -> Part | None:
    """The stored part if it shows what the data has now, else None."""
    row = spec.rows().first()
    if row is None or not row.file or row.fingerprint != spec.fingerprint:
        return None
    try:
        with row.file.open("rb") as stored:
            return Part(stored.read(), row.pages)
    except FileNotFoundError:  # replaced (and deleted) by a newer render meanwhile
        return None


def lay_out_part(html: str, *, fetcher: StaticOnlyURLFetcher | None = None) -> bytes:
    """A part as plain PDF (the archive variants are made whole, by pdf.py)."""
    with pdf.pdf_variant(""):
        return pdf.html_to_pdf(html, fetcher=fetcher)


def keep_part(spec: PartSpec, content: bytes, *, fingerprint: str | None = None) -> Part:
    """Stores a freshly laid-out part under its fingerprint, replacing the older one."""
    pages = len(PdfReader(BytesIO(content)).pages)
    storage = SarPart._meta.get_field("file").storage
    name = storage.save(sar_part_upload_to(None, "part.pdf"), ContentFile(content))
    values = {
        "fingerprint": fingerprint or spec.fingerprint,
        "file": name,
        "pages": pages,
        "rendered_at": timezone.now(),
    }
    row = spec.rows().first()
    try:
        if row is None:
            with transaction.atomic():  # a savepoint: the caller's transaction survives
                SarPart.objects.create(
                    kind=spec.kind,
                    unit=spec.unit,
                    cycle=spec.cycle,
                    assessment=spec.assessment,
                    justify=spec.justify,
                    **values,
                )
        else:
            SarPart.objects.filter(pk=row.pk).update(**values)
            if row.file and row.file.name != name:
                storage.delete(row.file.name)
    except IntegrityError:  # made by another render at the same moment: theirs is kept
        storage.delete(name)
    return Part(content, pages)


def part_render(spec: PartSpec, *, fetcher: StaticOnlyURLFetcher | None = None) -> Part:
    """The stored part, or the part laid out now and kept."""
    return stored_part(spec) or keep_part(spec, lay_out_part(spec.html, fetcher=fetcher))


def parts_render(
    specs: list[PartSpec],
    *,
    fetcher: StaticOnlyURLFetcher | None = None,
    meanwhile: Callable[[list[int]], _T] | None = None,
) -> tuple[list[Part], _T | None]:
    """Every part: stored, or laid out now and kept. Those missing are laid out in
    forked processes (up to KMT_SAR_RENDER_PROCESSES, when it allows more than one), and
    ``meanwhile`` runs here at the same time, given the page counts the parts had when
    last laid out (the assembly lays out its front matter). Returned with the parts: what
    ``meanwhile`` returned, or None if it did not run or the parts came out with other
    page counts than it was given."""
    found = [stored_part(spec) for spec in specs]
    missing = [index for index, part in enumerate(found) if part is None]
    expected: list[int | None] = []
    early: _T | None = None
    if missing and settings.KMT_SAR_RENDER_PROCESSES > 1 and fetcher is None:
        # Forked children only lay HTML out (never the database) and hand the bytes back;
        # they end with os._exit, so the parent's connections are left alone.
        context = multiprocessing.get_context("fork")
        processes = min(settings.KMT_SAR_RENDER_PROCESSES, len(missing))
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            running = pool.map(lay_out_part, [specs[index].html for index in missing])
            expected = [
                part.pages if part else spec.last_pages()
                for spec, part in zip(specs, found, strict=True)
            ]
            if meanwhile is not None and None not in expected:
                early = meanwhile(cast(list[int], expected))
            laid_out = list(running)
    else:
        laid_out = [lay_out_part(specs[index].html, fetcher=fetcher) for index in missing]
    made = {
        index: keep_part(specs[index], content)
        for index, content in zip(missing, laid_out, strict=True)
    }
    parts = [part or made[index] for index, part in enumerate(found)]
    if [part.pages for part in parts] != expected:
        early = None
    return parts, early


# -- kept up to date in the background ----------------------------------------------


def sar_section_touch(*, assessment_id: int) -> bool:
    """Queues a render of the assessment's section unless one is waiting; True if queued.

    Called once a change is committed (see `connect`). Off where
    KMT_SAR_PARTS_IN_BACKGROUND is false (the tests, whose task backend runs tasks at once).
    """
    if not settings.KMT_SAR_PARTS_IN_BACKGROUND:
        return False
    found = (
        Assessment.objects.filter(pk=assessment_id)
        .values_list("unit_id", "indicator__cycle_id")
        .first()
    )
    if found is None:
        return False
    unit_id, cycle_id = found
    rows = SarPart.objects.filter(
        kind=SarPart.Kind.INDICATOR, assessment_id=assessment_id, justify=False
    )
    try:
        with transaction.atomic():
            now = timezone.now()
            _row, created = SarPart.objects.get_or_create(
                kind=SarPart.Kind.INDICATOR,
                assessment_id=assessment_id,
                justify=False,
                defaults={"unit_id": unit_id, "cycle_id": cycle_id, "queued_at": now},
            )
            # The conditional UPDATE is the debounce: of many changes, one queues. A render
            # queued long ago whose worker died does not hold the section back for ever.
            lost = now - timedelta(seconds=settings.KMT_REPORT_JOB_STALE_SECONDS)
            waiting = Q(queued_at__isnull=True) | Q(queued_at__lt=lost)
            if not created and not rows.filter(waiting).update(queued_at=now):
                return False
            render_sar_section.enqueue(assessment_id=assessment_id)
    except IntegrityError:  # created by a change at the same moment, which queued it
        return False
    return True


# Below the report jobs (priority 0): a person waiting for a report goes first, and the
# job lays out any stale section itself.
@task(priority=-10)
def render_sar_section(*, assessment_id: int) -> None:
    """Lays out the assessment's section again if its data changed, and the unit's
    evidence index if that changed too; reads the data as it is now."""
    # From here on a change queues another render: this one may have read too early.
    SarPart.objects.filter(
        kind=SarPart.Kind.INDICATOR, assessment_id=assessment_id, justify=False
    ).update(queued_at=None)
    assessment = (
        Assessment.objects.select_related("unit", "indicator__cycle")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        return
    cycle = assessment.indicator.cycle
    with translation.override("th"):
        sar = pdf.unit_sar_data(unit=assessment.unit, cycle=cycle)
    for spec in section_specs(sar=sar, cycle=cycle):
        if spec.assessment is None or spec.assessment.pk == assessment_id:
            part_render(spec)


def _touch_on_commit(assessment_id: int | None) -> None:
    if assessment_id is not None and settings.KMT_SAR_PARTS_IN_BACKGROUND:
        transaction.on_commit(lambda: sar_section_touch(assessment_id=assessment_id))


def _assessment_saved(sender: type[Assessment], instance: Assessment, **kwargs: Any) -> None:
    _touch_on_commit(instance.pk)


def _result_changed(
    sender: type[CriterionResult], instance: CriterionResult, **kwargs: Any
) -> None:
    _touch_on_commit(instance.assessment_id)


def _item_changed(sender: type[EvidenceItem], instance: EvidenceItem, **kwargs: Any) -> None:
    result = CriterionResult.objects.filter(pk=instance.result_id)
    _touch_on_commit(result.values_list("assessment_id", flat=True).first())


def connect() -> None:
    """Keeps sections up to date as their data changes (called by kmtracker.apps at start-up:
    the core app below this layer cannot know about reports)."""
    post_save.connect(_assessment_saved, sender=Assessment, dispatch_uid="sar_assessment")
    post_save.connect(_result_changed, sender=CriterionResult, dispatch_uid="sar_result")
    post_delete.connect(_result_changed, sender=CriterionResult, dispatch_uid="sar_result_del")
    post_save.connect(_item_changed, sender=EvidenceItem, dispatch_uid="sar_item")
    post_delete.connect(_item_changed, sender=EvidenceItem, dispatch_uid="sar_item_del")
