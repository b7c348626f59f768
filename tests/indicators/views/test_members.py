"""A unit's members page: add an existing user, change a role, remove; QA admin only."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from indicators.models import Membership, Unit
from tests.factories import MembershipFactory, QAAdminFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa_admin(db: None) -> User:
    return QAAdminFactory(username="dora")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_the_qa_admin_manages_members(
    client: Client, unit: Unit, staff: User, head: User, qa_officer: User, outsider: User,
    qa_admin: User,
) -> None:  # fmt: skip
    membership = Membership.objects.get(user=staff)
    page = reverse("indicators:unit_members", args=[unit.pk])
    role = reverse("indicators:membership_role", args=[membership.pk])
    remove = reverse("indicators:membership_remove", args=[membership.pk])
    assert client.get(page).status_code == 302
    for user in (staff, head, qa_officer, outsider):
        other = signed_in(user)
        assert other.get(page).status_code == 403
        assert other.post(page, {"email": "charlie", "role": "head"}).status_code == 403
        assert other.post(role, {"role": "head"}).status_code == 403
        assert other.post(remove).status_code == 403
    assert Membership.objects.filter(unit=unit).count() == 2
    assert Membership.objects.get(pk=membership.pk).role == "staff"
    text = signed_in(qa_admin).get(page).content.decode()
    assert "alice" in text and "hana" in text and role in text and remove in text


def test_add_change_role_and_remove(unit: Unit, staff: User, qa_admin: User) -> None:
    client = signed_in(qa_admin)
    page = reverse("indicators:unit_members", args=[unit.pk])
    newcomer = UserFactory(username="eve", email="eve@example.ac.th")
    answer = client.post(page, {"email": "eve@example.ac.th", "role": "head"})
    assert answer.status_code == 302
    added = Membership.objects.get(user=newcomer, unit=unit)
    assert added.role == Membership.Role.HEAD
    answer = client.post(page, {"email": "nobody@example.ac.th", "role": "staff"})
    assert answer.status_code == 200 and "ไม่พบผู้ใช้" in answer.content.decode()
    answer = client.post(page, {"email": "eve", "role": "staff"})
    assert "เป็นสมาชิกของหน่วยงานอยู่แล้ว" in answer.content.decode()
    client.post(reverse("indicators:membership_role", args=[added.pk]), {"role": "staff"})
    assert Membership.objects.get(pk=added.pk).role == Membership.Role.STAFF
    answer = client.post(
        reverse("indicators:membership_role", args=[added.pk]), {"role": "owner"}, follow=True
    )
    assert "บทบาทไม่ถูกต้อง" in answer.content.decode()
    assert Membership.objects.get(pk=added.pk).role == Membership.Role.STAFF
    client.post(reverse("indicators:membership_remove", args=[added.pk]))
    assert not Membership.objects.filter(pk=added.pk).exists()
    assert Membership.objects.filter(user=staff, unit=unit).exists()


def test_the_lists_take_a_bounded_number_of_queries(
    qa_admin: User, django_assert_max_num_queries: Any
) -> None:
    units = [UnitFactory() for _ in range(8)]
    for unit in units:
        for _ in range(15 if unit == units[0] else 3):
            MembershipFactory(unit=unit, user=UserFactory())
    client = signed_in(qa_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("indicators:accounts_import")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("indicators:unit_members", args=[units[0].pk])).status_code == 200


def test_a_member_without_password_gets_a_new_link(
    unit: Unit, staff: User, head: User, qa_admin: User
) -> None:
    staff.set_unusable_password()
    staff.save()
    membership = Membership.objects.get(user=staff)
    invite = reverse("indicators:membership_invite", args=[membership.pk])
    assert signed_in(head).post(invite).status_code == 403 and mail.outbox == []
    client = signed_in(qa_admin)
    page = client.get(reverse("indicators:unit_members", args=[unit.pk])).content.decode()
    assert invite in page and "ยังไม่ได้ตั้งรหัสผ่าน" in page
    assert (
        reverse("indicators:membership_invite", args=[Membership.objects.get(user=head).pk])
        not in page
    )
    answer = client.post(invite, follow=True)
    assert f"ส่งลิงก์ตั้งรหัสผ่านไปที่ {staff.email} แล้ว" in answer.content.decode()
    assert [m.to for m in mail.outbox] == [[staff.email]] and "/accounts/reset/" in mail.outbox[
        0
    ].body
