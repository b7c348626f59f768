"""Whether a made report is older than the data it shows: the job page says so and
offers to make it again, so that a file is never silently old.

The reports made of SAR sections (a unit's annual SAR and an indicator's report, PDF or
Word) keep, when their job begins, a digest of their sections' HTML as the data has it
(``ReportJob.data_digest``); they are outdated when the digest of the data now differs.
That sees every change the report would show, deletions and the evidence library's
captions and records included. The other reports of a unit (the committee's, the
evidence bundle) are outdated when one of its assessments, results or evidence items
was saved, or an item deleted, after the job began.
"""

import hashlib
import logging

from django.db.models import Q

from evidence.models import EvidenceItem
from indicators.models import Assessment, Cycle, ReportJob, Unit

from . import pdf
from .sections import part_fingerprint, section_html, section_specs

logger = logging.getLogger(__name__)

DIGESTED_KINDS = (
    ReportJob.Kind.UNIT_SAR,
    ReportJob.Kind.UNIT_SAR_DOCX,
    ReportJob.Kind.INDICATOR,
    ReportJob.Kind.INDICATOR_DOCX,
)


def data_digest(*, unit: Unit, cycle: Cycle, assessment_id: int | None = None) -> str:
    """The digest of what the unit's SAR shows now (with ``assessment_id``: that one
    indicator's section, its data alone loaded)."""
    if assessment_id is None:
        sar = pdf.unit_sar_data(unit=unit, cycle=cycle)
        htmls = [spec.html for spec in section_specs(sar=sar, cycle=cycle)]
    else:
        rows = list(pdf.assessments_for_report().filter(pk=assessment_id, unit=unit))
        sar = pdf.UnitSar(unit=unit, assessments=rows, mean=None, chart=None)
        htmls = [section_html(sar=sar, cycle=cycle, assessment=row) for row in rows]
    digest = hashlib.blake2b(digest_size=32)
    for html in htmls:
        digest.update(part_fingerprint(html).encode())
    return digest.hexdigest()


def job_data_digest(job: ReportJob) -> str:
    """The digest to keep on the job as it begins ("" for the kinds without one)."""
    if job.kind not in DIGESTED_KINDS or job.unit is None:
        return ""
    return data_digest(unit=job.unit, cycle=job.cycle, assessment_id=job.assessment_id)


def report_job_is_outdated(job: ReportJob) -> bool:
    """Made, but the data it shows has changed since it began to be made."""
    if job.status != ReportJob.Status.DONE or job.unit is None or job.started_at is None:
        return False
    if job.data_digest:
        try:
            return job_data_digest(job) != job.data_digest
        except Exception:
            # The page must still offer the file: the rows' times below tell instead.
            logger.exception("Report job %s: the data's digest could not be made", job.pk)
    since = job.started_at
    assessments = Assessment.objects.filter(unit=job.unit, indicator__cycle=job.cycle_id)
    if job.assessment_id:
        assessments = assessments.filter(pk=job.assessment_id)
    changed = assessments.filter(
        Q(updated_at__gt=since)
        | Q(results__updated_at__gt=since)
        | Q(results__evidence_items__updated_at__gt=since)
    )
    # A deleted item leaves only its history row.
    deleted = EvidenceItem.history.filter(
        history_type="-",
        history_date__gt=since,
        result__assessment__in=assessments,
    )
    return changed.exists() or deleted.exists()
