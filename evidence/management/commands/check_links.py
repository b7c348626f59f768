from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from evidence.checks import check_links
from evidence.models import EvidenceItem


class Command(BaseCommand):
    help = "Checks every evidence link and stores whether it still opens (ตรวจลิงก์หลักฐาน)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="only this unit's evidence prefix, e.g. สพ")
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds per link")

    def handle(self, *args: Any, **options: Any) -> None:
        items = EvidenceItem.objects.all()
        if options["unit"]:
            items = items.filter(result__assessment__unit__evidence_prefix=options["unit"])
        counts = check_links(items, timeout=options["timeout"])
        self.stdout.write(
            f"ตรวจลิงก์แล้ว: เปิดได้ {counts['ok']} เปิดไม่ได้ {counts['broken']} "
            f"(links checked: {counts['ok']} ok, {counts['broken']} broken)"
        )
