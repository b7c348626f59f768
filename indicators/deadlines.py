"""What is due and what is overdue: an assessment's submission deadline (while the unit
still writes it) or review deadline (while the QA office reviews it), the indicator's
own date first, else its cycle's."""

import datetime
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Assessment, Cycle
from .thaidates import THAI_MONTHS_SHORT, be_year, localized_date

WRITING = (Assessment.Status.DRAFT, Assessment.Status.RETURNED)


@dataclass(frozen=True)
class Deadline:
    day: datetime.date
    review: bool  # the QA office's review deadline, not the unit's submission one
    days_left: int  # negative: overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def soon(self) -> bool:
        return 0 <= self.days_left <= 7

    @property
    def label(self) -> str:
        """'ครบกำหนดส่ง 15 ธ.ค. 2567', 'เลยกำหนด 3 วัน'."""
        if self.overdue:
            late = -self.days_left
            if self.review:
                return ngettext("เลยกำหนดตรวจ %(days)d วัน", "เลยกำหนดตรวจ %(days)d วัน", late) % {
                    "days": late
                }
            return ngettext("เลยกำหนด %(days)d วัน", "เลยกำหนด %(days)d วัน", late) % {"days": late}
        day = _date_text(self.day)
        if self.review:
            return _("ครบกำหนดตรวจ %(date)s") % {"date": day}
        return _("ครบกำหนดส่ง %(date)s") % {"date": day}


def _date_text(day: datetime.date) -> str:
    """'15 ธ.ค. 2567': the short month with the full Buddhist year (English: '15 Dec 2567')."""
    if (translation.get_language() or "th").startswith("th"):
        return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {be_year(day)}"
    return localized_date(day, short=True)


def today() -> datetime.date:
    return timezone.localdate()


def deadline_of(
    assessment: Assessment, *, cycle: Cycle | None = None, on: datetime.date | None = None
) -> Deadline | None:
    """The deadline that matters for the assessment now, or None (approved, or no date
    set). ``cycle``: the assessment's cycle when the caller has it (saves a query)."""
    indicator = assessment.indicator
    cycle = cycle if cycle is not None else indicator.cycle
    if assessment.status in WRITING:
        day, review = indicator.submission_deadline or cycle.submission_deadline, False
    elif assessment.status == Assessment.Status.SUBMITTED:
        day, review = indicator.review_deadline or cycle.review_deadline, True
    else:
        return None
    if day is None:
        return None
    return Deadline(day=day, review=review, days_left=(day - (on or today())).days)
