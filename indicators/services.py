"""Writes that touch several models of the indicators app."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import scoring
from .access import is_qa_admin, is_qa_officer, unit_role
from .models import (
    Assessment,
    AssessmentTransition,
    Criterion,
    CriterionResult,
    Cycle,
    Indicator,
    Membership,
    ReviewComment,
    Unit,
)
from .sar_text import ParsedSar, SarFormatError, parse_sar


def _upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, str]:
    """get-or-create by lookup, then save only fields that differ.

    Returns the object and 'created', 'updated' or 'unchanged', so that a
    second import of the same file writes nothing (and adds no history).
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.save()
    return obj, "updated"


def default_score_table(criteria_count: int) -> list[list[int | float]]:
    """The usual mapping for 5 and 7 criteria; proportional otherwise."""
    if criteria_count == 5:
        return scoring.FIVE_CRITERIA_TABLE
    if criteria_count == 7:
        return scoring.SEVEN_CRITERIA_TABLE
    return [[n, float(scoring.two_places(scoring.MAX_SCORE * n / criteria_count))]
            for n in range(1, criteria_count + 1)]  # fmt: skip


@dataclass
class ImportReport:
    assessment: Assessment
    counts: dict[str, int]

    @property
    def changed(self) -> bool:
        return any(self.counts.get(key) for key in ("created", "updated"))


def sar_import(
    *,
    text: str,
    unit_prefix: str,
    unit_name: str,
    year_be: int,
    cycle_kind: str,
) -> ImportReport:
    """Creates or updates everything one SAR indicator page holds, or nothing.

    Raises SarFormatError (with the line) for a file that does not follow the
    layout or does not match the unit and cycle given.
    """
    from evidence.models import EvidenceItem

    parsed: ParsedSar = parse_sar(text)
    if parsed.cycle_kind != cycle_kind or parsed.year_be != year_be:
        raise SarFormatError(
            parsed.period_line,
            _("รอบปีในไฟล์ (%(file)s %(fy)s) ไม่ตรงกับที่ระบุ (%(kind)s %(year)s)")
            % {
                "file": parsed.cycle_kind,
                "fy": parsed.year_be,
                "kind": cycle_kind,
                "year": year_be,
            },
        )
    if parsed.evidence_prefix and parsed.evidence_prefix != unit_prefix:
        first = next(item for c in parsed.criteria for item in c.evidence)
        raise SarFormatError(
            first.line,
            _("รหัสเอกสารขึ้นต้นด้วย “%(found)s” แต่หน่วยงานใช้ “%(prefix)s”")
            % {"found": parsed.evidence_prefix, "prefix": unit_prefix},
        )

    counts = {"created": 0, "updated": 0, "unchanged": 0}

    def upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        obj, outcome = _upsert(model, lookup, values)
        counts[outcome] += 1
        return obj

    with transaction.atomic():
        unit = upsert(Unit, {"evidence_prefix": unit_prefix}, {"name": unit_name})
        cycle = upsert(
            Cycle,
            {"kind": cycle_kind, "year_be": year_be},
            {"start_date": parsed.start_date, "end_date": parsed.end_date},
        )
        indicator = Indicator.objects.filter(cycle=cycle, number=parsed.number).first()
        values: dict[str, Any] = {"title": parsed.title, "kind": parsed.kind}
        if indicator is None or not indicator.score_table:
            values["score_table"] = default_score_table(len(parsed.criteria))
        indicator = upsert(Indicator, {"cycle": cycle, "number": parsed.number}, values)
        assessment = Assessment.objects.filter(unit=unit, indicator=indicator).first()
        if assessment is None:
            assessment = upsert(Assessment, {"unit": unit, "indicator": indicator}, {})
        else:
            counts["unchanged"] += 1
        for parsed_criterion in parsed.criteria:
            criterion = upsert(
                Criterion,
                {"indicator": indicator, "order": parsed_criterion.order},
                {"text": parsed_criterion.text},
            )
            result = CriterionResult.objects.filter(
                assessment=assessment, criterion=criterion
            ).first()
            values = {"narrative": parsed_criterion.narrative}
            if result is None:
                # A criterion reported with both a narrative and evidence counts
                # as met on import; staff and reviewers can change it afterwards.
                values["met"] = bool(parsed_criterion.narrative and parsed_criterion.evidence)
            result = upsert(
                CriterionResult, {"assessment": assessment, "criterion": criterion}, values
            )
            for item in parsed_criterion.evidence:
                existing = EvidenceItem.objects.filter(result=result, position=item.number).first()
                values = {"caption": item.caption}
                if existing is None or existing.document_id is None:
                    values["url"] = item.url
                upsert(EvidenceItem, {"result": result, "position": item.number}, values)
    return ImportReport(assessment=assessment, counts=counts)


