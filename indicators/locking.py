"""The lock on an assessment that every write to a unit's SAR takes, once, inside its
transaction (as pretix's ``locking.py`` does for an event).

The row lock serialises writers of one assessment: two uploads cannot take the same
evidence number, and nothing is written to a SAR that was submitted or approved while
the page was open.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from .access import Capability, Standing, refusal
from .models import Assessment, Membership

_Row = TypeVar("_Row", bound=models.Model)


class StaleEditError(Exception, Generic[_Row]):
    """Someone saved the same text since this user opened it: their save is refused.

    ``current`` is the row as it is now, so the page can show both versions (an
    ``except`` clause cannot name the row's type: the view annotates it).
    """

    def __init__(self, current: _Row) -> None:
        super().__init__("stale edit")
        self.current = current


class AssessmentLockedError(Exception):
    """The assessment was submitted or approved while the user was editing; the message
    is the Thai reason a member is refused an edit in that status."""


@contextmanager
def assessment_lock(assessment_id: int, *, editable: bool = True) -> Iterator[Assessment]:
    """Locks the assessment's row until the surrounding transaction ends and yields it
    as it is now. With ``editable`` (the default, for the unit's edits) it refuses with
    AssessmentLockedError once the assessment is submitted or approved; the workflow
    passes ``editable=False`` to move it whatever its status.
    """
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction the lock would be released at once and protect nothing.
        raise RuntimeError("assessment_lock() must be used inside transaction.atomic()")
    assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
    if editable:
        # The unit's own writes: who may write was asked when the page was opened; what
        # is left to ask is the status, as it is now.
        member = Standing(Membership.Role.STAFF)
        refused = refusal(Capability.EDIT, member, status=assessment.status)
        if refused is not None:
            raise AssessmentLockedError(refused.reason)
    yield assessment


@contextmanager
def refused_if_locked() -> Iterator[None]:
    """For views: an assessment locked after the page loaded gets the same Thai refusal
    (403) that the access helpers give when it is already locked at page load."""
    try:
        yield
    except AssessmentLockedError as locked:
        raise PermissionDenied(str(locked)) from locked
