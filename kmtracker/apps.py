from django.apps import AppConfig


class KmTrackerConfig(AppConfig):
    """The site itself: no models, only what ties the apps together at start-up."""

    name = "kmtracker"
    verbose_name = "KM Tracker"

    def ready(self) -> None:
        # Connects the receivers that log failed and refused logins.
        from . import security  # noqa: F401