# --- Workflow: draft → submitted → (returned → submitted)* → approved ----------------------


def _lock(assessment: Assessment) -> Assessment:
    """Re-reads the row under a lock, so two reviewers cannot both move it."""
    fresh = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.status = fresh.status
    return assessment


def _refuse_transition(assessment: Assessment, action: str) -> ValidationError:
    return ValidationError(
        _("ไม่สามารถ%(action)sได้ เพราะผลการประเมินนี้อยู่ในสถานะ “%(status)s”")
        % {"action": action, "status": assessment.get_status_display()},
        code="invalid_transition",
    )


def _move(
    *, assessment: Assessment, to: str, by: AbstractBaseUser, reason: str = "", **fields: Any
) -> AssessmentTransition:
    transition = AssessmentTransition.objects.create(
        assessment=assessment, from_status=assessment.status, to_status=to, by=by, reason=reason
    )
    assessment.status = to
    for name, value in fields.items():
        setattr(assessment, name, value)
    # The history row records who made the change even outside a request.
    assessment._history_user = by  # type: ignore[attr-defined]
    assessment.save(update_fields=["status", "updated_at", *fields])
    return transition


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("กรุณาระบุเหตุผล")}, code="reason_required")
    return reason


def assessment_submit(*, assessment: Assessment, by: AbstractBaseUser) -> AssessmentTransition:
    """The unit head sends the SAR to the QA office; it is locked from then on."""
    from .notifications import notify_submitted

    if unit_role(by, assessment.unit) != Membership.Role.HEAD:
        raise PermissionDenied(_("เฉพาะหัวหน้าหน่วยงานเท่านั้นที่ส่งผลการประเมินได้"))
    with transaction.atomic():
        _lock(assessment)
        if assessment.status not in (Assessment.Status.DRAFT, Assessment.Status.RETURNED):
            raise _refuse_transition(assessment, _("ส่งผลการประเมิน"))
        transition = _move(assessment=assessment, to=Assessment.Status.SUBMITTED, by=by)
        transaction.on_commit(lambda: notify_submitted(transition=transition))
    return transition


def assessment_return(
    *, assessment: Assessment, by: AbstractBaseUser, reason: str
) -> AssessmentTransition:
    """A QA officer sends the SAR back to the unit for changes, saying why."""
    from .notifications import notify_returned

    if not is_qa_officer(by):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ส่งกลับแก้ไขได้"))
    reason = _required_reason(reason)
    with transaction.atomic():
        _lock(assessment)
        if assessment.status != Assessment.Status.SUBMITTED:
            raise _refuse_transition(assessment, _("ส่งกลับแก้ไข"))
        transition = _move(
            assessment=assessment, to=Assessment.Status.RETURNED, by=by, reason=reason
        )
        transaction.on_commit(lambda: notify_returned(transition=transition))
    return transition


