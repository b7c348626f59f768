from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("ตัวบ่งชี้และการประเมิน")

    def ready(self) -> None:
        from . import signals  # noqa: F401
