"""Every indicators model has a working, Thai admin (list, search, filters and add pages)
that keeps the workflow's rules and answers bad data with a form error in Thai, never a 500;
an indicator shows its criteria and a result its evidence."""

import datetime
import hashlib
import re
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from evidence.models import Document, EvidenceItem
from indicators.formfields import ThaiDateField, ThaiDateInput
from indicators.models import (
    Assessment,
    AssessmentTransition,
    Criterion,
    CriterionResult,
    Cycle,
    DataVersion,
    Indicator,
    Notification,
    ReminderSent,
    ReportJob,
    SarPart,
    Unit,
)
from tests.factories import (
    KM_LINK,
    AssessmentFactory,
    CriterionFactory,
    CriterionResultFactory,
    CycleFactory,
    DocumentFactory,
    EvidenceItemFactory,
    IndicatorFactory,
    UnitFactory,
    UnitRecords,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db


def indicators_models() -> list:
    return [model for model in admin.site._registry if model._meta.app_label == "indicators"]


def test_every_indicators_model_is_registered() -> None:
    for model in apps.get_app_config("indicators").get_models():
        # DataVersion is a stamp for the page cache (indicators/data_version.py), not data.
        if not model.__name__.startswith("Historical") and model is not DataVersion:
            assert model in admin.site._registry, model


@pytest.mark.parametrize("page", ["changelist", "add"])
def test_admin_pages_open_in_thai(page: str, records: UnitRecords, admin_client: Client) -> None:
    for model in indicators_models():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}")
        params = {"q": "สพ"} if page == "changelist" else {}
        response = admin_client.get(url, params)
        # The workflow log is read-only: nobody adds a transition by hand; report jobs
        # are started from the reports page, SAR parts laid out by the worker.
        expected = (
            403
            if page == "add"
            and model in (AssessmentTransition, ReportJob, SarPart, Notification, ReminderSent)
            else 200
        )
        assert response.status_code == expected, url
        if expected == 200:
            assert str(opts.verbose_name_plural if page == "changelist" else opts.verbose_name) in (
                response.content.decode()
            ), url


def test_indicator_admin_shows_criteria_inline(
    assessment: Assessment, admin_client: Client
) -> None:
    url = reverse("admin:indicators_indicator_change", args=[assessment.indicator.pk])
    body = admin_client.get(url).content.decode()
    assert "มีการกำหนดประเด็นความรู้ที่จำเป็น" in body


def test_result_admin_shows_evidence_inline(assessment: Assessment, admin_client: Client) -> None:
    result = assessment.results.get(criterion__order=4)
    url = reverse("admin:indicators_criterionresult_change", args=[result.pk])
    body = admin_client.get(url).content.decode()
    assert KM_LINK in body
    assert "หลักฐานเกณฑ์ข้อ 4 ชิ้นที่ 1" in body


# --- The admin keeps the rules ----------------------------------------------------------
#
# Each test below GETs the admin page, takes what its form holds, changes a few values
# and POSTs it back, as a browser would.

THAI = re.compile("[\u0e00-\u0e7f]")
# Django's own messages without a Thai translation (they would show in English).
UNTRANSLATED = ("already exists", "violated", "valid JSON", "This field")
LOCKED = [Assessment.Status.SUBMITTED, Assessment.Status.APPROVED]


def form_data(response: HttpResponse) -> dict[str, Any]:
    """The values an admin page's form and inline forms would send unchanged."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            if isinstance(value, datetime.date):
                value = field.field.widget.format_value(value)  # as shown: 01/10/2562
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(part) for part in value]
            else:
                data[field.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        add(inline.formset.management_form)
        for form in inline.formset.initial_forms:
            add(form)
    return data


def post_form(client: Client, url: str, changes: dict[str, Any]) -> HttpResponse:
    """POSTs the page's own form with `changes` (None removes a value)."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = {**form_data(page), **changes}
    return client.post(url, {key: value for key, value in data.items() if value is not None})


