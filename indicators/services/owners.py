"""Who keeps an indicator, or one of its criteria, in a unit (ผู้ดูแลตัวบ่งชี้): named by
the unit's head or the QA administrator, among the unit's own members."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.access import Capability, assessment_access
from indicators.models import Assessment, CriterionResult, Membership


def _members_only(assessment: Assessment, owners: list[User]) -> None:
    members = set(
        Membership.objects.filter(unit_id=assessment.unit_id, user__in=owners).values_list(
            "user_id", flat=True
        )
    )
    strangers = [user for user in owners if user.pk not in members]
    if strangers:
        names = ", ".join(user.get_full_name() or user.username for user in strangers)
        raise ValidationError(
            _("ผู้ดูแลตัวบ่งชี้ต้องเป็นบุคลากรของ%(unit)s: %(names)s ไม่ได้เป็นบุคลากรของหน่วยงานนี้")
            % {"unit": assessment.unit, "names": names},
            code="not_member",
        )


def assessment_set_owners(*, assessment: Assessment, owners: Iterable[User], by: User) -> None:
    """Makes ``owners`` the assessment's owners, whatever its status; refuses anyone who
    is not a member of the assessment's unit (ValidationError, nothing written)."""
    assessment_access(by, assessment).check(Capability.SET_OWNERS)
    owners = list(owners)
    with transaction.atomic():
        _members_only(assessment, owners)
        assessment.owners.set(owners)


def criterion_result_set_owners(
    *, result: CriterionResult, owners: Iterable[User], by: User
) -> None:
    """The same for one criterion of the assessment (who writes which item)."""
    assessment = result.assessment
    assessment_access(by, assessment).check(Capability.SET_OWNERS)
    owners = list(owners)
    with transaction.atomic():
        _members_only(assessment, owners)
        result.owners.set(owners)
