"""Who may do what, and why not: the one answer in indicators.access, for every
capability, persona and status, as views, templates and services ask it."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse

from indicators.access import (
    AssessmentAccess,
    Capability,
    Standing,
    assessment_access,
    can_see_all_units,
    get_assessment_for_user,
    get_criterion_result_for_user,
    get_unit_for_user,
    refusal,
    unit_access,
)
from indicators.locking import AssessmentLockedError
from indicators.models import Assessment, Membership
from tests.factories import (
    AssessmentFactory,
    CriterionResultFactory,
    MembershipFactory,
    QAAdminFactory,
    QAOfficerFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Assessment.Status
STATUSES = list(Status)
PERSONAS = ["staff", "head", "qa_officer", "qa_admin", "outsider"]
THAI = re.compile(r"[\u0e00-\u0e7f]")
MEMBERS = ("staff", "head")
QA = ("qa_officer", "qa_admin")
OPEN = (Status.DRAFT, Status.RETURNED)

# Who may do what, in which status; everything else is refused.
ALLOWED: dict[Capability, set[tuple[str, str]]] = {
    Capability.READ: {(p, s) for p in (*MEMBERS, *QA) for s in STATUSES},
    Capability.EDIT: {(p, s) for p in MEMBERS for s in OPEN},
    Capability.SUBMIT: {("head", s) for s in OPEN},
    Capability.REVIEW: {(p, Status.SUBMITTED) for p in QA},
    Capability.REOPEN: {("qa_admin", Status.APPROVED)},
    # Cycles, indicators and criteria: QA administrators, whatever any assessment's status.
    Capability.SET_UP: {("qa_admin", s) for s in STATUSES},
    Capability.SET_OWNERS: {(p, s) for p in ("head", "qa_admin") for s in STATUSES},
    # A SAR page from a Word file: what members may edit, and the administrator's too.
    Capability.IMPORT_SAR: {(p, s) for p in (*MEMBERS, "qa_admin") for s in OPEN},
}


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    """One unit's assessment and a user of each persona (charlie belongs to another unit)."""
    assessment = AssessmentFactory()
    unit = assessment.unit
    users = {
        "staff": MembershipFactory(unit=unit, role=Membership.Role.STAFF).user,
        "head": MembershipFactory(unit=unit, role=Membership.Role.HEAD).user,
        "qa_officer": QAOfficerFactory(),
        "qa_admin": QAAdminFactory(),
        "outsider": MembershipFactory(unit=UnitFactory()).user,
    }
    return SimpleNamespace(assessment=assessment, unit=unit, users=users)


def _access(world: SimpleNamespace, persona: str, status: str) -> AssessmentAccess:
    Assessment.objects.filter(pk=world.assessment.pk).update(status=status)
    world.assessment.refresh_from_db()
    return assessment_access(world.users[persona], world.assessment)


def _request(user: User) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("capability", list(Capability))
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_capability_for_every_persona_and_status(
    world: SimpleNamespace, persona: str, status: str, capability: Capability
) -> None:
    access = _access(world, persona, status)
    allowed = (persona, status) in ALLOWED[capability]
    refused = access.refusal(capability)
    assert (refused is None) == allowed
    assert getattr(access, f"can_{capability}") == allowed
    if allowed:
        assert access.why_not(capability) == ""
        return
    assert refused is not None
    assert THAI.search(refused.reason), refused.reason
    assert access.why_not(capability) == refused.reason
    # Refused for now (the status) if the persona may do it in another status, else for good.
    may_ever = any((persona, other) in ALLOWED[capability] for other in STATUSES)
    assert refused.for_now == may_ever
    assert (access.refusal(capability, any_status=True) is None) == may_ever


