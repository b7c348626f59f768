"""Over-long free text is refused in Thai, through a form, a service and import_sar,
and nothing is written (indicators/limits.py)."""

import pytest
from django.core.exceptions import ValidationError

from evidence.forms.agenda import AgendaItemForm, agenda_formset_class
from evidence.forms.items import LinkEvidenceForm
from evidence.models import AgendaItem, EvidenceItem, ReviewComment
from evidence.services.items import evidence_item_add, evidence_item_set_caption
from indicators import limits
from indicators.forms.assessments import AssessmentDetailsForm, NarrativeForm
from indicators.forms.review import CommentForm, ItemReviewForm, ReasonForm, ReplyForm
from indicators.models import Assessment, AssessmentTransition, CriterionResult, Unit
from indicators.sar_text import SarFormatError
from indicators.services.editing import (
    assessment_edit_token,
    assessment_update_details,
    criterion_result_save_narrative,
)
from indicators.services.review import (
    evidence_item_review,
    review_comment_add,
    review_comment_reply,
)
from indicators.services.sar_import import sar_import
from indicators.services.workflow import assessment_return
from tests.factories import MeetingFactory, ReviewCommentFactory, set_status

pytestmark = pytest.mark.django_db

TOO_LONG = "ยาวเกินกำหนด"


def over(limit: int) -> str:
    return "ความรู้" * (limit // 7) + "ก" * (limit % 7 + 1)


def test_over_is_one_past_the_limit() -> None:
    assert len(over(limits.NARRATIVE)) == limits.NARRATIVE + 1


# --- Forms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form_class", "data", "name"),
    [
        (NarrativeForm, {"narrative": over(limits.NARRATIVE), "version": 1}, "narrative"),
        (
            LinkEvidenceForm,
            {"url": "https://a.example", "caption": over(limits.CAPTION)},
            "caption",
        ),
        (CommentForm, {"body": over(limits.COMMENT)}, "body"),
        (ReplyForm, {"reply": over(limits.COMMENT)}, "reply"),
        (ItemReviewForm, {"status": "needs_fix", "comment": over(limits.COMMENT)}, "comment"),
        (ReasonForm, {"reason": over(limits.REASON)}, "reason"),
        (AgendaItemForm, {"title": over(limits.AGENDA_TITLE)}, "title"),
        (AgendaItemForm, {"title": "ก", "resolution": over(limits.RECORD_TEXT)}, "resolution"),
    ],
)
def test_form_refuses_over_long_text_in_thai(form_class, data, name) -> None:
    if form_class is ItemReviewForm:
        data["status"] = EvidenceItem.Review.NEEDS_FIX
    form = form_class(data=data)
    assert not form.is_valid()
    assert TOO_LONG in form.errors[name][0]


def test_form_accepts_text_at_the_limit() -> None:
    form = NarrativeForm(data={"narrative": over(limits.NARRATIVE)[:-1], "version": 1})
    assert form.is_valid(), form.errors


def test_details_form_refuses_over_long_strengths(assessment) -> None:
    form = AssessmentDetailsForm(
        data={
            "target": "5",
            "strengths": over(limits.SUMMARY),
            "improvements": "",
            "edited_from": assessment_edit_token(assessment),
        },  # fmt: skip
        instance=assessment,
    )
    assert not form.is_valid()
    assert TOO_LONG in form.errors["strengths"][0]


def test_agenda_formset_refuses_more_items_than_the_maximum() -> None:
    meeting = MeetingFactory()
    count = limits.AGENDA_ITEMS + 1
    data = {"agenda-TOTAL_FORMS": str(count), "agenda-INITIAL_FORMS": "0"}
    for index in range(count):
        data[f"agenda-{index}-number"] = str(index + 1)
        data[f"agenda-{index}-title"] = f"วาระ {index + 1}"
    formset = agenda_formset_class(editable=True)(data=data, instance=meeting, prefix="agenda")
    assert not formset.is_valid()
    assert "ไม่เกิน" in formset.non_form_errors()[0]
    assert len(formset.forms) <= limits.AGENDA_ITEMS
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


# --- Services -----------------------------------------------------------------------


def first_result(assessment: Assessment) -> CriterionResult:
    result = assessment.results.order_by("criterion__order").first()
    assert result is not None
    return result


def assert_refused(error: pytest.ExceptionInfo[ValidationError], name: str) -> None:
    assert TOO_LONG in error.value.message_dict[name][0]