def error_text(response: HttpResponse) -> str:
    """Every error the admin page shows: its form's, and each inline form's."""
    texts = [str(error) for errors in response.context["errors"] for error in errors]
    for inline in response.context.get("inline_admin_formsets", []):
        texts += [str(error) for error in inline.formset.non_form_errors()]
        for form_errors in inline.formset.errors:
            texts += [str(e) for errors in form_errors.values() for e in errors]
    return " ".join(texts)


def assert_thai_form_error(response: HttpResponse) -> str:
    """A form answered with an error in Thai: never a 500, never a redirect (a save)."""
    assert response.status_code == 200
    text = error_text(response)
    assert THAI.search(text), text
    for english in UNTRANSLATED:
        assert english not in text, text
    return text


def change_url(obj: Any) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


@pytest.fixture
def result() -> CriterionResult:
    """A draft assessment's criterion result with three evidence items."""
    result = CriterionResultFactory()
    for position in (1, 2, 3):
        EvidenceItemFactory(result=result, position=position, caption=f"หลักฐาน {position}")
    return result


def test_status_and_committee_score_are_read_only(admin_client: Client) -> None:
    assessment = AssessmentFactory(target=Decimal(3))
    page = admin_client.get(change_url(assessment)).content.decode()
    assert 'name="status"' not in page
    assert 'name="committee_score"' not in page

    response = post_form(
        admin_client,
        change_url(assessment),
        {"status": "approved", "committee_score": "4.50", "target": "4"},
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.target == Decimal(4)  # the rest of the form was saved
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.committee_score is None
    assert not assessment.transitions.exists()


def test_a_new_assessment_starts_as_a_draft(admin_client: Client) -> None:
    unit, indicator = UnitFactory(), IndicatorFactory()
    response = post_form(
        admin_client,
        add_url(Assessment),
        {
            "unit": unit.pk,
            "indicator": indicator.pk,
            "target": "5",
            "status": "approved",
            "committee_score": "5",
        },
    )

    assert response.status_code == 302
    assessment = Assessment.objects.get(unit=unit, indicator=indicator)
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.committee_score is None


def test_unit_and_indicator_stay_after_adding(admin_client: Client) -> None:
    assessment = AssessmentFactory()
    response = post_form(
        admin_client,
        change_url(assessment),
        {"unit": UnitFactory().pk, "indicator": IndicatorFactory().pk},
    )

    assert response.status_code == 302
    moved = Assessment.objects.get(pk=assessment.pk)
    assert (moved.unit_id, moved.indicator_id) == (assessment.unit_id, assessment.indicator_id)


def test_committee_view_of_a_criterion_is_read_only(
    admin_client: Client, result: CriterionResult
) -> None:
    response = post_form(
        admin_client,
        change_url(result.assessment),
        {"results-0-committee_met": "on", "results-0-narrative": "แก้ในหน้าผู้ดูแล"},
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.narrative == "แก้ในหน้าผู้ดูแล"
    assert result.committee_met is None

    response = post_form(admin_client, change_url(result), {"committee_met": "true"})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.committee_met is None


def test_a_narrative_changed_in_the_admin_is_a_new_version(
    admin_client: Client, result: CriterionResult
) -> None:
    post_form(admin_client, change_url(result), {"narrative": "ฉบับผู้ดูแล", "version": "99"})
    result.refresh_from_db()
    assert (result.narrative, result.version) == ("ฉบับผู้ดูแล", 2)

    post_form(admin_client, change_url(result.assessment), {"results-0-narrative": "ฉบับที่สาม"})
    result.refresh_from_db()
    assert (result.narrative, result.version) == ("ฉบับที่สาม", 3)


def test_evidence_position_and_review_status_are_read_only(
    admin_client: Client, result: CriterionResult
) -> None:
    item = result.evidence_items.get(position=1)
    page = admin_client.get(change_url(item)).content.decode()
    assert 'name="position"' not in page
    assert 'name="review_status"' not in page

    response = post_form(
        admin_client,
        change_url(item),
        {"position": "3", "review_status": "accepted", "caption": "ชื่อใหม่"},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.caption, item.position, item.review_status) == ("ชื่อใหม่", 1, "pending")


def test_evidence_inline_keeps_positions(admin_client: Client, result: CriterionResult) -> None:
    """Positions are not typed: new items go last, a deleted one leaves no gap."""
    first = result.evidence_items.get(position=1)
    page = admin_client.get(change_url(result)).content.decode()
    assert 'name="evidence_items-0-position"' not in page

    response = post_form(
        admin_client,
        change_url(result),
        {
            "evidence_items-0-DELETE": "on",
            "evidence_items-1-position": "7",
            "evidence_items-1-review_status": "accepted",
            "evidence_items-TOTAL_FORMS": "5",
            "evidence_items-3-caption": "ใหม่ ก",
            "evidence_items-4-caption": "ใหม่ ข",
        },
    )

    assert response.status_code == 302
    assert not EvidenceItem.objects.filter(pk=first.pk).exists()
    items = list(result.evidence_items.order_by("position"))
    assert [(item.position, item.caption) for item in items] == [
        (1, "หลักฐาน 2"),
        (2, "หลักฐาน 3"),
        (3, "ใหม่ ก"),
        (4, "ใหม่ ข"),
    ]
    assert {item.review_status for item in items} == {"pending"}


def test_an_item_added_in_the_admin_takes_the_next_code(
    admin_client: Client, result: CriterionResult
) -> None:
    response = post_form(
        admin_client,
        add_url(EvidenceItem),
        {"result": result.pk, "caption": "เพิ่มจากหน้าผู้ดูแล", "position": "1"},
    )

    assert response.status_code == 302
    assert result.evidence_items.get(caption="เพิ่มจากหน้าผู้ดูแล").position == 4


def test_deleting_an_item_in_the_admin_closes_the_gap(
    admin_client: Client, result: CriterionResult
) -> None:
    item = result.evidence_items.get(position=2)
    delete_url = reverse("admin:evidence_evidenceitem_delete", args=[item.pk])

    response = admin_client.post(delete_url, {"post": "yes"})

    assert response.status_code == 302
    positions = list(result.evidence_items.values_list("position", "caption"))
    assert positions == [(1, "หลักฐาน 1"), (2, "หลักฐาน 3")]


@pytest.mark.parametrize("status", LOCKED)
def test_results_of_a_sent_assessment_cannot_be_changed(
    admin_client: Client, result: CriterionResult, status: str
) -> None:
    Assessment.objects.filter(pk=result.assessment_id).update(status=status)
    item = result.evidence_items.get(position=1)

    for page_url in (change_url(result.assessment), change_url(result), change_url(item)):
        page = admin_client.get(page_url)
        assert page.status_code == 200
        body = page.content.decode()
        # Shown, not offered for editing.
        assert "ผลการดำเนินงาน" in body
        assert "<textarea" not in body
        assert 'name="_save"' not in body

    refused = [
        (change_url(result.assessment), {"results-0-narrative": "แก้หลังส่ง"}),
        (change_url(result), {"narrative": "แก้หลังส่ง"}),
        (change_url(item), {"caption": "แก้หลังส่ง"}),
    ]
    for page_url, changes in refused:
        assert admin_client.post(page_url, changes).status_code == 403, page_url
    for model, obj in (
        ("indicators_criterionresult", result),
        ("evidence_evidenceitem", item),
        ("indicators_assessment", result.assessment),
    ):
        delete_url = reverse(f"admin:{model}_delete", args=[obj.pk])
        assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403, model

    result.refresh_from_db()
    item.refresh_from_db()
    assert result.narrative == "ผลการดำเนินงาน"
    assert item.caption == "หลักฐาน 1"
    assert result.evidence_items.count() == 3


@pytest.mark.parametrize("status", LOCKED)
def test_nothing_is_added_under_a_sent_assessment(
    admin_client: Client, result: CriterionResult, status: str
) -> None:
    Assessment.objects.filter(pk=result.assessment_id).update(status=status)
    criterion = CriterionFactory(indicator=result.assessment.indicator)

    response = post_form(
        admin_client,
        add_url(CriterionResult),
        {"assessment": result.assessment_id, "criterion": criterion.pk, "narrative": "ใหม่"},
    )
    assert_thai_form_error(response)
    response = post_form(admin_client, add_url(EvidenceItem), {"result": result.pk, "caption": "x"})
    assert_thai_form_error(response)

    assert result.assessment.results.count() == 1
    assert result.evidence_items.count() == 3


def test_a_returned_assessment_is_editable_again(
    admin_client: Client, result: CriterionResult
) -> None:
    Assessment.objects.filter(pk=result.assessment_id).update(status=Assessment.Status.RETURNED)
    response = post_form(admin_client, change_url(result), {"narrative": "แก้ตามที่ส่งกลับ"})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.narrative == "แก้ตามที่ส่งกลับ"


def test_history_is_read_not_reverted(admin_client: Client) -> None:
    assessment = AssessmentFactory()
    draft = assessment.history.earliest()
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.APPROVED)
    assessment.refresh_from_db()
    assessment.committee_score = Decimal(4)
    assessment.save()
    url = reverse(
        "admin:indicators_assessment_simple_history", args=[assessment.pk, draft.history_id]
    )

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"target": "5"}).status_code == 403

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.APPROVED
    assert assessment.committee_score == Decimal(4)