def test_each_refusal_has_its_own_thai_reason(world: SimpleNamespace) -> None:
    reasons: dict[tuple[Capability, str], set[str]] = {}
    for persona in PERSONAS:
        for status in STATUSES:
            access = _access(world, persona, status)
            for capability in Capability:
                refused = access.refusal(capability)
                if refused is not None:
                    reasons.setdefault((capability, refused.code), set()).add(refused.reason)
    assert set(reasons) == {
        (Capability.READ, "not_member"),
        (Capability.EDIT, "not_member"),
        (Capability.EDIT, "submitted"),
        (Capability.EDIT, "approved"),
        (Capability.SUBMIT, "not_head"),
        (Capability.SUBMIT, "not_editable"),
        (Capability.REVIEW, "not_qa_officer"),
        (Capability.REVIEW, "approved"),
        (Capability.REVIEW, "not_submitted"),
        (Capability.REOPEN, "not_qa_admin"),
        (Capability.REOPEN, "not_approved"),
        (Capability.SET_UP, "not_qa_admin"),
        (Capability.SET_OWNERS, "not_head_or_admin"),
        (Capability.IMPORT_SAR, "not_member_or_admin"),
        (Capability.IMPORT_SAR, "submitted"),
        (Capability.IMPORT_SAR, "approved"),
    }
    # An import into a submitted or approved SAR page is refused in the edit's own words.
    shared = {(Capability.IMPORT_SAR, code) for code in ("submitted", "approved")}
    for capability, code in shared:
        assert reasons[(capability, code)] == reasons[(Capability.EDIT, code)]
    texts = [text for key, found in reasons.items() if key not in shared for text in found]
    assert all(THAI.search(text) for text in texts)
    # No two refusals share a text (the ones naming the status differ by status only).
    stems = {re.sub(r"\(.*\)", "", text) for text in texts}
    assert len(stems) == len(reasons) - len(shared)


def test_refusals_name_the_status_they_are_for(world: SimpleNamespace) -> None:
    access = _access(world, "head", Status.SUBMITTED)
    assert "ส่งให้เจ้าหน้าที่ประกันคุณภาพแล้ว" in access.why_not_edit
    assert "ส่งแล้ว" in access.why_not(Capability.SUBMIT)
    access = _access(world, "qa_officer", Status.DRAFT)
    assert "ร่าง" in access.why_not(Capability.REVIEW)
    access = _access(world, "staff", Status.APPROVED)
    assert "ได้รับอนุมัติแล้ว" in access.why_not_edit


def test_services_get_permission_denied_for_who_and_validation_error_for_when(
    world: SimpleNamespace,
) -> None:
    access = _access(world, "staff", Status.DRAFT)
    with pytest.raises(PermissionDenied, match="หัวหน้าหน่วยงาน"):
        access.check(Capability.SUBMIT)
    access = _access(world, "head", Status.SUBMITTED)
    access.check(Capability.SUBMIT, any_status=True)
    with pytest.raises(ValidationError) as error:
        access.check(Capability.SUBMIT)
    assert error.value.code == "not_editable"
    # The answer follows the status as it is when asked (a service refreshes it under lock).
    world.assessment.status = Status.RETURNED
    access.check(Capability.SUBMIT)


def test_the_lock_refuses_with_the_same_reason_as_the_page(world: SimpleNamespace) -> None:
    access = _access(world, "staff", Status.SUBMITTED)
    member = Standing(Membership.Role.STAFF)
    locked = refusal(Capability.EDIT, member, status=Status.SUBMITTED)
    assert locked is not None
    assert str(AssessmentLockedError(locked.reason)) == access.why_not_edit


# --- The helpers views ask ----------------------------------------------------------------


@pytest.mark.parametrize("need", [None, *Capability])
def test_outsiders_get_404_whatever_they_ask(world: SimpleNamespace, need: Capability) -> None:
    request = _request(world.users["outsider"])
    with pytest.raises(Http404):
        get_assessment_for_user(request, world.assessment.pk, need=need)
    with pytest.raises(Http404):
        get_unit_for_user(request, world.unit.pk, need=need)


