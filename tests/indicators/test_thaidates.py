"""Buddhist-era dates typed by hand (thaidates.parse_be_date) and the form field every
form and the admin use for them (formfields.ThaiDateField)."""

import datetime

import pytest
from django import forms

from indicators.formfields import ThaiDateField, ThaiDateInput
from indicators.thaidates import ThaiDateError, format_be_date, parse_be_date

OCT_1_2566 = datetime.date(2023, 10, 1)


@pytest.mark.parametrize(
    "typed",
    ["01/10/2566", "1/10/2566", "1 ต.ค. 2566", "1 ตุลาคม 2566", " 1  ต.ค.2566 ", "1ตค2566",
     "๐๑/๑๐/๒๕๖๖", "01102566", "1-10-2566", "1.10.2566", "2566-10-01", "1 Oct 2566",
     "1 october 2566"],
)  # fmt: skip
def test_buddhist_era_dates_as_people_type_them(typed: str) -> None:
    assert parse_be_date(typed) == OCT_1_2566


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("01/10/2023", "not_be"),
        ("2023-10-01", "not_be"),
        ("1 ต.ค. 66", "not_be"),
        ("1/10/66", "not_be"),
        ("1 ต.ค. 2399", "not_be"),
        ("31/02/2566", "invalid"),
        ("29/02/2566", "invalid"),  # 2023 is no leap year
        ("1 ตุลา 2566", "invalid"),
        ("1 ธค. 25x6", "invalid"),
        ("00/10/2566", "invalid"),
        ("1/13/2566", "invalid"),
        ("", "invalid"),
        ("2566", "invalid"),
    ],
)
def test_what_is_no_buddhist_era_date_is_refused(typed: str, code: str) -> None:
    with pytest.raises(ThaiDateError) as caught:
        parse_be_date(typed)
    assert caught.value.code == code


def test_leap_day_of_a_buddhist_era_year() -> None:
    assert parse_be_date("29/02/2567") == datetime.date(2024, 2, 29)


def test_shown_for_editing_with_two_digit_day_and_month() -> None:
    assert format_be_date(OCT_1_2566) == "01/10/2566"
    assert format_be_date(datetime.date(2024, 12, 31)) == "31/12/2567"


class _Form(forms.Form):
    day = ThaiDateField()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("01/10/2023", "ปีต้องเป็นพุทธศักราช เช่น 2566"),
        ("31/02/2566", "กรุณาระบุวันที่ให้ถูกต้อง เช่น 01/10/2566 หรือ 1 ต.ค. 2566"),
        ("", "ฟิลด์นี้จำเป็น"),  # Django's own Thai "required"
    ],
)
def test_field_refuses_in_thai(typed: str, message: str) -> None:
    form = _Form({"day": typed})
    assert not form.is_valid()
    assert message in form.errors["day"][0]


def test_field_takes_a_thai_date_and_shows_it_again_in_the_buddhist_era() -> None:
    form = _Form({"day": "1 ตุลาคม 2566"})
    assert form.is_valid() and form.cleaned_data["day"] == OCT_1_2566
    html = str(_Form(initial={"day": OCT_1_2566})["day"])
    assert 'value="01/10/2566"' in html and 'type="text"' in html
    assert 'placeholder="วว/ดด/ปปปป"' in html
    # A refused value is shown as typed, for the user to correct.
    assert 'value="01/10/2023"' in str(_Form({"day": "01/10/2023"})["day"])


def test_field_takes_values_that_are_not_text_only_as_dates() -> None:
    field = ThaiDateField()
    assert field.clean(OCT_1_2566) == OCT_1_2566
    assert field.clean(datetime.datetime(2023, 10, 1, 9, 0)) == OCT_1_2566
    with pytest.raises(forms.ValidationError):
        field.clean(["01/10/2566"])


def test_widget_formats_datetimes_and_leaves_text_alone() -> None:
    widget = ThaiDateInput()
    assert widget.format_value(datetime.datetime(2023, 10, 1, 9, 0)) == "01/10/2566"
    assert widget.format_value("1 ต.ค. 2566") == "1 ต.ค. 2566"
    assert widget.format_value(None) is None
