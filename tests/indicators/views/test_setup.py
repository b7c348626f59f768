"""The QA administrator's setup pages: cycles with Buddhist-era dates, the indicator set
copied from an earlier cycle, indicators with their scoring rules, and criteria.
Only QA administrators use them; staff, QA officers and outsiders get 403."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from indicators.models import Assessment, Criterion, CriterionResult, Cycle, Indicator
from tests.factories import (
    AssessmentFactory,
    CriterionFactory,
    CriterionResultFactory,
    CycleFactory,
    IndicatorFactory,
    QAAdminFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa_admin(db: None) -> User:
    """Ada: the QA administrator, who sets up cycles and indicators."""
    return QAAdminFactory(username="ada")


@pytest.fixture
def admin_client_(client: Client, qa_admin: User) -> Client:
    client.force_login(qa_admin)
    return client


def _urls(assessment: Assessment) -> list[str]:
    indicator = assessment.indicator
    criterion = indicator.criteria.first()
    assert criterion is not None
    cycle = indicator.cycle_id
    return [
        reverse("indicators:setup_cycles"),
        reverse("indicators:setup_cycle_add"),
        reverse("indicators:setup_cycle", args=[cycle]),
        reverse("indicators:setup_cycle_edit", args=[cycle]),
        reverse("indicators:setup_indicator_set_copy", args=[cycle]),
        reverse("indicators:setup_indicator_add", args=[cycle]),
        reverse("indicators:setup_indicator", args=[indicator.pk]),
        reverse("indicators:setup_indicator_delete", args=[indicator.pk]),
        reverse("indicators:setup_criterion", args=[criterion.pk]),
        reverse("indicators:setup_criterion_delete", args=[criterion.pk]),
    ]


# --- Who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "head", "qa_officer", "outsider"])
def test_only_qa_administrators_may_set_up(
    client: Client, assessment: Assessment, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    before = (Cycle.objects.count(), Indicator.objects.count(), Criterion.objects.count())
    get_only = {reverse("indicators:setup_cycles"), reverse("indicators:setup_cycle", args=[
        assessment.indicator.cycle_id])}  # fmt: skip
    for url in _urls(assessment):
        assert client.get(url).status_code == 403, url
        posted = client.post(url, {"kind": "fiscal", "year_be": "2570"}).status_code
        assert posted == (405 if url in get_only else 403), url
    for name in ("setup_criterion_add",):
        url = reverse(f"indicators:{name}", args=[assessment.indicator_id])
        assert client.post(url, {"text": "ใหม่"}).status_code == 403
    assert (Cycle.objects.count(), Indicator.objects.count(), Criterion.objects.count()) == before
    assert "ตั้งค่ารอบปีและตัวบ่งชี้" not in client.get(reverse("home")).content.decode()


def test_qa_administrator_opens_every_page(admin_client_: Client, assessment: Assessment) -> None:
    for url in _urls(assessment):
        assert admin_client_.get(url).status_code == 200, url
    home = admin_client_.get(reverse("home")).content.decode()
    assert reverse("indicators:setup_cycles") in home  # the navbar link


def test_anonymous_is_sent_to_sign_in(client: Client, assessment: Assessment) -> None:
    response = client.get(reverse("indicators:setup_cycles"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_cycle_list_queries_do_not_grow(
    admin_client_: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for year in range(2560, 2570):
        IndicatorFactory.create_batch(2, cycle=CycleFactory(year_be=year))
    with django_assert_max_num_queries(8):
        response = admin_client_.get(reverse("indicators:setup_cycles"))
    assert response.content.decode().count("ปีงบประมาณ 25") == 10


# --- Cycles with Buddhist-era dates ----------------------------------------------------


def test_cycle_entered_as_buddhist_dates_is_stored_as_such(admin_client_: Client) -> None:
    """The issue's check: a cycle typed as 01/10/2566 starts on 2023-10-01."""
    data = {"kind": "academic", "year_be": "2567", "start_date": "01/10/2566",
            "end_date": "30 ก.ย. 2567"}  # fmt: skip
    response = admin_client_.post(reverse("indicators:setup_cycle_add"), data)
    cycle = Cycle.objects.get(kind="academic", year_be=2567)
    assert response.status_code == 302 and response["Location"] == reverse(
        "indicators:setup_cycle", args=[cycle.pk]
    )
    assert cycle.start_date == datetime.date(2023, 10, 1)
    assert cycle.end_date == datetime.date(2024, 9, 30)
    # Shown for editing as it was typed: Buddhist era, day/month/year.
    page = admin_client_.get(reverse("indicators:setup_cycle_edit", args=[cycle.pk]))
    html = page.content.decode()
    assert 'value="01/10/2566"' in html and 'value="30/09/2567"' in html
    assert 'type="date"' not in html and 'placeholder="วว/ดด/ปปปป"' in html