def assessment_approve(
    *, assessment: Assessment, by: AbstractBaseUser, committee_score: Decimal
) -> AssessmentTransition:
    """A QA officer approves the SAR with the committee's score (0–5)."""
    from .notifications import notify_approved

    if not is_qa_officer(by):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่อนุมัติได้"))
    if committee_score is None:
        raise ValidationError({"committee_score": _("กรุณาระบุคะแนนของกรรมการ")})
    committee_score = scoring.two_places(Decimal(committee_score))
    if not (0 <= committee_score <= scoring.MAX_SCORE):
        raise ValidationError({"committee_score": _("คะแนนของกรรมการต้องอยู่ระหว่าง 0 ถึง 5")})
    with transaction.atomic():
        _lock(assessment)
        if assessment.status != Assessment.Status.SUBMITTED:
            raise _refuse_transition(assessment, _("อนุมัติ"))
        transition = _move(
            assessment=assessment,
            to=Assessment.Status.APPROVED,
            by=by,
            committee_score=committee_score,
        )
        transaction.on_commit(lambda: notify_approved(transition=transition))
    return transition


def assessment_reopen(
    *, assessment: Assessment, by: AbstractBaseUser, reason: str
) -> AssessmentTransition:
    """The QA administrator reopens an approved SAR (approved → returned)."""
    from .notifications import notify_returned

    if not is_qa_admin(by):
        raise PermissionDenied(_("เฉพาะผู้ดูแลระบบประกันคุณภาพเท่านั้นที่เปิดแก้ไขใหม่ได้"))
    reason = _required_reason(reason)
    with transaction.atomic():
        _lock(assessment)
        if assessment.status != Assessment.Status.APPROVED:
            raise _refuse_transition(assessment, _("เปิดแก้ไขใหม่"))
        transition = _move(
            assessment=assessment, to=Assessment.Status.RETURNED, by=by, reason=reason
        )
        transaction.on_commit(lambda: notify_returned(transition=transition))
    return transition


# --- Review: the committee's view of each criterion, comments and answers ------------------


def _require_reviewer(by: AbstractBaseUser, assessment: Assessment) -> None:
    if not is_qa_officer(by):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ตรวจประเมินได้"))
    if assessment.status == Assessment.Status.APPROVED:
        raise ValidationError(_("ผลการประเมินนี้อนุมัติแล้ว ต้องให้ผู้ดูแลระบบเปิดแก้ไขใหม่ก่อน"), code="approved")


def criterion_result_committee_mark(
    *, result: CriterionResult, by: AbstractBaseUser, committee_met: bool | None
) -> CriterionResult:
    """Records whether the committee finds the criterion met (None: not judged yet)."""
    _require_reviewer(by, result.assessment)
    result.committee_met = committee_met
    result._history_user = by  # type: ignore[attr-defined]
    result.save(update_fields=["committee_met", "updated_at"])
    return result


def review_comment_add(
    *,
    assessment: Assessment,
    by: AbstractBaseUser,
    body: str,
    criterion_result: CriterionResult | None = None,
    evidence_item: Any = None,
) -> ReviewComment:
    """A reviewer's comment on the assessment, one criterion or one evidence item."""
    _require_reviewer(by, assessment)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("กรุณาเขียนความเห็น")}, code="body_required")
    if evidence_item is not None:
        criterion_result = evidence_item.result
    if criterion_result is not None and criterion_result.assessment_id != assessment.pk:
        raise ValidationError(_("เกณฑ์หรือหลักฐานนี้ไม่ได้อยู่ในผลการประเมินนี้"))
    comment = ReviewComment(
        assessment=assessment,
        criterion_result=criterion_result,
        evidence_item=evidence_item,
        author=by,
        body=body,
    )
    comment.full_clean()
    comment.save()
    return comment