# --- Bad data is a form error in Thai, never a 500 -----------------------------------


def indicator_data(cycle: Cycle, kind: str, score_table: str, full_score: str) -> dict:
    return {
        "cycle": cycle.pk,
        "number": "9",
        "title": "ตัวบ่งชี้ใหม่",
        "kind": kind,
        "score_table": score_table,
        "full_score_value": full_score,
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
    }


COUNTED = [Indicator.Kind.PROCESS, Indicator.Kind.INPUT]
VALUED = [Indicator.Kind.OUTPUT, Indicator.Kind.OUTCOME]
BAD_TABLES = ["", "[]", "null", "{}", '"x"', "[[1]]", "[[2, 1], [1, 2]]", "[[1, NaN]]", "[[1,"]


@pytest.mark.parametrize("kind", COUNTED)
@pytest.mark.parametrize("score_table", BAD_TABLES)
def test_counted_indicator_needs_a_score_table(
    admin_client: Client, kind: str, score_table: str
) -> None:
    cycle = CycleFactory()
    data = indicator_data(cycle, kind, score_table, full_score="")
    assert_thai_form_error(admin_client.post(add_url(Indicator), data))
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("kind", VALUED)
@pytest.mark.parametrize("score_table", ["", "[]", "null", "[[1,"])
@pytest.mark.parametrize("full_score", ["", "0", "-1", "x"])
def test_valued_indicator_needs_a_positive_full_score(
    admin_client: Client, kind: str, score_table: str, full_score: str
) -> None:
    cycle = CycleFactory()
    data = indicator_data(cycle, kind, score_table, full_score)
    assert_thai_form_error(admin_client.post(add_url(Indicator), data))
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("kind", VALUED)
@pytest.mark.parametrize("score_table", ["", "null", "[]"])
def test_valued_indicator_without_a_score_table_is_saved(
    admin_client: Client, kind: str, score_table: str
) -> None:
    """The known 500: an empty box reached the NOT NULL column as None."""
    cycle = CycleFactory()
    data = indicator_data(cycle, kind, score_table, full_score="40")
    assert admin_client.post(add_url(Indicator), data).status_code == 302
    indicator = Indicator.objects.get()
    assert indicator.score_table == []
    assert indicator.score(value=Decimal(20)) == Decimal("2.50")


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        (Indicator.Kind.PROCESS, {"score_table": ""}),
        (Indicator.Kind.PROCESS, {"score_table": "[[1, 9]]"}),
        (Indicator.Kind.PROCESS, {"kind": "output", "full_score_value": ""}),
        (Indicator.Kind.OUTPUT, {"full_score_value": ""}),
        (Indicator.Kind.OUTPUT, {"full_score_value": "0"}),
        (Indicator.Kind.OUTPUT, {"kind": "process", "score_table": ""}),
    ],
)
def test_indicator_change_with_bad_rule(admin_client: Client, kind: str, changes: dict) -> None:
    indicator = IndicatorFactory(kind=kind, full_score_value=Decimal(40))
    before = Indicator.objects.values().get(pk=indicator.pk)
    assert_thai_form_error(post_form(admin_client, change_url(indicator), changes))
    assert Indicator.objects.values().get(pk=indicator.pk) == before