def test_fiscal_cycle_dates_default_to_its_fiscal_year(admin_client_: Client) -> None:
    data = {"kind": "fiscal", "year_be": "2567", "start_date": "", "end_date": ""}
    assert admin_client_.post(reverse("indicators:setup_cycle_add"), data).status_code == 302
    cycle = Cycle.objects.get(kind="fiscal", year_be=2567)
    assert (cycle.start_date, cycle.end_date) == Cycle.fiscal_dates(2567)
    assert (cycle.start_date, cycle.end_date) == (
        datetime.date(2023, 10, 1),
        datetime.date(2024, 9, 30),
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start_date": "01/10/2023"}, "start_date", "ปีต้องเป็นพุทธศักราช เช่น 2566"),
        ({"end_date": "2024-09-30"}, "end_date", "ปีต้องเป็นพุทธศักราช เช่น 2566"),
        ({"start_date": "31/02/2566"}, "start_date", "กรุณาระบุวันที่ให้ถูกต้อง"),
        ({"start_date": "วันจันทร์"}, "start_date", "กรุณาระบุวันที่ให้ถูกต้อง"),
        ({"start_date": ""}, "start_date", "กรุณาระบุวันที่"),
        ({"end_date": "01/06/2566"}, "end_date", "วันสิ้นสุดต้องอยู่หลังวันเริ่มต้น"),
        ({"start_date": "01/06/2560"}, "start_date", "วันเริ่มต้นต้องอยู่ในปี พ.ศ. 2566 หรือ 2567"),
        ({"year_be": "2023"}, "year_be", "2500"),
        ({"year_be": "2566"}, None, "ซ้ำกันอยู่แล้ว"),
        ({"kind": "weekly"}, "kind", "weekly"),
    ],
)
def test_bad_cycle_is_refused_in_thai(
    admin_client_: Client, changes: dict[str, str], field: str | None, message: str
) -> None:
    CycleFactory(kind="academic", year_be=2566)
    data = {"kind": "academic", "year_be": "2567", "start_date": "01/06/2566",
            "end_date": "31/05/2567", **changes}  # fmt: skip
    before = list(Cycle.objects.values())
    response = admin_client_.post(reverse("indicators:setup_cycle_add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field or "__all__", [])), errors
    assert list(Cycle.objects.values()) == before


def test_cycle_edit_keeps_buddhist_dates(admin_client_: Client) -> None:
    cycle = CycleFactory(kind="fiscal", year_be=2567)
    data = {"kind": "fiscal", "year_be": "2567", "start_date": "1 ตุลาคม 2566",
            "end_date": "๓๐/๐๙/๒๕๖๗"}  # fmt: skip
    url = reverse("indicators:setup_cycle_edit", args=[cycle.pk])
    assert admin_client_.post(url, data).status_code == 302
    cycle.refresh_from_db()
    assert (cycle.start_date, cycle.end_date) == (
        datetime.date(2023, 10, 1),
        datetime.date(2024, 9, 30),
    )


def test_english_pages_take_and_show_the_same_buddhist_dates(admin_client_: Client) -> None:
    admin_client_.post(reverse("set_language"), {"language": "en"})
    data = {"kind": "academic", "year_be": "2567", "start_date": "1 Jun 2566",
            "end_date": "31/05/2567"}  # fmt: skip
    assert admin_client_.post(reverse("indicators:setup_cycle_add"), data).status_code == 302
    cycle = Cycle.objects.get(kind="academic", year_be=2567)
    assert cycle.start_date == datetime.date(2023, 6, 1)
    html = admin_client_.get(reverse("indicators:setup_cycle_edit", args=[cycle.pk])).content
    assert b'value="01/06/2566"' in html


# --- The indicator set -----------------------------------------------------------------


def test_cycle_page_lists_its_indicators(admin_client_: Client, assessment: Assessment) -> None:
    IndicatorFactory(
        cycle=assessment.indicator.cycle, number="4", kind="output",
        full_score_value=Decimal(40), result_unit="ร้อยละ", score_table=[],
    )  # fmt: skip
    url = reverse("indicators:setup_cycle", args=[assessment.indicator.cycle_id])
    html = admin_client_.get(url).content.decode()
    assert assessment.indicator.title in html
    assert "ตารางคะแนน 5 ระดับ" in html and "40 ร้อยละ = 5 คะแนน" in html
    assert reverse("indicators:setup_indicator_add", args=[assessment.indicator.cycle_id]) in html


def test_copy_the_indicator_set_from_an_earlier_cycle(
    admin_client_: Client, assessment: Assessment
) -> None:
    source = assessment.indicator.cycle
    IndicatorFactory(cycle=source, number="4", kind="output", full_score_value=Decimal(40),
                     result_unit="ร้อยละ", score_table=[])  # fmt: skip
    target = CycleFactory(year_be=2564)
    url = reverse("indicators:setup_indicator_set_copy", args=[target.pk])
    response = admin_client_.post(url, {"source": source.pk}, follow=True)
    assert "คัดลอกจาก" in response.content.decode()
    copied = {i.number: i for i in target.indicators.all()}
    assert set(copied) == {"3", "4"}
    assert copied["3"].score_table == assessment.indicator.score_table
    assert copied["3"].copied_from == assessment.indicator
    assert list(copied["3"].criteria.values_list("order", "text")) == list(
        assessment.indicator.criteria.values_list("order", "text")
    )
    assert (copied["4"].full_score_value, copied["4"].result_unit) == (Decimal(40), "ร้อยละ")
    # The units' work is not carried over by this page: that is "start the next cycle".
    assert not Assessment.objects.filter(indicator__cycle=target).exists()
    # Copying again duplicates nothing.
    before = (Indicator.objects.count(), Criterion.objects.count())
    response = admin_client_.post(url, {"source": source.pk}, follow=True)
    assert "ไม่มีการเปลี่ยนแปลง" in response.content.decode()
    assert (Indicator.objects.count(), Criterion.objects.count()) == before


@pytest.mark.parametrize("source", ["self", "", "999999", "abc", str(2**70)])
def test_copy_from_a_bad_source_is_refused(
    admin_client_: Client, assessment: Assessment, source: str
) -> None:
    cycle = assessment.indicator.cycle
    value = str(cycle.pk) if source == "self" else source
    before = Indicator.objects.count()
    url = reverse("indicators:setup_indicator_set_copy", args=[cycle.pk])
    response = admin_client_.post(url, {"source": value})
    assert response.status_code == 200
    assert response.context["form"].errors["source"]
    assert Indicator.objects.count() == before


def test_copy_from_an_empty_cycle_says_so(admin_client_: Client) -> None:
    empty, target = CycleFactory(year_be=2562), CycleFactory(year_be=2563)
    url = reverse("indicators:setup_indicator_set_copy", args=[target.pk])
    response = admin_client_.post(url, {"source": empty.pk})
    assert "ยังไม่มีตัวบ่งชี้ให้คัดลอก" in str(response.context["form"].errors)


# --- Indicators and their scoring rules ------------------------------------------------


def _indicator_data(**changes: str) -> dict[str, str]:
    return {"number": "5", "title": "ตัวบ่งชี้ใหม่", "kind": "process",
            "score_table": "1 1\n2 2\n3 3\n5 4\n7 5", "full_score_value": "", "result_unit": "ข้อ",
            **changes}  # fmt: skip


def test_add_a_process_indicator(admin_client_: Client) -> None:
    cycle = CycleFactory()
    url = reverse("indicators:setup_indicator_add", args=[cycle.pk])
    response = admin_client_.post(url, _indicator_data(score_table="1 1\n2, 2\n3:3\n5=4\n๗ ๕"))
    indicator = Indicator.objects.get(cycle=cycle, number="5")
    assert response["Location"] == reverse("indicators:setup_indicator", args=[indicator.pk])
    assert indicator.score_table == [[1, 1], [2, 2], [3, 3], [5, 4], [7, 5]]
    html = admin_client_.get(response["Location"]).content.decode()
    assert "1 1\n2 2\n3 3\n5 4\n7 5" in html


def test_add_an_output_indicator_with_an_empty_score_table(admin_client_: Client) -> None:
    """The issue's 500: an output indicator whose score table is left empty."""
    cycle = CycleFactory()
    url = reverse("indicators:setup_indicator_add", args=[cycle.pk])
    data = _indicator_data(kind="output", score_table="", full_score_value="40",
                           result_unit="ร้อยละ")  # fmt: skip
    assert admin_client_.post(url, data).status_code == 302
    indicator = Indicator.objects.get(cycle=cycle, number="5")
    assert (indicator.score_table, indicator.full_score_value) == ([], Decimal(40))
    assert indicator.score(value=Decimal(20)) == Decimal("2.50")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"score_table": ""}, "score_table", "ตัวบ่งชี้กระบวนการต้องมีตารางคะแนน"),
        ({"score_table": "1 1\n2 9"}, "score_table", "ตารางคะแนนต้องเป็นรายการ"),
        ({"score_table": "3 3\n2 4"}, "score_table", "ตารางคะแนนต้องเป็นรายการ"),
        ({"score_table": "หนึ่ง หนึ่ง"}, "score_table", "บรรทัดที่ 1 อ่านไม่ได้"),
        ({"score_table": "1 1\n0 2"}, "score_table", "บรรทัดที่ 2: จำนวนข้อต้องอยู่ระหว่าง"),
        ({"score_table": "9" * 3000}, "score_table", "ข้อความยาวเกินกำหนด"),
        ({"kind": "output", "full_score_value": ""}, "full_score_value", "ค่าที่ได้คะแนนเต็ม"),
        ({"kind": "outcome", "full_score_value": "0"}, "full_score_value", "มากกว่า 0"),
        (
            {"kind": "output", "full_score_value": "40", "result_unit": " "},
            "result_unit",
            "ต้องระบุหน่วยของผลการดำเนินงาน",
        ),
        ({"kind": "output", "full_score_value": "1e400"}, "full_score_value", ""),
        ({"number": ""}, "number", ""),
        ({"number": "3"}, "number", "มีตัวบ่งชี้ที่ 3 อยู่แล้ว"),
        ({"title": "ก" * 501}, "title", ""),
        ({"kind": "x"}, "kind", ""),
    ],
)
def test_bad_indicator_is_refused_in_thai(
    admin_client_: Client, assessment: Assessment, changes: dict, field: str, message: str
) -> None:
    cycle = assessment.indicator.cycle
    before = list(Indicator.objects.values())
    url = reverse("indicators:setup_indicator_add", args=[cycle.pk])
    response = admin_client_.post(url, _indicator_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert list(Indicator.objects.values()) == before


def test_edit_an_indicator_and_refuse_a_new_number_once_units_wrote(
    admin_client_: Client, assessment: Assessment
) -> None:
    indicator = assessment.indicator
    url = reverse("indicators:setup_indicator", args=[indicator.pk])
    data = _indicator_data(number="3", title="ชื่อใหม่", score_table="1 1\n3 3\n5 5")
    assert admin_client_.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.title, indicator.score_table) == ("ชื่อใหม่", [[1, 1], [3, 3], [5, 5]])
    response = admin_client_.post(url, {**data, "number": "3.1"})
    assert "เปลี่ยนเลขตัวบ่งชี้ไม่ได้" in str(response.context["form"].errors)
    assert "สำนักพิมพ์" in str(response.context["form"].errors)
    assert Indicator.objects.get(pk=indicator.pk).number == "3"


