"""The indicator page of an output indicator: the measure criterion with its narrative and
evidence, the value entered with its data (computed, validated, versioned), for the
unit's staff; read-only for a QA officer; nothing for an outsider."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from indicators.models import Assessment, Indicator, Unit
from tests.factories import CycleFactory, QAAdminFactory
from tests.indicators.output_world import DENOMINATOR, NUMERATOR, output_assessment, with_data

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def output(unit: Unit) -> Assessment:
    return output_assessment(unit)


def details(assessment: Assessment, **values: str) -> dict[str, str]:
    assessment.refresh_from_db()
    data = {"target": "", "result_value": "", "numerator": "", "denominator": ""}
    data.update(strengths="", improvements="", edited_from=assessment.updated_at.isoformat())
    return {**data, **values}


def test_staff_see_the_measure_criterion_and_the_data_fields(
    client: Client, staff: User, output: Assessment
) -> None:
    with_data(output)
    client.force_login(staff)
    content = client.get(output.get_absolute_url()).content.decode()
    assert "สิ่งที่วัดและผลการดำเนินงาน" in content
    assert "ผลการดำเนินงาน: 85 ร้อยละ" in content
    assert f"{NUMERATOR} 85 จาก{DENOMINATOR} 100" in content
    assert 'name="numerator"' in content and 'name="denominator"' in content
    assert NUMERATOR in content and DENOMINATOR in content
    # The narrative form and the evidence of its one criterion, coded สพ 5-1 (n).
    result = output.results.get()
    assert reverse("indicators:result_narrative", args=[result.pk]) in content
    assert "สพ 5-1 (1)" in content and "สพ 5-1 (2)" in content
    # Scored by its value: no met / not met switch.
    assert reverse("indicators:result_met", args=[result.pk]) not in content


def test_staff_save_the_data_and_the_value_is_computed(
    client: Client, staff: User, output: Assessment
) -> None:
    client.force_login(staff)
    url = reverse("indicators:assessment_details", args=[output.pk])
    response = client.post(
        url, details(output, target="80", numerator="171", denominator="200"), headers=HTMX
    )
    assert response.status_code == 200
    assert "บันทึกแล้ว" in response.content.decode()
    output.refresh_from_db()
    assert output.result_value == Decimal("85.50")
    assert (output.numerator, output.denominator) == (Decimal(171), Decimal(200))
    assert output.self_score == Decimal("5.00") and output.achieved is True
    assert output.history.first().history_user == staff


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"numerator": "5", "denominator": "0"}, "ตัวหารต้องมากกว่า 0"),
        ({"numerator": "120", "denominator": "100"}, "ตัวตั้งต้องไม่มากกว่าตัวหาร"),
        ({"numerator": "5"}, "กรอกทั้งตัวตั้งและตัวหาร"),
        ({"numerator": "-1", "denominator": "4"}, "ตัวตั้งต้องไม่ติดลบ"),
    ],
)
def test_bad_data_is_refused_in_thai_and_nothing_is_saved(
    client: Client, staff: User, output: Assessment, values: dict[str, str], message: str
) -> None:
    client.force_login(staff)
    url = reverse("indicators:assessment_details", args=[output.pk])
    response = client.post(url, details(output, target="70", **values), headers=HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    output.refresh_from_db()
    assert output.target is None and output.numerator is None and output.result_value is None


def test_a_stale_save_shows_both_and_overwrites_nothing(
    client: Client, staff: User, head: User, output: Assessment
) -> None:
    url = reverse("indicators:assessment_details", args=[output.pk])
    stale = details(output, numerator="10", denominator="20")
    client.force_login(head)
    client.post(url, details(output, numerator="30", denominator="40"), headers=HTMX)
    client.force_login(staff)
    content = client.post(url, stale, headers=HTMX).content.decode()
    assert "มีผู้อื่นบันทึกส่วนนี้ก่อนคุณ" in content
    output.refresh_from_db()
    assert output.result_value == Decimal("75.00") and output.numerator == Decimal(30)


def test_qa_officer_reads_the_value_and_its_data(
    client: Client, qa_officer: User, output: Assessment
) -> None:
    with_data(output)
    client.force_login(qa_officer)
    content = client.get(output.get_absolute_url()).content.decode()
    assert 'name="numerator"' not in content
    assert "ผลการดำเนินงาน: 85 ร้อยละ" in content and "สพ 5-1 (1)" in content
    url = reverse("indicators:assessment_details", args=[output.pk])
    assert client.post(url, details(output, numerator="1", denominator="2")).status_code == 403


def test_outsider_gets_404(client: Client, outsider: User, output: Assessment) -> None:
    client.force_login(outsider)
    assert client.get(output.get_absolute_url()).status_code == 404
    url = reverse("indicators:assessment_details", args=[output.pk])
    assert client.post(url, details(output, numerator="1", denominator="2")).status_code == 404
    output.refresh_from_db()
    assert output.numerator is None


def test_an_output_indicator_without_labels_has_no_data_fields(
    client: Client, staff: User, unit: Unit
) -> None:
    plain = output_assessment(unit, number="6", numerator_label="", denominator_label="")
    client.force_login(staff)
    content = client.get(plain.get_absolute_url()).content.decode()
    assert 'name="result_value"' in content and 'name="numerator"' not in content


# --- Set up: the setup page and the Django admin give it its measure criterion ---------


def _setup_data(**changes: str) -> dict[str, str]:
    return {"number": "5", "title": "ร้อยละของบัณฑิตที่ได้งานทำ", "kind": "output",
            "score_table": "", "full_score_value": "80", "result_unit": "ร้อยละ",
            "numerator_label": NUMERATOR, "denominator_label": DENOMINATOR,
            **changes}  # fmt: skip


def test_the_setup_page_adds_an_output_indicator_with_its_criterion(client: Client) -> None:
    client.force_login(QAAdminFactory())
    cycle = CycleFactory()
    url = reverse("indicators:setup_indicator_add", args=[cycle.pk])
    assert client.post(url, _setup_data()).status_code == 302
    indicator = Indicator.objects.get(cycle=cycle, number="5")
    assert (indicator.numerator_label, indicator.denominator_label) == (NUMERATOR, DENOMINATOR)
    assert [c.order for c in indicator.criteria.all()] == [1]
    assert NUMERATOR in indicator.criteria.get().text


def test_the_setup_page_wants_both_labels_or_neither(client: Client) -> None:
    client.force_login(QAAdminFactory())
    cycle = CycleFactory()
    url = reverse("indicators:setup_indicator_add", args=[cycle.pk])
    response = client.post(url, _setup_data(denominator_label=""))
    assert response.status_code == 200
    assert "ระบุทั้งชื่อตัวตั้งและชื่อตัวหาร" in response.content.decode()
    assert not Indicator.objects.filter(cycle=cycle).exists()


def test_the_staff_and_an_outsider_cannot_set_up(
    client: Client, staff: User, outsider: User
) -> None:
    cycle = CycleFactory()
    url = reverse("indicators:setup_indicator_add", args=[cycle.pk])
    for user in (staff, outsider):
        client.force_login(user)
        assert client.post(url, _setup_data()).status_code == 403
    assert not Indicator.objects.filter(cycle=cycle).exists()


def test_the_django_admin_adds_an_output_indicator_with_its_criterion(
    admin_client: Client,
) -> None:
    cycle = CycleFactory()
    data = {**_setup_data(), "cycle": cycle.pk, "score_table": "[]"}
    data.update({"criteria-TOTAL_FORMS": "0", "criteria-INITIAL_FORMS": "0"})
    response = admin_client.post(reverse("admin:indicators_indicator_add"), data)
    assert response.status_code == 302
    indicator = Indicator.objects.get(cycle=cycle)
    assert [c.order for c in indicator.criteria.all()] == [1]


def test_an_in_place_save_refreshes_the_value_above_the_narrative(
    client: Client, staff: User, output: Assessment
) -> None:
    client.force_login(staff)
    url = reverse("indicators:assessment_details", args=[output.pk])
    content = client.post(
        url, details(output, numerator="3", denominator="4"), headers=HTMX
    ).content.decode()
    assert f'id="measure-{output.pk}"' in content
    assert "ผลการดำเนินงาน: 75 ร้อยละ" in content
