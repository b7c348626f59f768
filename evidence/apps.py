from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("หลักฐานและบันทึกการดำเนินงาน")

    def ready(self) -> None:
        # Receivers connect on import, which needs the app registry ready: hence here.
        from . import signals  # noqa: F401
