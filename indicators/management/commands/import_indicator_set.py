from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.management.lookups import find_cycle
from indicators.models import Cycle
from indicators.services.indicator_sets.imports import indicator_set_import, indicator_set_preview
from indicators.sheets import MAX_BYTES, SheetError


class Command(BaseCommand):
    help = (
        "Imports a cycle's indicators and criteria from an Excel sheet (the template of "
        "the page /cycles/<pk>/indicators/import/). All or nothing; running it again "
        "changes nothing. A fiscal cycle that does not exist yet is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, required=True, help="Buddhist-era year, e.g. 2567")
        parser.add_argument("--cycle-kind", choices=Cycle.Kind.values, default=None)
        parser.add_argument("--dry-run", action="store_true", help="Only say what would change")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        data = read_file(path)
        year, kind = options["year"], options["cycle_kind"]
        if (kind in (None, Cycle.Kind.FISCAL)) and not Cycle.objects.filter(year_be=year).exists():
            if options["dry_run"]:
                raise CommandError(f"ไม่พบรอบปี {year}")
            start, end = Cycle.fiscal_dates(year)
            Cycle.objects.create(
                kind=Cycle.Kind.FISCAL, year_be=year, start_date=start, end_date=end
            )
            self.stdout.write(f"สร้างรอบปีงบประมาณ {year}")
        cycle = find_cycle(year, kind)
        run = indicator_set_preview if options["dry_run"] else indicator_set_import
        try:
            plan = run(cycle=cycle, data=data)
        except SheetError as error:
            raise CommandError(sheet_error_text(path, error)) from None
        for planned in plan.indicators:
            self.stdout.write(
                f"ตัวบ่งชี้ที่ {planned.number}: {planned.action} ({len(planned.criteria)} เกณฑ์)"
            )
        counts = plan.counts
        self.stdout.write(
            f"{cycle}: สร้าง {counts['create']}, แก้ไข {counts['update']}, "
            f"คงเดิม {counts['unchanged']} ตัวบ่งชี้"
            + (" (ทดลอง ไม่ได้บันทึก)" if options["dry_run"] else "")
        )


def read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path}: ไฟล์ใหญ่เกิน {MAX_BYTES // 1024 // 1024} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"ไม่พบไฟล์ {path}") from None
    except OSError as error:
        raise CommandError(f"{path}: อ่านไม่ได้ ({error.strerror})") from None


def sheet_error_text(path: Path, error: SheetError) -> str:
    lines = [f"{path}: {error.message}", *(f"  {row}" for row in error.errors)]
    return "\n".join(lines)
