"""Who django-simple-history credits with a change, and why it was made."""

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def set_history_user(instance: models.Model, user: "User | None") -> None:
    """Credit the history row of the instance's next save to the user.

    Inside a request simple-history takes the request's user; a service names the
    user itself, so the row is right outside a request too (commands, tasks, tests).
    simple-history reads it from the instance's ``_history_user`` attribute, which
    models do not declare: this is the one place that writes it.
    """
    setattr(instance, "_history_user", user)  # noqa: B010 - undeclared: typed by this function


def set_change_reason(instance: models.Model, reason: str) -> None:
    """Record why the instance's next save was made, on its history row.

    simple-history reads it from ``_change_reason``, undeclared like ``_history_user``.
    """
    setattr(instance, "_change_reason", reason)  # noqa: B010 - undeclared: typed by this function
