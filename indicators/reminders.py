"""Reminders by e-mail, sent by ``manage.py send_reminders`` from cron once a day.

- The owners of an assessment still being written (draft or returned; with no owners,
  its unit's members) are reminded KMT_REMINDER_DAYS days before its submission
  deadline and on the day.
- QA officers are reminded of submitted assessments whose review deadline is that near,
  or has passed (every day until they are reviewed).

One e-mail per person and kind, listing the assessments. Each (person, assessment, kind,
day) is recorded in ReminderSent (unique) in the same transaction as the sending: a
second run on the same day sends nothing again, and a failed send records nothing.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .deadlines import WRITING, Deadline, deadline_of
from .mail import bilingual_mail
from .models import Assessment, ReminderSent
from .notifications import assessment_owners, qa_officers


@dataclass
class ReminderRun:
    day: datetime.date
    mails: int = 0
    reminders: int = 0
    skipped: int = 0  # already sent today
    recipients: list[str] = field(default_factory=list)


def reminder_days() -> list[int]:
    """Days before the deadline to remind on, and the day itself (0)."""
    days = {int(day) for day in getattr(settings, "KMT_REMINDER_DAYS", [7, 1]) if int(day) >= 0}
    return sorted(days | {0}, reverse=True)


def _due_for_submission(day: datetime.date) -> QuerySet[Assessment]:
    dates = [day + datetime.timedelta(days=n) for n in reminder_days()]
    return Assessment.objects.filter(status__in=WRITING).filter(
        Q(indicator__submission_deadline__in=dates)
        | Q(indicator__submission_deadline=None, indicator__cycle__submission_deadline__in=dates)
    )


def _due_for_review(day: datetime.date) -> QuerySet[Assessment]:
    last = day + datetime.timedelta(days=max(reminder_days()))
    return Assessment.objects.filter(status=Assessment.Status.SUBMITTED).filter(
        Q(indicator__review_deadline__lte=last)
        | Q(indicator__review_deadline=None, indicator__cycle__review_deadline__lte=last)
    )


def _absolute(path: str) -> str:
    return settings.KMT_BASE_URL.rstrip("/") + path


def _send(
    run: ReminderRun,
    *,
    user: User,
    kind: str,
    items: list[tuple[Assessment, Deadline]],
) -> None:
    """Records and mails one person's reminders of one kind, leaving out the ones
    already sent today; all or nothing."""
    sent = set(
        ReminderSent.objects.filter(
            recipient=user, kind=kind, day=run.day, assessment__in=[a for a, _ in items]
        ).values_list("assessment_id", flat=True)
    )
    fresh = [(a, d) for a, d in items if a.pk not in sent]
    run.skipped += len(items) - len(fresh)
    if not fresh:
        return
    review = kind == ReminderSent.Kind.REVIEW
    rows = [
        {
            "assessment": assessment,
            "deadline": deadline,
            "url": _absolute(
                reverse(
                    "indicators:review" if review else "indicators:assessment", args=[assessment.pk]
                )
            ),
        }
        for assessment, deadline in fresh
    ]
    if review:
        subject = gettext_lazy("[KM Tracker] ผลการประเมินที่ใกล้ครบกำหนดตรวจ %(count)d รายการ")
    else:
        subject = gettext_lazy("[KM Tracker] ตัวบ่งชี้ที่ใกล้ครบกำหนดส่ง %(count)d รายการ")
    subject_text, body = bilingual_mail(
        subject=subject,
        subject_values={"count": len(rows)},
        template=f"indicators/email/reminder_{kind}.txt",
        context={"user": user, "rows": rows},
    )
    try:
        with transaction.atomic():
            ReminderSent.objects.bulk_create(
                ReminderSent(recipient=user, assessment=a, kind=kind, day=run.day) for a, _ in fresh
            )
            message = EmailMessage(subject=subject_text, body=body, to=[user.email])
            get_connection().send_messages([message])
    except IntegrityError:
        # Another run sent them meanwhile.
        run.skipped += len(fresh)
        return
    run.mails += 1
    run.reminders += len(fresh)
    run.recipients.append(user.email)


def reminders_send(*, day: datetime.date | None = None) -> ReminderRun:
    """Sends today's reminders that were not sent yet today (see the module)."""
    run = ReminderRun(day=day or timezone.localdate())
    related = ("unit", "indicator__cycle")
    by_owner: dict[User, list[tuple[Assessment, Deadline]]] = defaultdict(list)
    for assessment in _due_for_submission(run.day).select_related(*related):
        deadline = deadline_of(assessment, on=run.day)
        if deadline is None:
            continue
        for user in assessment_owners(assessment):
            if user.email:
                by_owner[user].append((assessment, deadline))
    for user, items in by_owner.items():
        _send(run, user=user, kind=ReminderSent.Kind.SUBMISSION, items=items)

    reviews = []
    days = reminder_days()
    for assessment in (
        _due_for_review(run.day)
        .select_related(*related)
        .order_by("indicator__cycle", "unit__name", "indicator__sort_key")
    ):
        deadline = deadline_of(assessment, on=run.day)
        # Near (the reminder days, the day itself) or passed: every day until reviewed.
        if deadline is not None and (deadline.overdue or deadline.days_left in days):
            reviews.append((assessment, deadline))
    if reviews:
        for user in qa_officers():
            if user.email:
                _send(run, user=user, kind=ReminderSent.Kind.REVIEW, items=reviews)
    return run
