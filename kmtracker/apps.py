from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class KmTrackerConfig(AppConfig):
    """The site itself: no models, only what ties the apps together at start-up."""

    name = "kmtracker"
    verbose_name = "KM Tracker"

    def ready(self) -> None:
        from indicators.reports import sections

        # Connects the receivers that log failed and refused logins.
        from . import security  # noqa: F401

        # The annual SAR's sections are laid out again as their data changes.
        sections.connect()

        # Django does not create it; an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE
        # would fail without it.
        if settings.FILE_UPLOAD_TEMP_DIR:
            Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
