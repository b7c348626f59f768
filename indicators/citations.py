"""Citation checks: do the narratives and the evidence list agree?

Flags, per assessment, one line per criterion for what can pile up (a draft carried over
from last year has dozens of uncited, unconfirmed items):
- codes cited in a narrative (e.g. 'สพ 3-1 (9)') for which no evidence item exists;
- citations of removed items ('สพ 3-1 (2 ถูกลบ)', written when an item is removed), in
  a narrative or in the strengths and improvements (those are flagged for the assessment);
- evidence items that no narrative cites, but only where the unit's practice is
  to cite codes in its narratives at all (the seed SAR, for instance, does not);
- items carried over from last year that the unit has not confirmed yet;
and one line per item for what is wrong with that item: a link that answered with an
error, a stored file that is missing or whose SHA-256 no longer matches (results stored
by `check_links` / `check_documents`).
Everything is read from the database; nothing is fetched on page load.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidence.models import EvidenceItem

from .codes import cited_codes, code_pattern, dangling_codes, join_codes, make_code
from .models import Assessment, CriterionResult


@dataclass
class Flag:
    # Per criterion (result_id, no item_id): missing_code | dangling | uncited | to_confirm;
    # per item: broken_link | missing_file | changed_file;
    # for the assessment (neither): dangling in the strengths or improvements.
    kind: str
    message: str
    result_id: int | None = None
    item_id: int | None = None
    codes: list[str] = field(default_factory=list)


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

    def for_assessment(self) -> list[Flag]:
        """Flags of no criterion: the strengths and improvements."""
        return [flag for flag in self.flags if flag.result_id is None and not flag.item_id]

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
    narratives = narratives.order_by()  # any order: no joins for the models' ordering
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

    code_of: dict[int, str] = {}  # item pk -> its code
    for result in results:
        for item in result.evidence_items.all():
            code_of[item.pk] = make_code(prefix, number, result.criterion.order, item.position)
    existing = set(code_of.values())

    cited_by_result = {result.pk: cited_codes(result.narrative, prefix) for result in results}
    all_cited = {code for codes in cited_by_result.values() for code in codes}
    other_indicators = {code for code in all_cited if not code.startswith(f"{prefix} {number}-")}
    exists_elsewhere = _codes_elsewhere(assessment, other_indicators)
    report.cites_codes = bool(all_cited) or _unit_cites_elsewhere(assessment)

    for result in results:
        items = list(result.evidence_items.all())
        missing = [
            code
            for code in dict.fromkeys(cited_by_result[result.pk])
            if code not in existing and code not in exists_elsewhere
        ]
        uncited = [code_of[item.pk] for item in items if code_of[item.pk] not in all_cited]
        to_confirm = [code_of[item.pk] for item in items if item.to_confirm]
        grouped = [
            ("missing_code", missing),
            ("dangling", list(dict.fromkeys(dangling_codes(result.narrative, prefix)))),
            ("uncited", uncited if report.cites_codes else []),
            ("to_confirm", to_confirm),
        ]
        for kind, listed in grouped:
            if listed:
                message = str(_GROUPED[kind]) % {"codes": join_codes(listed)}
                report.flags.append(Flag(kind, message, result_id=result.pk, codes=listed))
        for item in items:
            report.flags.extend(_item_flags(item, code_of[item.pk], result.pk))
    report.flags.extend(_assessment_flags(assessment, prefix))
    return report


# What one line per criterion says about the codes it lists (the Thai reads the same
# for one code or many; the English is worded to do the same).
_GROUPED = {
    "missing_code": gettext_lazy("อ้างถึง %(codes)s ซึ่งไม่มีอยู่ในรายการหลักฐาน"),
    "dangling": gettext_lazy("อ้างถึง %(codes)s ซึ่งถูกลบออกจากรายการหลักฐานแล้ว ควรแก้ไขหรือลบการอ้างอิงนี้"),
    "uncited": gettext_lazy("ไม่มีผลการดำเนินงานข้อใดอ้างถึง %(codes)s"),
    "to_confirm": gettext_lazy("%(codes)s ยกมาจากปีที่แล้ว รอหน่วยงานยืนยันหรือแนบหลักฐานใหม่"),
}


def _assessment_flags(assessment: Assessment, prefix: str) -> list[Flag]:
    """Citations of removed items left in the strengths and improvements."""
    flags = []
    for text_field in (Assessment.strengths.field, Assessment.improvements.field):
        dangling = list(dict.fromkeys(dangling_codes(getattr(assessment, text_field.name), prefix)))
        if dangling:
            message = _("%(field)s อ้างถึง %(codes)s ซึ่งถูกลบออกจากรายการหลักฐานแล้ว") % {
                "field": text_field.verbose_name,
                "codes": join_codes(dangling),
            }
            flags.append(Flag("dangling", message, codes=dangling))
    return flags


def _item_flags(item: EvidenceItem, code: str, result_id: int) -> list[Flag]:
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
    return flags