def test_delete_an_indicator_without_data(admin_client_: Client) -> None:
    indicator = IndicatorFactory()
    CriterionFactory.create_batch(2, indicator=indicator)
    empty = AssessmentFactory(indicator=indicator, target=None)
    for criterion in indicator.criteria.all():
        CriterionResultFactory(assessment=empty, criterion=criterion, narrative="")
    url = reverse("indicators:setup_indicator_delete", args=[indicator.pk])
    assert "จะถูกลบด้วย" in admin_client_.get(url).content.decode()
    response = admin_client_.post(url)
    assert response["Location"] == reverse("indicators:setup_cycle", args=[indicator.cycle_id])
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert not Assessment.objects.filter(pk=empty.pk).exists()


def test_delete_an_indicator_with_data_is_refused(
    admin_client_: Client, assessment: Assessment
) -> None:
    indicator = assessment.indicator
    url = reverse("indicators:setup_indicator_delete", args=[indicator.pk])
    assert "ลบตัวบ่งชี้นี้ไม่ได้" in admin_client_.get(url).content.decode()
    response = admin_client_.post(url, follow=True)
    assert "ลบตัวบ่งชี้นี้ไม่ได้ เพราะหน่วยงานบันทึกผลการดำเนินงานไว้แล้ว: สำนักพิมพ์" in (response.content.decode())
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert assessment.results.count() == 5


