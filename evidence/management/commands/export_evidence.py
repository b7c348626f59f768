from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evidence.bundle import iter_bundle
from indicators.management.lookups import find_cycle, find_unit
from indicators.models import Cycle


class Command(BaseCommand):
    help = "Writes a unit's evidence for one cycle as a ZIP (files named by code, manifest, index)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Evidence prefix of the unit, e.g. สพ")
        parser.add_argument("--year", type=int, required=True, help="Buddhist-era year, e.g. 2563")
        parser.add_argument(
            "--cycle-kind", choices=Cycle.Kind.values, help="fiscal or academic (if both exist)"
        )
        parser.add_argument("--output", type=Path, required=True, help="The ZIP file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = find_unit(options["unit"])
        cycle = find_cycle(options["year"], options["cycle_kind"])
        output: Path = options["output"]
        # Written to a side file first, so a failure never leaves half a ZIP under the name.
        partial = output.with_name(output.name + ".part")
        size = 0
        try:
            with partial.open("wb") as handle:
                for chunk in iter_bundle(unit=unit, cycle=cycle):
                    handle.write(chunk)
                    size += len(chunk)
            partial.replace(output)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"เขียนไฟล์ {output} ไม่ได้: {error.strerror}") from None
        self.stdout.write(f"{output}: {size:,} ไบต์")
