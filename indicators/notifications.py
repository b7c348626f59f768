"""E-mails sent when an assessment moves, and the pending items each user sees.

Mails go out only once the transition is committed (the services register these
with ``transaction.on_commit``), one message per person so that nobody sees the
others' addresses.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy

from evidence.models import ReviewComment, open_comment_count

from .access import can_see_all_units
from .mail import bilingual_mail
from .models import Assessment, AssessmentTransition, CriterionResult, Membership, Notification


def _absolute(path: str) -> str:
    return settings.KMT_BASE_URL.rstrip("/") + path


def qa_officers() -> list[User]:
    users = get_user_model().objects.filter(is_active=True)
    return list(
        users.filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="review_assessment")
            | Q(groups__permissions__codename="review_assessment")
        ).distinct()
    )


def unit_members(assessment: Assessment) -> list[User]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, memberships__unit=assessment.unit)
        .distinct()
    )


def assessment_owners(assessment: Assessment) -> list[User]:
    """Who keeps the assessment: its owners and its criteria's owners; when it has none,
    every member (staff and head) of its unit."""
    users = get_user_model().objects.filter(is_active=True)
    criterion_owners = CriterionResult.owners.through.objects.filter(
        criterionresult__assessment=assessment
    ).values("user_id")
    owners = list(
        users.filter(Q(owned_assessments=assessment) | Q(pk__in=criterion_owners)).distinct()
    )
    return owners or unit_members(assessment)


def record_notifications(
    *, assessment: Assessment, kind: str, by: User | None, text: str = ""
) -> list[Notification]:
    """The in-app notice of an event on the assessment, for each of its owners (or its
    unit's members) but the one who caused it. Called inside the event's transaction."""
    recipients = [user for user in assessment_owners(assessment) if by is None or user != by]
    return Notification.objects.bulk_create(
        Notification(recipient=user, assessment=assessment, kind=kind, text=text)
        for user in recipients
    )


def _notify(
    transition: AssessmentTransition,
    *,
    recipients: Iterable[User],
    subject: StrPromise,
    template: str,
) -> int:
    """One message per person, so that nobody sees the others' addresses; in Thai, then
    in English (indicators/mail.py), whatever the sender's language."""
    addresses = sorted({user.email for user in recipients if user.email})
    if not addresses:
        return 0
    assessment = transition.assessment
    context = {
        "transition": transition,
        "assessment": assessment,
        "review_url": _absolute(reverse("indicators:review", args=[assessment.pk])),
        "history_url": _absolute(reverse("indicators:history", args=[assessment.pk])),
    }
    names = {"unit": assessment.unit.name, "number": assessment.indicator.number}
    subject_text, body = bilingual_mail(
        subject=subject,
        subject_values=names,
        template=f"indicators/email/{template}.txt",
        context=context,
    )
    messages = [EmailMessage(subject=subject_text, body=body, to=[a]) for a in addresses]
    return get_connection().send_messages(messages) or 0


def notify_submitted(*, transition: AssessmentTransition) -> int:
    subject = gettext_lazy("[KM Tracker] %(unit)s ส่งผลการประเมินตัวบ่งชี้ที่ %(number)s รอตรวจ")
    return _notify(transition, recipients=qa_officers(), subject=subject, template="submitted")


def notify_returned(*, transition: AssessmentTransition) -> int:
    subject = gettext_lazy("[KM Tracker] ตัวบ่งชี้ที่ %(number)s ถูกส่งกลับให้แก้ไข")
    members = unit_members(transition.assessment)
    return _notify(transition, recipients=members, subject=subject, template="returned")


def notify_approved(*, transition: AssessmentTransition) -> int:
    subject = gettext_lazy("[KM Tracker] ตัวบ่งชี้ที่ %(number)s ได้รับการอนุมัติแล้ว")
    members = unit_members(transition.assessment)
    return _notify(transition, recipients=members, subject=subject, template="approved")


@dataclass
class PendingItems:
    """What waits for a user: assessments to review, to fix, comments to answer."""

    to_review: list[Assessment] = field(default_factory=list)
    returned: list[Assessment] = field(default_factory=list)
    open_comments: list[ReviewComment] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.to_review) + len(self.returned) + len(self.open_comments)


def pending_items_for(user: User | AnonymousUser) -> PendingItems:
    """QA officers: submitted assessments waiting; unit members: returned ones and open
    comments on their units' assessments (three queries at most, each with as few joins
    as the lists need: planning a dozen joins cost PostgreSQL more than running them)."""
    pending = PendingItems()
    if not user.is_authenticated:
        return pending
    related = ("unit", "indicator__cycle")
    if can_see_all_units(user):
        pending.to_review = list(
            Assessment.objects.filter(status=Assessment.Status.SUBMITTED)
            .select_related(*related)
            .defer("strengths", "improvements")
            .annotate(open_comments=open_comment_count())
            .order_by("updated_at")
        )
    # A user is a member of a unit once (membership_unique_user_unit): no duplicates.
    mine = Assessment.objects.filter(unit__in=Membership.objects.filter(user=user).values("unit"))
    pending.returned = list(
        mine.filter(status=Assessment.Status.RETURNED)
        .select_related(*related)
        .defer("strengths", "improvements")
        .with_return_reason()
    )
    comments = (
        ReviewComment.objects.filter(
            assessment__in=mine.filter(status__in=Assessment.EDITABLE_STATUSES).values("pk"),
            resolved_at=None,
            reply="",
        )
        .select_related(
            "assessment__unit",
            "assessment__indicator",
            "criterion_result__criterion",
            "evidence_item__result__criterion",
        )
        .order_by("created_at")
    )
    for comment in comments:
        result = comment.evidence_item.result if comment.evidence_item else None
        if result is not None and result.assessment_id == comment.assessment_id:
            # The item's code needs its assessment's unit and indicator: the comment's.
            result.assessment = comment.assessment
        pending.open_comments.append(comment)
    return pending