# --- Criteria ----------------------------------------------------------------------------


def test_add_a_criterion_adds_its_result_to_every_assessment(
    admin_client_: Client, assessment: Assessment
) -> None:
    indicator = assessment.indicator
    other = AssessmentFactory(indicator=indicator, unit=UnitFactory())
    url = reverse("indicators:setup_criterion_add", args=[indicator.pk])
    response = admin_client_.post(url, {"text": "  เกณฑ์ข้อใหม่\r\nบรรทัดสอง "})
    assert response["Location"] == reverse("indicators:setup_indicator", args=[indicator.pk])
    criterion = indicator.criteria.get(order=6)
    assert criterion.text == "เกณฑ์ข้อใหม่\nบรรทัดสอง"
    for each in (assessment, other):
        assert CriterionResult.objects.filter(assessment=each, criterion=criterion).count() == 1


@pytest.mark.parametrize("text", ["", "   ", "ก" * 2001])
def test_a_bad_criterion_is_refused(
    admin_client_: Client, assessment: Assessment, text: str
) -> None:
    indicator = assessment.indicator
    url = reverse("indicators:setup_criterion_add", args=[indicator.pk])
    response = admin_client_.post(url, {"text": text}, follow=True)
    html = response.content.decode()
    assert "กรุณาพิมพ์ข้อความของเกณฑ์" in html or "ข้อความยาวเกินกำหนด" in html
    assert indicator.criteria.count() == 5