def test_narrative_service_refuses_and_writes_nothing(assessment) -> None:
    result = first_result(assessment)
    before = (result.narrative, result.version, result.history.count())
    with pytest.raises(ValidationError) as error:
        criterion_result_save_narrative(
            result=result, narrative=over(limits.NARRATIVE), version=result.version
        )
    assert_refused(error, "narrative")
    result.refresh_from_db()
    assert (result.narrative, result.version, result.history.count()) == before


def test_details_service_refuses_and_writes_nothing(assessment) -> None:
    with pytest.raises(ValidationError) as error:
        assessment_update_details(
            assessment=assessment,
            values={"strengths": "ดี", "improvements": over(limits.SUMMARY)},
            edited_from=assessment_edit_token(assessment),
        )
    assert_refused(error, "improvements")
    assessment.refresh_from_db()
    assert assessment.strengths == "" and assessment.improvements == ""


def test_caption_services_refuse_and_write_nothing(assessment) -> None:
    result = first_result(assessment)
    count = result.evidence_items.count()
    with pytest.raises(ValidationError) as error:
        evidence_item_add(result=result, caption=over(limits.CAPTION), url="https://a.example")
    assert_refused(error, "caption")
    assert result.evidence_items.count() == count
    item = result.evidence_items.first()
    caption = item.caption
    with pytest.raises(ValidationError) as error:
        evidence_item_set_caption(item=item, caption=over(limits.CAPTION), version=None)
    assert_refused(error, "caption")
    assert EvidenceItem.objects.get(pk=item.pk).caption == caption


def test_reason_service_refuses_and_writes_nothing(assessment, qa_officer) -> None:
    set_status(assessment, Assessment.Status.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        assessment_return(assessment=assessment, by=qa_officer, reason=over(limits.REASON))
    assert_refused(error, "reason")
    assert not AssessmentTransition.objects.filter(assessment=assessment).exists()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_comment_services_refuse_and_write_nothing(assessment, qa_officer, staff) -> None:
    set_status(assessment, Assessment.Status.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        review_comment_add(assessment=assessment, by=qa_officer, body=over(limits.COMMENT))
    assert_refused(error, "body")
    item = first_result(assessment).evidence_items.first()
    with pytest.raises(ValidationError) as error:
        evidence_item_review(
            item=item, by=qa_officer, status=EvidenceItem.Review.NEEDS_FIX,
            comment=over(limits.COMMENT),
        )  # fmt: skip
    assert_refused(error, "comment")
    assert not ReviewComment.objects.exists()
    assert EvidenceItem.objects.get(pk=item.pk).review_status == item.review_status

    set_status(assessment, Assessment.Status.RETURNED)
    comment = ReviewCommentFactory(assessment=assessment)
    with pytest.raises(ValidationError) as error:
        review_comment_reply(comment=comment, by=staff, reply=over(limits.COMMENT), version=None)
    assert_refused(error, "reply")
    assert ReviewComment.objects.get(pk=comment.pk).reply == ""


# --- import_sar ---------------------------------------------------------------------


def import_text(text: str) -> None:
    sar_import(text=text, unit_prefix="สพ", unit_name="สำนักพิมพ์", year_be=2563,
               cycle_kind="fiscal")  # fmt: skip


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)


@pytest.mark.parametrize(
    ("needle", "limit"),
    [
        ("\tจากมติที่ประชุมคณะกรรมการการจัดการความรู้", limits.NARRATIVE),
        ("สพ 3-1 (6) คำสั่งแต่งตั้งคณะทำงานการจัดการความรู้", limits.CAPTION),
        ("\t1.  มีการกำหนดประเด็นความรู้", limits.CRITERION),
        ("ตัวบ่งชี้ที่ 3 การพัฒนาหน่วยงาน", limits.INDICATOR_TITLE),
    ],
)
def test_import_refuses_over_long_text_with_its_line(seed_text, needle, limit) -> None:
    assert needle in seed_text
    text = seed_text.replace(needle, needle + over(limit), 1)
    with pytest.raises(SarFormatError) as error:
        import_text(text)
    assert error.value.line == line_of(text, needle)
    assert "เกินกำหนด" in error.value.message
    assert not Unit.objects.exists() and not CriterionResult.objects.exists()


def test_import_accepts_the_seed(seed_text) -> None:
    import_text(seed_text)
    assert CriterionResult.objects.count() == 5
