"""Importing a SAR indicator page from the browser: the file read and compared with what
the app holds (the preview), then written on confirmation by ``sar_import``, the
command line's own service, in one transaction under the assessment's lock.

Between the two the page carries what was read and a fingerprint of what the preview
showed; a confirmation after anyone changed the assessment is refused (stale).
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from evidence.models import EvidenceItem
from indicators.access import Capability, assessment_access
from indicators.history import word_diff
from indicators.locking import StaleEditError, assessment_lock
from indicators.models import Assessment, CriterionResult
from indicators.sar_docx import SarFileError, decode_sar_text, docx_to_sar
from indicators.sar_text import KIND_LABELS, ParsedSar, SarFormatError, heading_number, parse_sar
from indicators.services.sar_import import ImportReport, sar_check_matches, sar_import

MAX_BYTES = 5 * 1024 * 1024

NEW, CHANGED, SAME, KEPT = "new", "changed", "same", "kept"  # KEPT: held, not in the file


@dataclass(frozen=True)
class SarUpload:
    """What was read from the file: the page in the text layout, and for a .docx the
    place in the file of each line (empty for a text file, whose lines are its own)."""

    text: str
    places: list[str] = field(default_factory=list)

    def where(self, line: int) -> str:
        if self.places:
            return self.places[min(line, len(self.places)) - 1]
        return _("บรรทัดที่ %(line)s") % {"line": line}


def sar_upload_read(*, data: bytes) -> SarUpload:
    """A .docx (told by its content, not its name) or a text file in Word's encodings;
    SarFileError with the Thai reason if it cannot be read."""
    if len(data) > MAX_BYTES:
        raise SarFileError(
            _("ไฟล์มีขนาดใหญ่เกินไป รับได้ไม่เกิน %(mb)s MB") % {"mb": MAX_BYTES // 1024 // 1024}
        )
    if data.startswith(b"PK\x03\x04"):
        read = docx_to_sar(data)
        return SarUpload(read.text, read.places)
    return SarUpload(decode_sar_text(data))


@dataclass(frozen=True)
class EvidenceChange:
    code: str
    caption: str
    url: str
    caption_before: str
    url_before: str
    status: str


@dataclass(frozen=True)
class CriterionChange:
    order: int
    text: str
    text_before: str | None  # None: the criterion is new to the indicator
    narrative: str
    narrative_before: str | None  # None: no result held yet
    met: bool  # as it will be: a held result keeps its mark
    met_before: bool | None
    status: str
    evidence: list[EvidenceChange]

    @property
    def narrative_diff(self) -> SafeString:
        return word_diff(self.narrative_before or "", self.narrative)


@dataclass(frozen=True)
class SarPreview:
    parsed: ParsedSar
    criteria: list[CriterionChange]
    set_up_changes: list[str]  # what the import would change in the cycle's set-up
    fingerprint: str  # of what the app holds, as shown

    @property
    def changed(self) -> bool:
        return bool(self.set_up_changes) or any(c.status != SAME for c in self.criteria)

    @property
    def counts(self) -> dict[str, int]:
        """How many criteria are new, changed, the same, and held but not in the file."""
        statuses = [criterion.status for criterion in self.criteria]
        return {status: statuses.count(status) for status in (NEW, CHANGED, SAME, KEPT)}


def _held(assessment: Assessment) -> dict[str, Any]:
    """What the app holds that the import reads or writes, as plain data."""
    indicator = assessment.indicator
    results = {
        result.criterion_id: result
        for result in CriterionResult.objects.filter(assessment=assessment)
    }
    items = EvidenceItem.objects.filter(result__assessment=assessment).order_by("position")
    by_result: dict[int, list[dict[str, Any]]] = {}
    for item in items.with_code_parts():
        by_result.setdefault(item.result_id, []).append(
            {
                "position": item.position,
                "code": item.code,
                "caption": item.caption,
                "url": item.url,
                "document": item.document_id is not None,
            }  # fmt: skip
        )
    criteria = []
    for criterion in indicator.criteria.order_by("order"):
        result = results.get(criterion.pk)
        criteria.append(
            {
                "order": criterion.order,
                "text": criterion.text,
                "narrative": result.narrative if result else None,
                "met": result.met if result else None,
                "evidence": by_result.get(result.pk, []) if result else [],
            }
        )
    cycle = indicator.cycle
    return {
        "title": indicator.title,
        "kind": indicator.kind,
        "period": [cycle.start_date.isoformat(), cycle.end_date.isoformat()],
        "criteria": criteria,
    }


def _fingerprint(held: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(held, sort_keys=True).encode()).hexdigest()


def _parse(assessment: Assessment, upload: SarUpload) -> ParsedSar:
    """The page, checked to be this assessment's indicator, cycle and unit; SarFileError
    naming the place in the file otherwise."""
    indicator = assessment.indicator
    try:
        heading = heading_number(upload.text)
        if heading is not None and heading[1] != indicator.number:
            message = _("ไฟล์นี้เป็นตัวบ่งชี้ที่ %(file)s แต่หน้านี้คือตัวบ่งชี้ที่ %(page)s")
            values = {"file": heading[1], "page": indicator.number}
            raise SarFormatError(heading[0], message % values)
        parsed = parse_sar(upload.text)
        sar_check_matches(
            parsed,
            unit_prefix=assessment.unit.evidence_prefix,
            year_be=indicator.cycle.year_be,
            cycle_kind=indicator.cycle.kind,
        )
    except SarFormatError as error:
        raise SarFileError(f"{upload.where(error.line)}: {error.message}") from None
    return parsed


def _set_up_changes(parsed: ParsedSar, held: dict[str, Any]) -> list[str]:
    changes = []
    if parsed.title != held["title"]:
        changes.append(
            _("ชื่อตัวบ่งชี้: “%(old)s” → “%(new)s”") % {"old": held["title"], "new": parsed.title}
        )
    if parsed.kind != held["kind"]:
        labels = {value: label for label, value in KIND_LABELS.items()}
        values = {"old": labels.get(held["kind"], held["kind"]), "new": labels[parsed.kind]}
        changes.append(_("ชนิดของตัวบ่งชี้: %(old)s → %(new)s") % values)
    if [parsed.start_date.isoformat(), parsed.end_date.isoformat()] != held["period"]:
        changes.append(_("วันเริ่มต้นและวันสิ้นสุดของรอบปี"))
    texts = {c["order"]: c["text"] for c in held["criteria"]}
    for criterion in parsed.criteria:
        if criterion.order not in texts:
            changes.append(_("เพิ่มเกณฑ์ข้อ %(order)s") % {"order": criterion.order})
        elif texts[criterion.order] != criterion.text:
            changes.append(_("ข้อความของเกณฑ์ข้อ %(order)s") % {"order": criterion.order})
    return changes


def _evidence_changes(parsed: Any, held: list[dict[str, Any]], code: str) -> list[EvidenceChange]:
    """As sar_import writes them: captions always, links only where no file is attached."""
    by_position = {item["position"]: item for item in held}
    rows = []
    for item in parsed.evidence:
        before = by_position.pop(item.number, None)
        url = item.url if before is None or not before["document"] else before["url"]
        if before is None:
            status = NEW
        elif (before["caption"], before["url"]) != (item.caption, url):
            status = CHANGED
        else:
            status = SAME
        rows.append(
            EvidenceChange(
                f"{code} ({item.number})",
                item.caption,
                url,
                before["caption"] if before else "",
                before["url"] if before else "",
                status,
            )  # fmt: skip
        )
    for before in by_position.values():
        rows.append(
            EvidenceChange(
                before["code"],
                before["caption"],
                before["url"],
                before["caption"],
                before["url"],
                KEPT,
            )  # fmt: skip
        )
    return rows


def _preview(assessment: Assessment, parsed: ParsedSar) -> SarPreview:
    held = _held(assessment)
    held_criteria = {c["order"]: c for c in held["criteria"]}
    prefix = assessment.unit.evidence_prefix
    rows = []
    for criterion in parsed.criteria:
        before = held_criteria.pop(criterion.order, None) or {}
        code = f"{prefix} {parsed.number}-{criterion.order}"
        evidence = _evidence_changes(criterion, before.get("evidence", []), code)
        met_before = before.get("met")
        met = (
            met_before
            if met_before is not None
            else bool(criterion.narrative and criterion.evidence)
        )
        if before.get("narrative") is None:
            status = NEW
        elif (
            before["text"] != criterion.text
            or before["narrative"] != criterion.narrative
            or any(item.status in (NEW, CHANGED) for item in evidence)
        ):
            status = CHANGED
        else:
            status = SAME
        rows.append(
            CriterionChange(
                criterion.order,
                criterion.text,
                before.get("text"),
                criterion.narrative,
                before.get("narrative"),
                met,
                met_before,
                status,
                evidence,
            )  # fmt: skip
        )
    for before in held_criteria.values():
        narrative = before["narrative"] or ""
        rows.append(
            CriterionChange(
                before["order"],
                before["text"],
                before["text"],
                narrative,
                narrative,
                bool(before["met"]),
                before["met"],
                KEPT,
                [],
            )  # fmt: skip
        )
    rows.sort(key=lambda row: row.order)
    return SarPreview(parsed, rows, _set_up_changes(parsed, held), _fingerprint(held))


def sar_upload_preview(*, assessment: Assessment, upload: SarUpload) -> SarPreview:
    """What the import would do, per criterion: new, changed or the same (and what the
    app holds that the file does not have, which the import keeps). Writes nothing;
    SarFileError naming the place if the file cannot be imported here."""
    return _preview(assessment, _parse(assessment, upload))


def sar_upload_confirm(
    *, assessment: Assessment, upload: SarUpload, fingerprint: str, by: User
) -> ImportReport:
    """Writes the page as ``import_sar`` does, in one transaction under the assessment's
    lock. StaleEditError if the assessment changed since the preview (``fingerprint``),
    AssessmentLockedError if it was submitted or approved meanwhile, SarFileError if the
    file would change the cycle's set-up and the user is not a QA administrator."""
    parsed = _parse(assessment, upload)
    with transaction.atomic(), assessment_lock(assessment.pk) as current:
        access = assessment_access(by, current)
        access.check(Capability.IMPORT_SAR)
        preview = _preview(current, parsed)
        if preview.fingerprint != fingerprint:
            raise StaleEditError(current)
        if preview.set_up_changes and not access.can_set_up:
            raise SarFileError(
                _(
                    "ไฟล์นี้จะเปลี่ยนการตั้งค่าตัวบ่งชี้ (%(changes)s) ซึ่งใช้ร่วมกับทุกหน่วยงาน: "
                    "แก้ไฟล์ให้ตรงกับระบบ หรือให้ผู้ดูแลระบบประกันคุณภาพนำเข้า"
                )
                % {"changes": "; ".join(preview.set_up_changes)}
            )
        unit, cycle = current.unit, current.indicator.cycle
        return sar_import(
            text=upload.text,
            unit_prefix=unit.evidence_prefix,
            unit_name=unit.name,
            year_be=cycle.year_be,
            cycle_kind=cycle.kind,
        )
