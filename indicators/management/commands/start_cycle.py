from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.models import Cycle
from indicators.services.cycles import cycle_start_from


class Command(BaseCommand):
    help = (
        "Starts a new cycle from an earlier one: copies indicators, criteria and scoring "
        "rules, and carries each unit's narratives over as drafts (เริ่มรอบปีใหม่)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", type=int, required=True, help="e.g. 2563")
        parser.add_argument("--to", dest="target", type=int, required=True, help="e.g. 2564")
        parser.add_argument("--kind", choices=Cycle.Kind.values, default=Cycle.Kind.FISCAL)

    def handle(self, *args: Any, **options: Any) -> None:
        source = Cycle.objects.filter(kind=options["kind"], year_be=options["source"]).first()
        if source is None:
            raise CommandError(
                f"ไม่พบรอบปี {options['kind']} {options['source']} (no such source cycle)"
            )
        try:
            report = cycle_start_from(source=source, year_be=options["target"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        counts = report.counts
        if not report.changed:
            self.stdout.write(f"{report.cycle}: มีครบแล้ว ไม่มีการเปลี่ยนแปลง (nothing to do)")
            return
        self.stdout.write(
            f"{report.cycle}: ตัวบ่งชี้ {counts['indicators']} เกณฑ์ {counts['criteria']} "
            f"ผลการประเมิน {counts['assessments']} ผลตามเกณฑ์ {counts['results']} "
            f"หลักฐานรอยืนยัน {counts['items']} "
            f"(created: {counts['indicators']} indicators, {counts['criteria']} criteria, "
            f"{counts['assessments']} assessments, {counts['results']} results, "
            f"{counts['items']} evidence placeholders)"
        )