def review_comment_reply(
    *, comment: ReviewComment, by: AbstractBaseUser, reply: str
) -> ReviewComment:
    """The unit answers a comment while its SAR is open for changes."""
    assessment = comment.assessment
    if unit_role(by, assessment.unit) is None:
        raise PermissionDenied(_("เฉพาะบุคลากรของหน่วยงานนี้เท่านั้นที่ตอบความเห็นได้"))
    if not assessment.is_editable:
        raise ValidationError(
            _("ตอบความเห็นได้เฉพาะเมื่อผลการประเมินเป็นร่างหรือถูกส่งกลับแก้ไข"), code="locked"
        )
    if not comment.is_open:
        raise ValidationError(_("ความเห็นนี้ปิดแล้ว"), code="resolved")
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("กรุณาเขียนคำตอบ")}, code="reply_required")
    comment.reply, comment.replied_by, comment.replied_at = reply, by, timezone.now()
    comment.save(update_fields=["reply", "replied_by", "replied_at"])
    return comment


def review_comment_resolve(*, comment: ReviewComment, by: AbstractBaseUser) -> ReviewComment:
    """The reviewer closes a comment once the unit has dealt with it."""
    if not is_qa_officer(by):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ประกันคุณภาพเท่านั้นที่ปิดความเห็นได้"))
    if not comment.is_open:
        raise ValidationError(_("ความเห็นนี้ปิดแล้ว"), code="resolved")
    comment.resolved_by, comment.resolved_at = by, timezone.now()
    comment.save(update_fields=["resolved_by", "resolved_at"])
    return comment


# --- A new cycle from the last one ---------------------------------------------------------


@dataclass
class CycleStartReport:
    cycle: Cycle
    counts: dict[str, int]

    @property
    def changed(self) -> bool:
        return any(self.counts.values())


def _shift_year(day: Any, years: int) -> Any:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def cycle_start_from(*, source: Cycle, year_be: int) -> CycleStartReport:
    """Starts cycle ``year_be`` (same kind) from ``source``, or completes it.

    Copies indicators, criteria and scoring rules (``copied_from``), and for each
    unit's assessment creates a draft carrying last year's narratives (marked
    ``carried_over`` / ``carried_from``) with its evidence items as captions to be
    confirmed (no file, no link). Only what is missing is created, so running it
    twice changes nothing and never overwrites what the units have written since.
    """
    from evidence.models import EvidenceItem

    if year_be <= source.year_be:
        raise ValidationError(
            _("รอบปีใหม่ (%(new)s) ต้องอยู่หลังรอบปีต้นทาง (%(old)s)")
            % {"new": year_be, "old": source.year_be}
        )
    counts = dict.fromkeys(
        ("cycle", "indicators", "criteria", "assessments", "results", "items"), 0
    )
    with transaction.atomic():
        cycle = Cycle.objects.filter(kind=source.kind, year_be=year_be).first()
        if cycle is None:
            years = year_be - source.year_be
            if source.kind == Cycle.Kind.FISCAL:
                start, end = Cycle.fiscal_dates(year_be)
            else:
                start, end = (
                    _shift_year(source.start_date, years),
                    _shift_year(source.end_date, years),
                )
            cycle = Cycle.objects.create(
                kind=source.kind, year_be=year_be, start_date=start, end_date=end
            )
            counts["cycle"] += 1

        for old_indicator in source.indicators.prefetch_related("criteria"):
            indicator = Indicator.objects.filter(cycle=cycle, number=old_indicator.number).first()
            if indicator is None:
                indicator = Indicator.objects.create(
                    cycle=cycle,
                    number=old_indicator.number,
                    title=old_indicator.title,
                    kind=old_indicator.kind,
                    score_table=old_indicator.score_table,
                    full_score_value=old_indicator.full_score_value,
                    result_unit=old_indicator.result_unit,
                    copied_from=old_indicator,
                )
                counts["indicators"] += 1
            criteria = {criterion.order: criterion for criterion in indicator.criteria.all()}
            for old_criterion in old_indicator.criteria.all():
                if old_criterion.order not in criteria:
                    criteria[old_criterion.order] = Criterion.objects.create(
                        indicator=indicator, order=old_criterion.order, text=old_criterion.text
                    )
                    counts["criteria"] += 1

            old_assessments = old_indicator.assessments.prefetch_related(
                "results__criterion", "results__evidence_items"
            )
            for old in old_assessments:
                assessment, created = Assessment.objects.get_or_create(
                    unit_id=old.unit_id,
                    indicator=indicator,
                    defaults={"target": old.target, "carried_over": True},
                )
                counts["assessments"] += int(created)
                if not created:
                    # The unit may have started writing: carry nothing over a live draft.
                    continue
                for old_result in old.results.all():
                    result = CriterionResult.objects.create(
                        assessment=assessment,
                        criterion=criteria[old_result.criterion.order],
                        narrative=old_result.narrative,
                        carried_from=old_result,
                    )
                    counts["results"] += 1
                    bulk_create_with_history(
                        [
                            EvidenceItem(
                                result=result,
                                position=item.position,
                                # A bare link had no caption: keep its address as the caption.
                                caption=item.caption or item.url,
                                to_confirm=True,
                            )
                            for item in old_result.evidence_items.all()
                        ],
                        EvidenceItem,
                    )
                    counts["items"] += len(old_result.evidence_items.all())
    return CycleStartReport(cycle=cycle, counts=counts)


