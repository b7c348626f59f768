from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("ตัวบ่งชี้และการประเมิน")

    def ready(self) -> None:
        # Receivers connect on import, which needs the app registry ready: hence here.
        from django.db.backends.signals import connection_created

        from . import data_version, signals  # noqa: F401

        connection_created.connect(data_version.install, dispatch_uid="kmt-data-version")
