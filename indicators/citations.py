"""Citation checks: do the narratives and the evidence list agree?

Flags, per assessment:
- a code cited in a narrative (e.g. 'สพ 3-1 (9)') for which no evidence item exists;
- an evidence item that no narrative cites, but only where the unit's practice is
  to cite codes in its narratives at all (the seed SAR, for instance, does not);
- a link that answered with an error, and a stored file that is missing or whose
  SHA-256 no longer matches (results stored by `check_links` / `check_documents`);
- an item carried over from last year that the unit has not confirmed yet.
Everything is read from the database; nothing is fetched on page load.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from evidence.models import EvidenceItem

from .codes import cited_codes, code_pattern, make_code
from .models import Assessment, CriterionResult


@dataclass
class Flag:
    kind: str  # missing_code | uncited | broken_link | missing_file | changed_file | to_confirm
    message: str
    result_id: int | None = None
    item_id: int | None = None


@dataclass
class CitationReport:
    flags: list[Flag] = field(default_factory=list)
    cites_codes: bool = False

    def __bool__(self) -> bool:
        return bool(self.flags)

    def __len__(self) -> int:
        return len(self.flags)

    def for_result(self, result_id: int) -> list[Flag]:
        return [flag for flag in self.flags if flag.result_id == result_id and not flag.item_id]

    def for_item(self, item_id: int) -> list[Flag]:
        return [flag for flag in self.flags if flag.item_id == item_id]

    @property
    def by_result(self) -> dict[int | None, list[Flag]]:
        grouped: dict[int | None, list[Flag]] = defaultdict(list)
        for flag in self.flags:
            if not flag.item_id:
                grouped[flag.result_id].append(flag)
        return dict(grouped)

    @property
    def by_item(self) -> dict[int, list[Flag]]:
        grouped: dict[int, list[Flag]] = defaultdict(list)
        for flag in self.flags:
            if flag.item_id:
                grouped[flag.item_id].append(flag)
        return dict(grouped)


def _unit_cites_elsewhere(assessment: Assessment) -> bool:
    """Does any other narrative of the unit in this cycle cite a code?"""
    prefix = assessment.unit.evidence_prefix
    narratives = CriterionResult.objects.filter(
        assessment__unit_id=assessment.unit_id,
        assessment__indicator__cycle_id=assessment.indicator.cycle_id,
        narrative__contains=prefix,
    ).exclude(assessment_id=assessment.pk)
    pattern = code_pattern(prefix)
    return any(pattern.search(text) for text in narratives.values_list("narrative", flat=True))


def _codes_elsewhere(assessment: Assessment, codes: Iterable[str]) -> set[str]:
    """Which of these codes (of other indicators) exist in the unit's cycle."""
    wanted = set(codes)
    if not wanted:
        return set()
    numbers = {code.split(" ", 1)[1].split("-")[0] for code in wanted}
    items = EvidenceItem.objects.filter(
        result__assessment__unit_id=assessment.unit_id,
        result__assessment__indicator__cycle_id=assessment.indicator.cycle_id,
        result__assessment__indicator__number__in=numbers,
    ).values_list("result__assessment__indicator__number", "result__criterion__order", "position")
    prefix = assessment.unit.evidence_prefix
    return wanted & {make_code(prefix, *parts) for parts in items}


def check_assessment(
    assessment: Assessment, results: Iterable[CriterionResult] | None = None
) -> CitationReport:
    """All citation flags of one assessment.

    ``results`` may be given already loaded with ``criterion`` and
    ``evidence_items__document`` prefetched (as the pages do); otherwise they are loaded here.
    """
    if results is None:
        results = assessment.results.select_related("criterion").prefetch_related(
            "evidence_items__document"
        )
    results = list(results)
    prefix = assessment.unit.evidence_prefix
    number = assessment.indicator.number
    report = CitationReport()

    existing: dict[str, int] = {}
    for result in results:
        for item in result.evidence_items.all():
            existing[make_code(prefix, number, result.criterion.order, item.position)] = item.pk

    cited_by_result = {result.pk: cited_codes(result.narrative, prefix) for result in results}
    all_cited = {code for codes in cited_by_result.values() for code in codes}
    other_indicators = {code for code in all_cited if not code.startswith(f"{prefix} {number}-")}
    exists_elsewhere = _codes_elsewhere(assessment, other_indicators)

    for result in results:
        for code in dict.fromkeys(cited_by_result[result.pk]):
            if code not in existing and code not in exists_elsewhere:
                report.flags.append(
                    Flag(
                        "missing_code",
                        _("อ้างถึง %(code)s แต่ไม่มีหลักฐานรหัสนี้") % {"code": code},
                        result_id=result.pk,
                    )
                )

    report.cites_codes = bool(all_cited) or _unit_cites_elsewhere(assessment)
    for result in results:
        for item in result.evidence_items.all():
            code = make_code(prefix, number, result.criterion.order, item.position)
            if report.cites_codes and code not in all_cited:
                report.flags.append(
                    Flag(
                        "uncited",
                        _("ไม่มีผลการดำเนินงานข้อใดอ้างถึง %(code)s") % {"code": code},
                        result_id=result.pk,
                        item_id=item.pk,
                    )
                )
            report.flags.extend(_item_flags(item, code, result.pk))
    return report


def _item_flags(item, code: str, result_id: int) -> list[Flag]:  # type: ignore[no-untyped-def]
    flags = []
    if item.url and item.link_status == item.LinkStatus.BROKEN:
        flags.append(
            Flag(
                "broken_link",
                _("ลิงก์ของ %(code)s เปิดไม่ได้ (%(detail)s)")
                % {"code": code, "detail": item.link_detail or "-"},
                result_id=result_id,
                item_id=item.pk,
            )
        )
    document = item.document
    if document is not None and document.file_status == document.FileStatus.MISSING:
        flags.append(
            Flag(
                "missing_file",
                _("ไม่พบไฟล์ของ %(code)s ในที่เก็บ") % {"code": code},
                result_id=result_id,
                item_id=item.pk,
            )
        )
    elif document is not None and document.file_status == document.FileStatus.MISMATCH:
        flags.append(
            Flag(
                "changed_file",
                _("ไฟล์ของ %(code)s ไม่ตรงกับที่อัปโหลดไว้ (SHA-256 ไม่ตรง)") % {"code": code},
                result_id=result_id,
                item_id=item.pk,
            )
        )
    if item.to_confirm:
        flags.append(
            Flag(
                "to_confirm",
                _("%(code)s ยกมาจากปีที่แล้ว รอหน่วยงานยืนยันหรือแนบหลักฐานใหม่") % {"code": code},
                result_id=result_id,
                item_id=item.pk,
            )
        )
    return flags