class StaleEditError(Exception):
    """Someone saved the same text since this user opened it: their save is refused.

    ``current`` is the row as it is now, so the page can show both versions.
    """

    def __init__(self, current: models.Model) -> None:
        super().__init__("stale edit")
        self.current = current


class AssessmentLockedError(Exception):
    """The assessment was submitted or approved while the user was editing."""

    def __init__(self, assessment: Assessment) -> None:
        super().__init__(
            _("ผลการประเมินนี้ถูกส่งหรืออนุมัติแล้ว จึงแก้ไขไม่ได้ (%(status)s)")
            % {"status": assessment.get_status_display()}
        )


def _lock_editable(assessment_id: int) -> Assessment:
    """Locks the assessment row for this transaction; refuses if it is no longer editable."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
    if not assessment.is_editable:
        raise AssessmentLockedError(assessment)
    return assessment


def criterion_result_save_narrative(
    *, result: CriterionResult, narrative: str, version: int
) -> CriterionResult:
    """Saves the narrative if nobody saved it since ``version``; raises StaleEditError if so."""
    with transaction.atomic():
        _lock_editable(result.assessment_id)
        current = CriterionResult.objects.select_for_update().get(pk=result.pk)
        if current.version != version:
            raise StaleEditError(current)
        if current.narrative != narrative:
            current.narrative = narrative
            current.version += 1
            current.save(update_fields=["narrative", "version", "updated_at"])
    return current


def criterion_result_set_met(*, result: CriterionResult, met: bool) -> CriterionResult:
    """Marks the criterion met or not; the narrative's version is left alone."""
    with transaction.atomic():
        _lock_editable(result.assessment_id)
        current = CriterionResult.objects.select_for_update().get(pk=result.pk)
        if current.met != met:
            current.met = met
            current.save(update_fields=["met", "updated_at"])
    return current


def assessment_edit_token(assessment: Assessment) -> str:
    """What a details form remembers to notice a save by someone else."""
    return assessment.updated_at.isoformat()


ASSESSMENT_DETAIL_FIELDS = ("target", "result_value", "strengths", "improvements")


def assessment_update_details(
    *, assessment: Assessment, values: dict[str, Any], edited_from: str
) -> Assessment:
    """Saves target, result value, strengths and improvements.

    ``edited_from`` is the ``edit_token`` the user's form was loaded with; if the
    assessment was saved since then, StaleEditError is raised instead of overwriting.
    """
    with transaction.atomic():
        current = _lock_editable(assessment.pk)
        if assessment_edit_token(current) != edited_from:
            raise StaleEditError(current)
        changed = [name for name in ASSESSMENT_DETAIL_FIELDS
                   if name in values and getattr(current, name) != values[name]]  # fmt: skip
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
    return current
