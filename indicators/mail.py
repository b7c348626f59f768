"""Workflow mails and reminders in both of the site's languages, Thai first.

The app does not know which language each reader prefers (it is a choice of the
browser, not of the account), and a mail read on a phone should not need a setting:
so a notification carries the Thai text and then the English one, each rendered from
the same template under its own language, and its subject names both.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

SUBJECT_PREFIX = "[KM Tracker] "
SEPARATOR = "-" * 40


def languages() -> list[str]:
    """The site's languages, its default (Thai) first."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [settings.LANGUAGE_CODE, *(code for code in codes if code != settings.LANGUAGE_CODE)]


def bilingual_mail(
    *,
    subject: Promise,
    subject_values: Mapping[str, object],
    template: str,
    context: Mapping[str, Any],
) -> tuple[str, str]:
    """The subject and body, each language's text in turn: ``subject`` is a lazy
    gettext string with %(name)s placeholders, ``template`` a plain-text template."""
    subjects: list[str] = []
    bodies: list[str] = []
    for language in languages():
        with translation.override(language):
            text = str(subject) % subject_values
            subjects.append(text if not subjects else text.removeprefix(SUBJECT_PREFIX))
            bodies.append(render_to_string(template, dict(context)).strip())
    return " / ".join(subjects), f"\n\n{SEPARATOR}\n\n".join(bodies) + "\n"