def test_cycle_must_end_after_it_starts(admin_client: Client) -> None:
    data = {
        "kind": "academic",
        "year_be": "2565",
        "start_date": "01/07/2565",
        "end_date": "30/06/2565",
    }
    assert_thai_form_error(admin_client.post(add_url(Cycle), data))
    assert not Cycle.objects.filter(year_be=2565).exists()

    cycle = CycleFactory()
    response = post_form(admin_client, change_url(cycle), {"end_date": "01/01/2562"})
    assert_thai_form_error(response)
    assert Cycle.objects.get(pk=cycle.pk).end_date == cycle.end_date


def test_unit_needs_a_prefix(admin_client: Client) -> None:
    data = {
        "name": "หน่วยงานใหม่",
        "evidence_prefix": "  ",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    assert_thai_form_error(admin_client.post(add_url(Unit), data))
    assert not Unit.objects.filter(name="หน่วยงานใหม่").exists()

    unit = UnitFactory()
    assert_thai_form_error(post_form(admin_client, change_url(unit), {"evidence_prefix": ""}))
    assert Unit.objects.get(pk=unit.pk).evidence_prefix == unit.evidence_prefix


def test_criterion_order_is_unique_per_indicator(admin_client: Client) -> None:
    criterion = CriterionFactory(order=1)
    indicator = criterion.indicator
    data = {"indicator": indicator.pk, "order": "1", "text": "ข้อซ้ำ"}
    assert_thai_form_error(admin_client.post(add_url(Criterion), data))

    response = post_form(
        admin_client,
        change_url(indicator),
        {
            "criteria-TOTAL_FORMS": "2",
            "criteria-1-indicator": indicator.pk,
            "criteria-1-order": "1",
            "criteria-1-text": "ข้อซ้ำ",
        },
    )
    assert_thai_form_error(response)
    assert list(indicator.criteria.values_list("order", flat=True)) == [1]


def test_assessment_is_unique_per_unit_and_indicator(admin_client: Client) -> None:
    assessment = AssessmentFactory()
    data = {
        "unit": assessment.unit_id,
        "indicator": assessment.indicator_id,
        "results-TOTAL_FORMS": "0",
        "results-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    text = assert_thai_form_error(admin_client.post(add_url(Assessment), data))
    assert "ซ้ำ" in text
    assert Assessment.objects.count() == 1


def test_criterion_of_another_indicator_is_refused(
    admin_client: Client, result: CriterionResult
) -> None:
    foreign = CriterionFactory()
    response = post_form(
        admin_client, change_url(result.assessment), {"results-0-criterion": foreign.pk}
    )
    assert "ไม่ได้อยู่ในตัวบ่งชี้" in assert_thai_form_error(response)

    data = {"assessment": result.assessment_id, "criterion": foreign.pk}
    response = post_form(admin_client, add_url(CriterionResult), data)
    assert "ไม่ได้อยู่ในตัวบ่งชี้" in assert_thai_form_error(response)

    new_unit = UnitFactory()
    data = {
        "unit": new_unit.pk,
        "indicator": result.assessment.indicator_id,
        "results-TOTAL_FORMS": "1",
        "results-INITIAL_FORMS": "0",
        "results-0-criterion": foreign.pk,
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    response = admin_client.post(add_url(Assessment), data)
    assert "ไม่ได้อยู่ในตัวบ่งชี้" in assert_thai_form_error(response)

    result.refresh_from_db()
    assert result.criterion.indicator_id == result.assessment.indicator_id
    assert CriterionResult.objects.count() == 1
    assert not Assessment.objects.filter(unit=new_unit).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"assessment": "", "criterion": ""},
        {"criterion": ""},
        {"assessment": ""},
    ],
)
def test_criterion_result_with_missing_parts(
    admin_client: Client, result: CriterionResult, data: dict
) -> None:
    data = {"assessment": result.assessment_id, "criterion": result.criterion_id, **data}
    assert_thai_form_error(post_form(admin_client, add_url(CriterionResult), data))

    data = {
        "unit": UnitFactory().pk,
        "indicator": result.assessment.indicator_id,
        "results-TOTAL_FORMS": "1",
        "results-INITIAL_FORMS": "0",
        "results-0-narrative": "ไม่ได้เลือกเกณฑ์",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    assert_thai_form_error(admin_client.post(add_url(Assessment), data))
    assert CriterionResult.objects.count() == 1
    assert Assessment.objects.count() == 1


def test_evidence_item_is_a_document_or_a_link(
    admin_client: Client, result: CriterionResult
) -> None:
    item = result.evidence_items.get(position=1)
    document = DocumentFactory(unit=result.assessment.unit)
    cases = [
        {"document": document.pk, "url": "https://example.org/a"},
        {"caption": "", "url": ""},
        {"document": DocumentFactory().pk},  # another unit's library
    ]
    for changes in cases:
        assert_thai_form_error(post_form(admin_client, change_url(item), changes))
        response = post_form(
            admin_client,
            change_url(result),
            {f"evidence_items-0-{name}": value for name, value in changes.items()},
        )
        assert_thai_form_error(response)
    item.refresh_from_db()
    assert (item.caption, item.document, item.url) == ("หลักฐาน 1", None, "")


def test_document_added_in_the_admin_is_checked(admin_client: Client) -> None:
    unit = UnitFactory()

    def add(name: str, content: bytes) -> HttpResponse:
        upload = SimpleUploadedFile(name, content)
        return admin_client.post(add_url(Document), {"unit": unit.pk, "file": upload})

    assert_thai_form_error(add("notes.pdf", b"not a pdf at all"))
    assert not Document.objects.exists()

    content = pdf_bytes("admin")
    assert add("report.pdf", content).status_code == 302
    document = Document.objects.get()
    assert (document.original_name, document.size) == ("report.pdf", len(content))
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(content).hexdigest()

    assert_thai_form_error(add("copy.pdf", content))
    assert Document.objects.count() == 1


def test_incomplete_scoring_rule_does_not_break_pages(
    admin_client: Client, result: CriterionResult
) -> None:
    """Rows saved before the rule was checked (or by a data import) show no score."""
    Indicator.objects.filter(pk=result.assessment.indicator_id).update(score_table=[[1]])
    assessment = Assessment.objects.get(pk=result.assessment_id)
    assert assessment.self_score is None
    for url in (
        change_url(assessment),
        reverse("admin:indicators_assessment_changelist"),
        change_url(assessment.indicator),
    ):
        assert admin_client.get(url).status_code == 200, url


# --- Dates in the Buddhist era ---------------------------------------------------------


def test_cycle_entered_in_the_admin_as_buddhist_dates(admin_client: Client) -> None:
    """The issue's check, in the admin: 01/10/2566 is stored as 2023-10-01."""
    data = {"kind": "fiscal", "year_be": "2567", "start_date": "01/10/2566",
            "end_date": "30 ก.ย. 2567"}  # fmt: skip
    assert admin_client.post(add_url(Cycle), data).status_code == 302
    cycle = Cycle.objects.get(kind="fiscal", year_be=2567)
    assert (cycle.start_date, cycle.end_date) == (
        datetime.date(2023, 10, 1),
        datetime.date(2024, 9, 30),
    )
    html = admin_client.get(change_url(cycle)).content.decode()
    assert 'value="01/10/2566"' in html and 'value="30/09/2567"' in html
    assert "vDateField" not in html  # no Gregorian calendar picker
    assert "js/thaidate.js" in html  # the slashes while typing
    listing = admin_client.get(reverse("admin:indicators_cycle_changelist")).content.decode()
    assert "1 ตุลาคม 2566" in listing and "30 กันยายน 2567" in listing


def test_a_gregorian_year_in_the_admin_is_refused(admin_client: Client) -> None:
    data = {"kind": "fiscal", "year_be": "2567", "start_date": "2023-10-01",
            "end_date": "30/09/2024"}  # fmt: skip
    text = assert_thai_form_error(admin_client.post(add_url(Cycle), data))
    assert "ปีต้องเป็นพุทธศักราช เช่น 2566" in text
    assert not Cycle.objects.filter(year_be=2567).exists()


def test_every_admin_date_field_takes_buddhist_era_dates() -> None:
    """Every admin and inline of both apps (all built on admin_base's classes)."""
    admins = []
    for model, model_admin in admin.site._registry.items():
        admins.append((model, model_admin))
        admins += [(inline.model, inline(model, admin.site)) for inline in model_admin.inlines]
    checked = set()
    for model, model_admin in admins:
        for field in model._meta.get_fields():
            if type(field) is models.DateField:
                formfield = model_admin.formfield_for_dbfield(field, request=None)
                assert isinstance(formfield, ThaiDateField), (model, field)
                assert isinstance(formfield.widget, ThaiDateInput), (model, field)
                checked.add(f"{model.__name__}.{field.name}")
    assert {"Cycle.start_date", "Cycle.end_date", "Meeting.date", "Activity.date",
            "TopicRename.renamed_on"} <= checked  # fmt: skip


# --- Indicators and criteria set up in the admin ---------------------------------------


@pytest.mark.parametrize("table", ["", "null", "[]"])
def test_output_indicator_with_an_empty_score_table(admin_client: Client, table: str) -> None:
    """The issue's 500: an output indicator saved with its score table left empty."""
    data = {"cycle": CycleFactory().pk, "number": "9", "title": "ร้อยละของผู้ใช้",
            "kind": "output", "score_table": table, "full_score_value": "40",
            "result_unit": "ร้อยละ", "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0"}  # fmt: skip
    assert admin_client.post(add_url(Indicator), data).status_code == 302
    indicator = Indicator.objects.get(number="9")
    assert (indicator.score_table, indicator.full_score_value) == ([], Decimal(40))


def test_a_criterion_added_in_the_admin_reaches_every_assessment(admin_client: Client) -> None:
    indicator = IndicatorFactory()
    first = CriterionFactory(indicator=indicator, order=1)
    assessments = AssessmentFactory.create_batch(2, indicator=indicator)
    for assessment in assessments:
        CriterionResultFactory(assessment=assessment, criterion=first)
    response = post_form(admin_client, change_url(indicator), {
        "criteria-TOTAL_FORMS": "2", "criteria-1-order": "2", "criteria-1-text": "ข้อสอง",
        "criteria-1-indicator": str(indicator.pk),
    })  # fmt: skip
    assert response.status_code == 302, error_text(response)
    second = indicator.criteria.get(order=2)
    data = {"indicator": indicator.pk, "order": "3", "text": "ข้อสาม"}
    assert admin_client.post(add_url(Criterion), data).status_code == 302
    third = indicator.criteria.get(order=3)
    for assessment in assessments:
        assert set(assessment.results.values_list("criterion", flat=True)) == {
            first.pk,
            second.pk,
            third.pk,
        }


def test_change_lists_show_times_in_the_buddhist_era(admin_client: Client) -> None:
    assessment = AssessmentFactory()
    Assessment.objects.filter(pk=assessment.pk).update(
        updated_at=datetime.datetime(2023, 10, 1, 2, 30, tzinfo=datetime.UTC)
    )
    html = admin_client.get(reverse("admin:indicators_assessment_changelist")).content.decode()
    assert "1 ตุลาคม 2566 09:30" in html  # Asia/Bangkok
