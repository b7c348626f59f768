"""The change log of one assessment: every edit to its narratives, evidence items,
scores and status, with who and when, read from django-simple-history.

All records are loaded in a handful of queries and compared in memory (each
record with the one before it of the same object) rather than one query per
``prev_record``.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from diff_match_patch import diff_match_patch
from django.db import models
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidence.models import Activity, Document, EvidenceItem, Meeting

from . import limits
from .codes import CODES_FOLLOWED_REASON, make_code
from .models import Assessment, AssessmentTransition, CriterionResult

# Bookkeeping fields that change on every save and say nothing to a reader.
IGNORED_FIELDS = {
    "id", "updated_at", "version", "link_status", "link_detail", "link_checked_at",
    "criterion", "unit", "indicator", "carried_from",
}  # fmt: skip
TEXT_FIELDS = {"narrative", "caption", "strengths", "improvements"}

# The diff is bounded: diff-match-patch gives up refining after DIFF_TIMEOUT seconds,
# and texts longer than DIFF_MAX_CHARS (older than the length limits) or changed in more
# than DIFF_MAX_HUNKS places are shown whole, old struck out, new marked. With these, the
# history page of 20 versions of a longest narrative renders in well under a second
# (bench/history.py, docs/BENCHMARKS-history.md).
DIFF_TIMEOUT = 0.05
DIFF_MAX_CHARS = limits.NARRATIVE
DIFF_MAX_HUNKS = 400

# Thai vowels and tone marks written after their consonant, and the vowels written
# before it: a change never starts or ends between these and their consonant.
_FOLLOWING = frozenset("\u0e31\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
                       "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")  # fmt: skip
_LEADING = frozenset("เแโใไ")


def _glued(left: str, right: str) -> bool:
    return bool(left and right) and (right[0] in _FOLLOWING or left[-1] in _LEADING)


def _hunks(old: str, new: str) -> list[list[str]] | None:
    """["=", text] and ["~", removed, added] parts, each change widened to whole Thai
    characters (a consonant with its vowels and tone marks); None past the bounds."""
    matcher = diff_match_patch()
    matcher.Diff_Timeout = DIFF_TIMEOUT
    diffs = matcher.diff_main(old, new)
    matcher.diff_cleanupSemantic(diffs)
    parts: list[list[str]] = []
    for op, text in diffs:
        if op == diff_match_patch.DIFF_EQUAL:
            parts.append(["=", text])
            continue
        if not parts or parts[-1][0] != "~":
            parts.append(["~", "", ""])
        parts[-1][1 if op == diff_match_patch.DIFF_DELETE else 2] += text
    if sum(part[0] == "~" for part in parts) > DIFF_MAX_HUNKS:
        return None
    for index, part in enumerate(parts):
        if part[0] != "~":
            continue
        before = parts[index - 1] if index > 0 else ["=", ""]
        after = parts[index + 1] if index + 1 < len(parts) else ["=", ""]
        while any(_glued(before[1], (side or after[1])[:1]) for side in part[1:]):
            part[1], part[2] = before[1][-1] + part[1], before[1][-1] + part[2]
            before[1] = before[1][:-1]
        while any(_glued((side or before[1])[-1:], after[1]) for side in part[1:]):
            part[1], part[2] = part[1] + after[1][0], part[2] + after[1][0]
            after[1] = after[1][1:]
    merged: list[list[str]] = []
    for part in parts:
        if part[0] == "=" and not part[1]:
            continue
        if merged and part[0] == "~" and merged[-1][0] == "~":
            merged[-1][1] += part[1]
            merged[-1][2] += part[2]
        else:
            merged.append(part)
    return merged


def word_diff(old: str, new: str) -> SafeString:
    """Old and new text as one, removed text struck out and added text marked.

    Thai runs words together, so the texts are compared character by character
    (diff-match-patch, with its semantic clean-up that grows changes to readable
    pieces) and each change is widened so as not to split a Thai consonant from its
    vowels and tone marks: a word changed inside a Thai phrase is marked alone.
    Past the bounds above the two texts are shown whole.
    """
    old, new = old or "", new or ""
    hunks = None
    if max(len(old), len(new)) <= DIFF_MAX_CHARS:
        hunks = _hunks(old, new)
    if hunks is None:
        return format_html_join("", "<{0}>{1}</{0}>", [("del", old), ("ins", new)])
    parts: list[tuple[str, str]] = []
    for part in hunks:
        if part[0] == "=":
            parts.append(("span", part[1]))
            continue
        if part[1]:
            parts.append(("del", part[1]))
        if part[2]:
            parts.append(("ins", part[2]))
    return format_html_join("", "<{0}>{1}</{0}>", parts)


@dataclass
class Change:
    """One field's change; a text field's word diff is made only when a page shows it
    (the history page shows one page of events, so its work is bounded)."""

    label: str
    old: Any
    new: Any
    text_before: str | None = None  # set for the text fields shown as a diff
    text_after: str = ""

    @cached_property
    def diff(self) -> SafeString | None:
        if self.text_before is None:
            return None
        return word_diff(self.text_before, self.text_after)


@dataclass
class Event:
    at: datetime.datetime
    who: Any
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    result_id: int | None = None


def _display(model_field: models.Field[Any, Any], value: Any, names: dict) -> Any:
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.BooleanField):
        return _("ใช่") if value else _("ไม่ใช่")
    if model_field.is_relation:
        return names.get((model_field.name, value), f"#{value}")
    return value


def _changes(model: type[models.Model], old: Any, new: Any, names: dict) -> list[Change]:
    changes = []
    for model_field in model._meta.concrete_fields:
        name = model_field.attname
        base = model_field.name
        if base in IGNORED_FIELDS or base == "assessment" or base == "result":
            continue
        before = getattr(old, name, None) if old is not None else None
        after = getattr(new, name)
        if old is not None and before == after:
            continue
        if old is None and after in (None, "", False):
            continue
        as_diff = base in TEXT_FIELDS and old is not None
        changes.append(
            Change(
                label=str(model_field.verbose_name),
                old=_display(model_field, before, names),
                new=_display(model_field, after, names),
                text_before=(before or "") if as_diff else None,
                text_after=(after or "") if as_diff else "",
            )
        )
    return changes


_ACTIONS = {"+": gettext_lazy("สร้าง"), "~": gettext_lazy("แก้ไข"), "-": gettext_lazy("ลบ")}


def _action(history_type: str) -> str:
    return str(_ACTIONS[history_type])


def _reason(record: Any) -> str:
    """Why the app itself changed the text (a stored key, shown in the reader's language)."""
    if getattr(record, "history_change_reason", None) == CODES_FOLLOWED_REASON:
        return _("รหัสหลักฐานที่อ้างถึงถูกปรับตาม เพราะมีการย้ายหรือลบหลักฐาน")
    return ""


def assessment_history(
    assessment: Assessment,
    *,
    result_id: int | None = None,
    results: Iterable[CriterionResult] | None = None,
) -> list[Event]:
    """Newest first. With result_id, only that criterion's narrative and evidence.

    ``results``, the assessment's results with their criteria, may be given already
    loaded (as the page does); otherwise they are loaded here."""
    prefix = assessment.unit.evidence_prefix
    if results is None:
        results = assessment.results.select_related("criterion")
    results_by_pk = {result.pk: result for result in results}
    events: list[Event] = []

    def walk(
        records: list, model: type[models.Model], subject: Any, names: dict, result_of: Any
    ) -> None:
        previous: dict[int, Any] = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            changes = [] if record.history_type == "-" else _changes(model, before, record, names)
            if record.history_type == "~" and not changes:
                continue
            events.append(
                Event(
                    at=record.history_date,
                    who=record.history_user,
                    subject=subject(record),
                    action=_action(record.history_type),
                    changes=changes,
                    reason=_reason(record),
                    result_id=result_of(record),
                )
            )

    # Status changes come from the transitions, which also say why.
    transitions = list(
        AssessmentTransition.objects.filter(assessment=assessment)
        .select_related("by")
        .order_by("at", "pk")
    )
    if result_id is None:
        for transition in transitions:
            events.append(
                Event(
                    at=transition.at,
                    who=transition.by,
                    subject=_("สถานะ"),
                    action=_("%(from)s → %(to)s")
                    % {
                        "from": transition.get_from_status_display(),
                        "to": transition.get_to_status_display(),
                    },
                    reason=transition.reason,
                )
            )
        records = list(
            assessment.history.order_by("history_date", "history_id").select_related("history_user")
        )
        for record in records:
            record.status = None  # shown through the transitions above
        walk(records, Assessment, lambda record: _("ผลการประเมินตนเอง"), {}, lambda r: None)

    result_ids = [result_id] if result_id is not None else list(results_by_pk)
    result_records = list(
        CriterionResult.history.filter(id__in=result_ids)
        .order_by("history_date", "history_id")
        .select_related("history_user")
    )

    def result_subject(record: Any) -> str:
        result = results_by_pk.get(record.id)
        order = result.criterion.order if result else "?"
        return _("ผลการดำเนินงานเกณฑ์ข้อ %(order)s") % {"order": order}

    walk(result_records, CriterionResult, result_subject, {}, lambda record: record.id)

    item_records = list(
        EvidenceItem.history.filter(result_id__in=result_ids)
        .order_by("history_date", "history_id")
        .select_related("history_user")
    )
    document_ids = {record.document_id for record in item_records if record.document_id}
    names: dict[tuple[str, Any], str] = {
        ("document", document.pk): str(document)
        for document in Document.objects.filter(pk__in=document_ids)
        .only("title", "original_name")
        .order_by()
    }
    for name, model in (("meeting", Meeting), ("activity", Activity)):
        ids = {getattr(record, f"{name}_id") for record in item_records} - {None}
        if ids:
            found = model.objects.filter(pk__in=ids).order_by()
            names.update(((name, obj.pk), str(obj)) for obj in found)

    def item_subject(record: Any) -> str:
        result = results_by_pk.get(record.result_id)
        order = result.criterion.order if result else "?"
        return make_code(prefix, assessment.indicator.number, order, record.position)

    walk(item_records, EvidenceItem, item_subject, dict(names), lambda r: r.result_id)
    events.sort(key=lambda event: event.at, reverse=True)
    return events
