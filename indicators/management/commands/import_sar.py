from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.models import Cycle
from indicators.sar_text import SarFormatError
from indicators.services.sar_import import sar_import


class Command(BaseCommand):
    help = "Imports one SAR indicator page saved as plain text (the seed's layout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--unit-prefix", required=True, help="Evidence prefix, e.g. สพ")
        parser.add_argument("--unit-name", required=True)
        parser.add_argument("--year", type=int, required=True, help="Buddhist-era year, e.g. 2563")
        parser.add_argument("--cycle-kind", choices=Cycle.Kind.values, default=Cycle.Kind.FISCAL)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"ไม่พบไฟล์ {path}") from None
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path}: อ่านไม่ได้ ต้องเป็นไฟล์ข้อความ UTF-8 (ไบต์ที่ {error.start})"
            ) from None
        try:
            report = sar_import(
                text=text,
                unit_prefix=options["unit_prefix"],
                unit_name=options["unit_name"],
                year_be=options["year"],
                cycle_kind=options["cycle_kind"],
            )
        except SarFormatError as error:
            raise CommandError(f"{path}: {error} — ไม่ได้บันทึกข้อมูลใด ๆ") from None
        assessment = report.assessment
        items = sum(result.evidence_items.count() for result in assessment.results.all())
        self.stdout.write(
            f"{assessment}: {assessment.results.count()} เกณฑ์, {items} หลักฐาน "
            f"(สร้าง {report.counts['created']}, แก้ไข {report.counts['updated']}, "
            f"คงเดิม {report.counts['unchanged']})"
        )
