"""Sign-in, the home page (my work) and the unit page, for the three personas."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from indicators.models import Assessment, AssessmentTransition, Cycle, Unit
from indicators.templatetags.kmt import thaidate
from tests.factories import (
    AssessmentFactory,
    CriterionResultFactory,
    CycleFactory,
    IndicatorFactory,
    MembershipFactory,
    UnitFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

Status = Assessment.Status


def test_home_needs_sign_in(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_thai(client: Client) -> None:
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "เข้าสู่ระบบ KM Tracker" in content
    assert "ชื่อผู้ใช้" in content and "รหัสผ่าน" in content


def test_wrong_password_is_refused_in_thai(client: Client, staff: User) -> None:
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_leads_home(client: Client, staff: User) -> None:
    response = client.post(reverse("login"), {"username": "alice", "password": "password"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_staff_home_lists_own_unit_with_progress(
    client: Client, staff: User, assessment: Assessment
) -> None:
    client.force_login(staff)
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "สำนักพิมพ์" in content
    assert assessment.get_absolute_url() in content
    assert "ตัวบ่งชี้ที่ 3 การพัฒนาหน่วยงานสู่องค์การการเรียนรู้" in content
    met = assessment.results.filter(met=True).count()
    assert f"{met}/5" in content
    assert f"{assessment.self_score:.2f}" in content
    assert str(assessment.quality_level.label) in content
    assert thaidate(assessment.updated_at) in content
    assert assessment.indicator.cycle.period_display in content


def test_home_shows_score_as_criteria_change(
    client: Client, staff: User, assessment: Assessment
) -> None:
    assessment.results.filter(criterion__order__gte=4).update(met=False)
    client.force_login(staff)
    content = client.get(reverse("home")).content.decode()
    assert "3/5" in content
    assert "3.00" in content and "พอใช้" in content


def test_outsider_home_hides_the_unit(
    client: Client, outsider: User, assessment: Assessment
) -> None:
    client.force_login(outsider)
    content = client.get(reverse("home")).content.decode()
    assert "สำนักบรรณสารสนเทศ" in content
    assert "สำนักพิมพ์" not in content
    assert assessment.get_absolute_url() not in content


def test_qa_officer_home_lists_every_unit(
    client: Client, qa_officer: User, outsider: User, assessment: Assessment
) -> None:
    client.force_login(qa_officer)
    content = client.get(reverse("home")).content.decode()
    assert "สำนักพิมพ์" in content and "สำนักบรรณสารสนเทศ" in content
    assert assessment.get_absolute_url() in content


def test_user_without_unit_is_told_what_to_do(
    client: Client, django_user_model: type[User]
) -> None:
    user = django_user_model.objects.create_user("lonely", password="x")
    client.force_login(user)
    assert "คุณยังไม่ได้เป็นบุคลากรของหน่วยงานใด" in client.get(reverse("home")).content.decode()


def test_home_queries_do_not_grow_with_units(
    client: Client,
    qa_officer: User,
    assessment: Assessment,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    cycle = assessment.indicator.cycle
    indicators = [IndicatorFactory(cycle=cycle, number=f"1.{k}") for k in range(1, 4)]
    for n in range(8):
        unit = UnitFactory()
        for indicator in indicators:
            other = AssessmentFactory(unit=unit, indicator=indicator)
            CriterionResultFactory.create_batch(3, assessment=other, met=n % 2 == 0)
    client.force_login(qa_officer)
    # 8 for the page, 3 for the pending items (to review, returned, open comments), 1 for
    # the navbar's unread notifications, 1 for the data version (fragments cache).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("home"))
    assert response.content.decode().count('class="list-group-item list-group-item-action"') == 25


def test_home_shows_only_the_current_cycle_once_the_old_one_is_approved(
    client: Client, staff: User, assessment: Assessment
) -> None:
    old = CycleFactory(year_be=2562)
    old_assessment = AssessmentFactory(unit=assessment.unit, indicator=IndicatorFactory(cycle=old))
    set_status(old_assessment, Status.APPROVED)
    assert Cycle.objects.current() == assessment.indicator.cycle
    client.force_login(staff)
    content = client.get(reverse("home")).content.decode()
    assert old_assessment.get_absolute_url() not in content
    assert assessment.get_absolute_url() in content


# --- The year still open ------------------------------------------------------------


def _link(assessment: Assessment) -> str:
    return f'href="{assessment.get_absolute_url()}"'


def _two_years(unit: Unit) -> tuple[Assessment, Assessment]:
    """2567 submitted, not yet approved; 2568 started (the newer, current cycle)."""
    cycle_2567, cycle_2568 = CycleFactory(year_be=2567), CycleFactory(year_be=2568)
    old = AssessmentFactory(unit=unit, indicator=IndicatorFactory(cycle=cycle_2567, number="3"))
    new = AssessmentFactory(unit=unit, indicator=IndicatorFactory(cycle=cycle_2568, number="3"))
    set_status(old, Status.SUBMITTED)
    return old, new


def test_staff_land_on_the_year_still_open(
    client: Client, staff: User, unit: Unit, qa_officer: User, outsider: User
) -> None:
    old, new = _two_years(unit)
    assert Cycle.objects.current() == new.indicator.cycle
    for user in (staff, qa_officer):
        client.force_login(user)
        content = client.get(reverse("home")).content.decode()
        assert _link(old) in content, user
        assert _link(new) not in content, user
        assert old.indicator.cycle.period_display in content
        # Both years are offered, the open one first, each saying its work is not done.
        switcher = content[content.index('id="cycle-switcher"') :]
        assert switcher.index('data-cycle="2567"') < switcher.index('data-cycle="2568"')
        assert "ยังไม่เสร็จ 1 ตัวบ่งชี้" in switcher
        # The other year is one click away.
        content = client.get(reverse("home"), {"cycle": new.indicator.cycle_id}).content.decode()
        assert _link(new) in content and _link(old) not in content
    client.force_login(outsider)
    content = client.get(reverse("home")).content.decode()
    assert _link(old) not in content and _link(new) not in content


def test_unit_page_lands_on_the_year_still_open(
    client: Client, staff: User, unit: Unit, qa_officer: User, outsider: User
) -> None:
    old, new = _two_years(unit)
    url = reverse("indicators:unit", args=[unit.pk])
    for user in (staff, qa_officer):
        client.force_login(user)
        content = client.get(url).content.decode()
        assert _link(old) in content and _link(new) not in content
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_once_approved_the_newer_year_comes_first(client: Client, staff: User, unit: Unit) -> None:
    old, new = _two_years(unit)
    set_status(old, Status.APPROVED)
    client.force_login(staff)
    content = client.get(reverse("home")).content.decode()
    assert _link(new) in content and _link(old) not in content
    switcher = content[content.index('id="cycle-switcher"') :]
    assert switcher.index('data-cycle="2568"') < switcher.index('data-cycle="2567"')
    assert "อนุมัติครบแล้ว" in switcher


def test_home_cycle_parameter_is_checked(client: Client, staff: User, unit: Unit) -> None:
    _two_years(unit)
    client.force_login(staff)
    assert client.get(reverse("home"), {"cycle": "x"}).status_code == 404
    assert client.get(reverse("home"), {"cycle": "99999999999999999999"}).status_code == 404
    assert client.get(reverse("home"), {"cycle": 999_999}).status_code == 404


# --- Owners on my work ---------------------------------------------------------------


def test_my_work_lists_what_i_own_first(
    client: Client, staff: User, head: User, qa_officer: User, outsider: User, unit: Unit
) -> None:
    cycle = CycleFactory(year_be=2563)
    mine = AssessmentFactory(unit=unit, indicator=IndicatorFactory(cycle=cycle, number="9"))
    theirs = AssessmentFactory(unit=unit, indicator=IndicatorFactory(cycle=cycle, number="1"))
    mine.owners.add(staff)
    theirs.owners.add(head)
    client.force_login(staff)
    content = client.get(reverse("home")).content.decode()
    owned = content.index('id="owned"')
    assert owned < content.index(mine.get_absolute_url()) < content.index(theirs.get_absolute_url())
    assert content.count(mine.get_absolute_url()) == 1
    assert f"ผู้ดูแล: {head.get_full_name() or head.username}" in content
    # The head owns the other one: for them the order is the other way round.
    client.force_login(head)
    content = client.get(reverse("home")).content.decode()
    assert content.index(theirs.get_absolute_url()) < content.index(mine.get_absolute_url())
    # A QA officer owns nothing: no such section; an outsider sees neither.
    client.force_login(qa_officer)
    assert 'id="owned"' not in client.get(reverse("home")).content.decode()
    client.force_login(outsider)
    content = client.get(reverse("home")).content.decode()
    assert mine.get_absolute_url() not in content and 'id="owned"' not in content


def test_return_reason_on_home(
    client: Client, staff: User, qa_officer: User, outsider: User, assessment: Assessment
) -> None:
    set_status(assessment, Status.RETURNED)
    AssessmentTransition.objects.create(
        assessment=assessment,
        from_status=Status.SUBMITTED,
        to_status=Status.RETURNED,
        by=qa_officer,
        reason="แนบคำสั่งแต่งตั้งคณะกรรมการด้วย",
    )
    client.force_login(staff)
    content = client.get(reverse("home")).content.decode()
    # In the list of the unit's work, and among what waits for me.
    assert content.count("แนบคำสั่งแต่งตั้งคณะกรรมการด้วย") == 2
    client.force_login(qa_officer)
    assert "แนบคำสั่งแต่งตั้งคณะกรรมการด้วย" in client.get(reverse("home")).content.decode()
    client.force_login(outsider)
    assert "แนบคำสั่งแต่งตั้ง" not in client.get(reverse("home")).content.decode()


# --- The unit page ----------------------------------------------------------------


def test_unit_page_for_staff_and_qa(
    client: Client, staff: User, qa_officer: User, assessment: Assessment
) -> None:
    for user in (staff, qa_officer):
        client.force_login(user)
        response = client.get(reverse("indicators:unit", args=[assessment.unit_id]))
        assert response.status_code == 200
        assert assessment.get_absolute_url() in response.content.decode()


def test_unit_page_hidden_from_outsider(
    client: Client, outsider: User, assessment: Assessment
) -> None:
    client.force_login(outsider)
    assert client.get(reverse("indicators:unit", args=[assessment.unit_id])).status_code == 404


def test_unit_page_other_cycle(
    client: Client,
    staff: User,
    assessment: Assessment,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    old = CycleFactory(year_be=2562)
    old_assessment = AssessmentFactory(unit=assessment.unit, indicator=IndicatorFactory(cycle=old))
    client.force_login(staff)
    url = reverse("indicators:unit", args=[assessment.unit_id])
    with django_assert_max_num_queries(8):
        content = client.get(url, {"cycle": old.pk}).content.decode()
    assert old_assessment.get_absolute_url() in content
    assert assessment.get_absolute_url() not in content
    assert old.period_display in content
    assert client.get(url, {"cycle": "x"}).status_code == 404
    assert client.get(url, {"cycle": 999_999}).status_code == 404


def test_head_sees_unit_like_staff(client: Client, head: User, assessment: Assessment) -> None:
    client.force_login(head)
    assert assessment.get_absolute_url() in client.get(reverse("home")).content.decode()


def test_membership_elsewhere_does_not_open_the_unit(
    client: Client, assessment: Assessment
) -> None:
    member = MembershipFactory().user
    client.force_login(member)
    assert client.get(reverse("indicators:unit", args=[assessment.unit_id])).status_code == 404


def test_home_shows_pending_items(client, assessment, staff, qa_officer) -> None:
    set_status(assessment, Status.SUBMITTED)
    client.force_login(qa_officer)
    html = client.get(reverse("home")).content.decode()
    assert 'id="pending"' in html and reverse("indicators:review", args=[assessment.pk]) in html
    client.force_login(staff)
    assert (
        reverse("indicators:review", args=[assessment.pk])
        not in client.get(reverse("home")).content.decode()
    )


def test_staff_home_queries_do_not_grow_with_owned_and_returned_work(
    client: Client,
    staff: User,
    head: User,
    qa_officer: User,
    unit: Unit,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    cycle, newer = CycleFactory(year_be=2563), CycleFactory(year_be=2564)
    client.force_login(staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries.captured_queries)

    AssessmentFactory(unit=unit, indicator=IndicatorFactory(cycle=cycle)).owners.add(staff)
    few = count()
    for n in range(15):
        for year in (cycle, newer):
            assessment = AssessmentFactory(unit=unit, indicator=IndicatorFactory(cycle=year))
            assessment.owners.add(staff if n % 2 else head)
            if n % 3 == 0:
                set_status(assessment, Status.RETURNED)
                AssessmentTransition.objects.create(
                    assessment=assessment,
                    from_status=Status.SUBMITTED,
                    to_status=Status.RETURNED,
                    by=qa_officer,
                    reason=f"เหตุผล {n}",
                )
    with django_assert_max_num_queries(few):
        content = client.get(reverse("home")).content.decode()
    assert content.count('class="list-group-item list-group-item-action"') == 16
    assert "เหตุผล 3" in content
    # Session, user, permissions, units, cycles, assessments, owners, three pending lists,
    # the navbar's unread notifications, the data version (fragments cache).
    assert few <= 12, few
