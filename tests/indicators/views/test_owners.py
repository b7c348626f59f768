"""Owners of an indicator (ผู้ดูแลตัวบ่งชี้) and the return reason on the indicator page."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from indicators.models import Assessment, AssessmentTransition
from indicators.services.owners import assessment_set_owners
from tests.factories import MembershipFactory, QAAdminFactory, set_status

pytestmark = pytest.mark.django_db

Status = Assessment.Status


def _url(assessment: Assessment) -> str:
    return reverse("indicators:assessment_owners", args=[assessment.pk])


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def test_head_names_owners_among_the_unit_members(
    client: Client, head: User, staff: User, assessment: Assessment
) -> None:
    client.force_login(head)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert 'id="owners-form"' in page and "ยังไม่ได้กำหนด" in page
    response = client.post(_url(assessment), {"owners": [staff.pk]})
    assert response.status_code == 302
    assert response["Location"].endswith("#owners")
    assert list(assessment.owners.all()) == [staff]
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "บันทึกผู้ดูแลตัวบ่งชี้แล้ว" in page
    owners = page[page.index('id="owners"') :]
    assert owners.index(_name(staff)) < owners.index("<details")
    # And whatever the assessment's status.
    set_status(assessment, Status.APPROVED)
    assert client.post(_url(assessment), {"owners": [staff.pk, head.pk]}).status_code == 302
    assert set(assessment.owners.all()) == {staff, head}


def test_a_non_member_is_refused_and_nothing_changes(
    client: Client, head: User, staff: User, outsider: User, qa_officer: User, assessment
) -> None:
    assessment.owners.add(staff)
    client.force_login(head)
    for owners in ([outsider.pk], [qa_officer.pk], [staff.pk, outsider.pk], ["x"]):
        response = client.post(_url(assessment), {"owners": owners}, follow=True)
        assert "เลือกได้เฉพาะบุคลากรของหน่วยงานนี้" in response.content.decode()
        assert list(assessment.owners.all()) == [staff]
    with pytest.raises(Exception, match="ไม่ได้เป็นบุคลากรของหน่วยงานนี้"):
        assessment_set_owners(assessment=assessment, owners=[outsider], by=head)
    assert list(assessment.owners.all()) == [staff]


def test_qa_administrator_names_owners_too(
    client: Client, staff: User, assessment: Assessment
) -> None:
    client.force_login(QAAdminFactory())
    assert 'id="owners-form"' in client.get(assessment.get_absolute_url()).content.decode()
    assert client.post(_url(assessment), {"owners": [staff.pk]}).status_code == 302
    assert list(assessment.owners.all()) == [staff]


def test_staff_qa_officer_and_outsider_may_not_name_owners(
    client: Client, staff: User, qa_officer: User, outsider: User, assessment: Assessment
) -> None:
    assessment.owners.add(staff)
    for user, code in ((staff, 403), (qa_officer, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(_url(assessment), {"owners": []}).status_code == code
        if code == 403:
            page = client.get(assessment.get_absolute_url()).content.decode()
            assert 'id="owners-form"' not in page
            # They see who keeps it.
            assert _name(staff) in page[page.index('id="owners"') :]
    assert list(assessment.owners.all()) == [staff]


def test_owners_choices_are_the_unit_members(head: User, staff: User, assessment) -> None:
    from indicators.forms.assessments import OwnersForm

    MembershipFactory()  # a member of another unit
    form = OwnersForm(assessment=assessment)
    assert set(form.fields["owners"].queryset) == {head, staff}


# --- The return reason ---------------------------------------------------------------


def test_the_return_reason_is_on_the_indicator_page(
    client: Client, staff: User, qa_officer: User, outsider: User, assessment: Assessment
) -> None:
    set_status(assessment, Status.RETURNED)
    AssessmentTransition.objects.create(
        assessment=assessment,
        from_status=Status.SUBMITTED,
        to_status=Status.RETURNED,
        by=qa_officer,
        reason="ระบุวันที่ประชุมให้ครบ",
    )
    for user in (staff, qa_officer):
        client.force_login(user)
        page = client.get(assessment.get_absolute_url()).content.decode()
        start = page.index('id="return-reason"')
        reason = page[start : start + 600]
        assert "ระบุวันที่ประชุมให้ครบ" in reason and _name(qa_officer) in reason
    client.force_login(outsider)
    assert client.get(assessment.get_absolute_url()).status_code == 404
    # Once submitted again it is no longer shown at the top (it stays in the history).
    set_status(assessment, Status.SUBMITTED)
    client.force_login(staff)
    assert 'id="return-reason"' not in client.get(assessment.get_absolute_url()).content.decode()


# --- Owners of one criterion ---------------------------------------------------------


def _result_url(assessment: Assessment) -> str:
    result = assessment.results.get(criterion__order=2)
    return reverse("indicators:result_owners", args=[result.pk])


def test_head_names_a_criterion_owner_and_it_counts_as_my_work(
    client: Client, head: User, staff: User, outsider: User, assessment: Assessment
) -> None:
    result = assessment.results.get(criterion__order=2)
    client.force_login(head)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert f'id="result-owners-{result.pk}-form"' in page
    response = client.post(_result_url(assessment), {"owners": [staff.pk]})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#criterion-{result.pk}")
    assert list(result.owners.all()) == [staff]
    assert not assessment.owners.exists()
    # Shown under the criterion, to everyone who reads the page.
    client.force_login(staff)
    page = client.get(assessment.get_absolute_url()).content.decode()
    start = page.index(f'id="criterion-{result.pk}-owners"')
    assert _name(staff) in page[start : start + 400]
    # And the staff member's "my work" puts the indicator among what they own.
    home = client.get(reverse("home")).content.decode()
    assert home.index('id="owned"') < home.index(f'href="{assessment.get_absolute_url()}"')
    # A stranger is refused; nothing changes.
    client.force_login(head)
    follow = client.post(_result_url(assessment), {"owners": [outsider.pk]}, follow=True)
    assert "เลือกได้เฉพาะบุคลากรของหน่วยงานนี้" in follow.content.decode()
    assert list(result.owners.all()) == [staff]


def test_staff_qa_officer_and_outsider_may_not_name_a_criterion_owner(
    client: Client, staff: User, qa_officer: User, outsider: User, assessment: Assessment
) -> None:
    for user, code in ((staff, 403), (qa_officer, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(_result_url(assessment), {"owners": [staff.pk]}).status_code == code
        if code == 403:
            assert (
                "result-owners-" not in client.get(assessment.get_absolute_url()).content.decode()
            )
    assert not assessment.results.filter(owners__isnull=False).exists()
