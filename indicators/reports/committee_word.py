"""The committee's report of a unit as a Word file, for the committee that edits its
report before it signs it.

The same content and order as the PDF (templates/indicators/reports/committee.html),
from the same data (``pdf.committee_data``): the scores of every indicator, the unit's
beside the committee's, with the unit's mean by both; then each indicator with both
marks of every criterion, the comments on the criterion and on each evidence item
(under the item's code, with the unit's reply), the general comments, strengths and
improvements. The page and the Thai font are word.py's: A4, 3 cm / 2 cm margins, TH
Sarabun New as Word's complex script, all of it editable text.
"""

from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from evidence.models import ReviewComment
from indicators.models import Cycle, Unit
from indicators.models.reports import WORD_MIMETYPE
from indicators.review import CriterionReview
from indicators.templatetags.kmt import quality, score
from indicators.thaidates import thai_date

from .pdf import CommitteeIndicator, CommitteeReport, ReportFile, committee_data
from .word import (
    add_row,
    add_table,
    new_document,
    save_document,
    score_text,
    text_lines,
)

SCORE_COLUMNS = (0.46, 0.17, 0.17, 0.20)
CRITERIA_COLUMNS = (0.34, 0.11, 0.11, 0.44)


def _mark(met: bool | None) -> str:
    if met is None:
        return "–"
    return _("ผ่าน") if met else _("ไม่ผ่าน")


def _comment_lines(comment: ReviewComment, code: str = "") -> list[str]:
    """The comment, line for line (under the evidence item's code), then the unit's reply."""
    lines = text_lines(comment.body)
    if code:
        lines[0] = f"{code} {lines[0]}"
    if comment.reply:
        reply = text_lines(comment.reply)
        lines += [f"{_('หน่วยงานตอบ')}: {reply[0]}", *reply[1:]]
    return lines


def _criterion_comments(review: CriterionReview) -> list[str]:
    lines = [line for comment in review.comments for line in _comment_lines(comment)]
    for item in review.items:
        for comment in item.comments:
            lines += _comment_lines(comment, item.item.code)
    return lines or ["–"]


def _scores(document: Any, report: CommitteeReport) -> None:
    document.add_heading(_("คะแนนรายตัวบ่งชี้"), level=2)
    headers = [_("ตัวบ่งชี้"), _("คะแนนประเมินตนเอง"), _("คะแนนของกรรมการ"), _("ระดับคุณภาพ (กรรมการ)")]
    table = add_table(document, headers, SCORE_COLUMNS)
    for part in report.indicators:
        assessment, indicator = part.assessment, part.assessment.indicator
        add_row(
            table,
            [
                [f"{indicator.number} {indicator.title}"],
                [score(assessment.self_score)],
                [score(assessment.committee_score)],
                [quality(assessment.committee_score)],
            ],
            SCORE_COLUMNS,
        )
    if not report.indicators:
        document.add_paragraph(_("ยังไม่มีผลการประเมินตนเองในรอบปีนี้"))
        return
    add_row(
        table,
        [
            [_("คะแนนเฉลี่ยของหน่วยงาน")],
            [score(report.self_mean)],
            [score(report.committee_mean)],
            [quality(report.committee_mean)],
        ],
        SCORE_COLUMNS,
    )
    for cell in table.rows[-1].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def _indicator(document: Any, part: CommitteeIndicator) -> None:
    assessment, indicator = part.assessment, part.assessment.indicator
    document.add_heading(f"{_('ตัวบ่งชี้ที่')} {indicator.number} {indicator.title}", level=2)
    scores = [
        f"{_('คะแนนประเมินตนเอง')} {score_text(assessment.self_score)}",
        f"{_('คะแนนของกรรมการ')} {score_text(assessment.committee_score)}",
    ]
    if indicator.is_counted:
        scores.append(f"{_('กรรมการเห็นว่าผ่านเกณฑ์')} {part.committee_met} {_('ข้อ')}")
    document.add_paragraph(" · ".join(scores))
    headers = [_("เกณฑ์มาตรฐาน"), _("หน่วยงาน"), _("กรรมการ"), _("ความเห็นของกรรมการ")]
    table = add_table(document, headers, CRITERIA_COLUMNS)
    for review in part.criteria:
        result = review.result
        add_row(
            table,
            [
                [f"{result.criterion.order}. {result.criterion.text}"],
                [_mark(result.met)],
                [_mark(result.committee_met)],
                _criterion_comments(review),
            ],
            CRITERIA_COLUMNS,
        )
    notes = [
        (_("ความเห็นทั่วไป"), [line for c in part.general_comments for line in _comment_lines(c)]),
        (_("จุดแข็ง"), text_lines(assessment.strengths) if assessment.strengths else []),
        (_("จุดที่ควรพัฒนา"), text_lines(assessment.improvements) if assessment.improvements else []),
    ]
    for heading, lines in notes:
        if lines:
            document.add_heading(heading, level=3)
            for line in lines:
                document.add_paragraph(line)


def committee_document(*, unit: Unit, cycle: Cycle) -> bytes:
    """The committee's report of one unit: its scores beside the unit's, the comments."""
    with translation.override("th"):
        report = committee_data(unit=unit, cycle=cycle)
        document = new_document(
            title=f"รายงานผลการตรวจประเมินของคณะกรรมการ {unit.name} {cycle}",
            author=settings.KMT_UNIVERSITY_NAME,
        )
        title = document.add_heading(_("รายงานผลการตรวจประเมินของคณะกรรมการ"), level=1)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph(
            f"{unit.name} · {_('รอบปีที่ใช้นับผลงาน')} : {cycle.period_display} · "
            f"{_('พิมพ์เมื่อ')} {thai_date(timezone.localdate())}"
        )
        _scores(document, report)
        for part in report.indicators:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _indicator(document, part)
    return save_document(document)


def committee_docx_report(*, unit: Unit, cycle: Cycle) -> ReportFile:
    name = f"ผลการตรวจประเมิน {unit.evidence_prefix} {cycle.get_kind_display()} {cycle.year_be}.docx"
    return ReportFile(name, WORD_MIMETYPE, committee_document(unit=unit, cycle=cycle))