def test_a_view_asks_once_and_gets_the_object_with_what_the_user_may_do(
    world: SimpleNamespace,
) -> None:
    access = get_assessment_for_user(
        _request(world.users["head"]), world.assessment.pk, need=Capability.EDIT
    )
    assert access.assessment == world.assessment
    assert access.role == Membership.Role.HEAD
    assert (access.can_edit, access.can_submit, access.can_review) == (True, True, False)
    assert access.why_not_edit == ""


@pytest.mark.parametrize(
    ("persona", "status", "need"),
    [
        ("qa_officer", Status.DRAFT, Capability.EDIT),
        ("staff", Status.SUBMITTED, Capability.EDIT),
        ("staff", Status.DRAFT, Capability.SUBMIT),
        ("staff", Status.SUBMITTED, Capability.REVIEW),
        ("qa_officer", Status.APPROVED, Capability.REOPEN),
    ],
)
def test_a_refused_need_is_a_403_with_the_thai_reason(
    world: SimpleNamespace, persona: str, status: str, need: Capability
) -> None:
    reason = _access(world, persona, status).why_not(need)
    request = _request(world.users[persona])
    with pytest.raises(PermissionDenied) as refused:
        get_assessment_for_user(request, world.assessment.pk, need=need)
    assert str(refused.value) == reason and THAI.search(reason)


def test_any_status_asks_only_who_the_user_is(world: SimpleNamespace) -> None:
    """The review page opens for QA officers whatever the status, never for the unit."""
    result = CriterionResultFactory(assessment=world.assessment)
    qa = _request(world.users["qa_officer"])
    access = get_assessment_for_user(
        qa, world.assessment.pk, need=Capability.REVIEW, any_status=True
    )
    assert not access.can_review  # a draft: nothing to review yet
    found, access = get_criterion_result_for_user(
        qa, result.pk, need=Capability.REVIEW, any_status=True
    )
    assert found == result and found.assessment is access.assessment
    with pytest.raises(PermissionDenied):
        get_assessment_for_user(
            _request(world.users["staff"]),
            world.assessment.pk,
            need=Capability.REVIEW,
            any_status=True,
        )


@pytest.mark.parametrize(
    ("persona", "can_edit"),
    [("staff", True), ("head", True), ("qa_officer", False), ("qa_admin", False)],
)
def test_a_units_records(world: SimpleNamespace, persona: str, can_edit: bool) -> None:
    user = world.users[persona]
    access = get_unit_for_user(_request(user), world.unit.pk)
    assert access.unit == world.unit and access.can_read
    assert access.can_edit == can_edit
    if can_edit:
        assert access.why_not_edit == ""
        assert get_unit_for_user(_request(user), world.unit.pk, need=Capability.EDIT)
    else:
        assert "คุณเปิดดูได้อย่างเดียว" in access.why_not_edit
        with pytest.raises(PermissionDenied, match="คุณเปิดดูได้อย่างเดียว"):
            get_unit_for_user(_request(user), world.unit.pk, need=Capability.EDIT)


def test_anonymous_users_may_do_nothing(world: SimpleNamespace) -> None:
    anonymous = AnonymousUser()
    assert not unit_access(anonymous, world.unit).can_read
    access = assessment_access(anonymous, world.assessment)
    assert not any(access.refusal(capability) is None for capability in Capability)


# --- QA officers and administrators read every unit ----------------------------------------


def test_a_qa_administrator_reads_every_unit(client: Client, assessment: Assessment) -> None:
    administrator = UserFactory(username="dara")
    administrator.user_permissions.add(Permission.objects.get(codename="administer_qa"))
    assert can_see_all_units(administrator)
    client.force_login(administrator)
    assert client.get(assessment.get_absolute_url()).status_code == 200
    cycle = assessment.indicator.cycle
    assert client.get(reverse("indicators:dashboard_cycle", args=[cycle.pk])).status_code == 200


def test_plain_users_do_not(db: None) -> None:
    assert not can_see_all_units(UserFactory(username="erin"))