def test_edit_a_criterion(admin_client_: Client, assessment: Assessment) -> None:
    criterion = assessment.indicator.criteria.get(order=2)
    url = reverse("indicators:setup_criterion", args=[criterion.pk])
    assert criterion.text in admin_client_.get(url).content.decode()
    assert admin_client_.post(url, {"text": "ข้อความใหม่"}).status_code == 302
    criterion.refresh_from_db()
    assert (criterion.order, criterion.text) == (2, "ข้อความใหม่")
    assert admin_client_.post(url, {"text": " "}).status_code == 200


def _fresh_indicator(criteria: int = 3) -> Indicator:
    indicator = IndicatorFactory()
    for order in range(1, criteria + 1):
        CriterionFactory(indicator=indicator, order=order, text=f"ข้อ {order}")
    assessment = AssessmentFactory(indicator=indicator, target=None)
    for criterion in indicator.criteria.all():
        CriterionResultFactory(assessment=assessment, criterion=criterion, narrative="")
    return indicator


def _texts(indicator: Indicator) -> list[tuple[int, str]]:
    return list(indicator.criteria.order_by("order").values_list("order", "text"))


def test_reorder_and_delete_criteria_before_units_write(admin_client_: Client) -> None:
    indicator = _fresh_indicator()
    third = indicator.criteria.get(order=3)
    move = reverse("indicators:setup_criterion_move", args=[third.pk])
    assert admin_client_.post(move, {"direction": "up"}).status_code == 302
    assert _texts(indicator) == [(1, "ข้อ 1"), (2, "ข้อ 3"), (3, "ข้อ 2")]
    admin_client_.post(move, {"direction": "up"})
    admin_client_.post(move, {"direction": "up"})  # already first: nothing moves
    assert _texts(indicator) == [(1, "ข้อ 3"), (2, "ข้อ 1"), (3, "ข้อ 2")]
    assert admin_client_.post(move, {"direction": "sideways"}).status_code == 302
    assert _texts(indicator) == [(1, "ข้อ 3"), (2, "ข้อ 1"), (3, "ข้อ 2")]

    first = indicator.criteria.get(text="ข้อ 1")
    response = admin_client_.post(reverse("indicators:setup_criterion_delete", args=[first.pk]))
    assert response.status_code == 302
    assert _texts(indicator) == [(1, "ข้อ 3"), (2, "ข้อ 2")]
    assert CriterionResult.objects.filter(assessment__indicator=indicator).count() == 2


