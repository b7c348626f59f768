from typing import Any

import fontpkg_sarabun
from django.conf import settings
from django.core.management.base import BaseCommand

from kmtracker.webfonts import build_webfonts


class Command(BaseCommand):
    help = "Makes the web pages' Sarabun WOFF2 files from the package's TTF (KMT_WEBFONTS_DIR)."
    # Runs before the static files it makes exist: the staticfiles check would warn.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        written = build_webfonts(source=fontpkg_sarabun.ROOT, target=settings.KMT_WEBFONTS_DIR)
        if options["verbosity"] > 0:
            for path in written:
                self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