def test_reorder_or_delete_criteria_once_units_wrote_is_refused(
    admin_client_: Client, assessment: Assessment
) -> None:
    indicator = assessment.indicator
    before = _texts(indicator)
    second = indicator.criteria.get(order=2)
    move = reverse("indicators:setup_criterion_move", args=[second.pk])
    response = admin_client_.post(move, {"direction": "up"}, follow=True)
    assert "เรียงลำดับเกณฑ์ใหม่ไม่ได้" in response.content.decode()
    delete = reverse("indicators:setup_criterion_delete", args=[second.pk])
    assert "ลบเกณฑ์นี้ไม่ได้" in admin_client_.get(delete).content.decode()
    response = admin_client_.post(delete, follow=True)
    assert "ลบเกณฑ์นี้ไม่ได้ เพราะหน่วยงานบันทึกผลของตัวบ่งชี้นี้ไว้แล้ว: สำนักพิมพ์" in (response.content.decode())
    assert _texts(indicator) == before


def test_indicator_page_shows_criteria(admin_client_: Client, assessment: Assessment) -> None:
    indicator = assessment.indicator
    html = admin_client_.get(reverse("indicators:setup_indicator", args=[indicator.pk]))
    content = html.content.decode()
    for criterion in indicator.criteria.all():
        assert criterion.text in content
    # Units have written: criteria may be added and edited, not moved or deleted.
    assert "ลบหรือเรียงลำดับใหม่ไม่ได้" in content
    assert reverse("indicators:setup_criterion_move", args=[indicator.criteria.first().pk]) not in (  # type: ignore[union-attr]
        content
    )


def test_cycle_and_indicator_pages_queries_do_not_grow(
    admin_client_: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    cycle = CycleFactory()
    indicators = IndicatorFactory.create_batch(12, cycle=cycle)
    for indicator in indicators:
        CriterionFactory.create_batch(5, indicator=indicator)
        AssessmentFactory.create_batch(3, indicator=indicator)
    with django_assert_max_num_queries(10):
        response = admin_client_.get(reverse("indicators:setup_cycle", args=[cycle.pk]))
    assert response.content.decode().count("ตารางคะแนน 5 ระดับ") == 12
    with django_assert_max_num_queries(10):
        response = admin_client_.get(reverse("indicators:setup_indicator", args=[indicators[0].pk]))
    assert response.status_code == 200


def test_a_new_cycle_is_offered_the_year_after_the_latest(admin_client_: Client) -> None:
    CycleFactory(year_be=2566)
    CycleFactory(year_be=2565)
    form = admin_client_.get(reverse("indicators:setup_cycle_add")).context["form"]
    assert form["year_be"].value() == 2567
    assert form["start_date"].value() is None  # a fiscal year's dates come from its year
