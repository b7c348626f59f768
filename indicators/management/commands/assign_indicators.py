from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from indicators.management.lookups import find_cycle
from indicators.models import Cycle, Unit
from indicators.services.assignments import assignments_add


class Command(BaseCommand):
    help = (
        "Assigns a cycle's indicators to units: creates each assessment with every criterion "
        "result; what is assigned already is left alone (มอบหมายตัวบ่งชี้ให้หน่วยงาน)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="ปี พ.ศ. เช่น 2567")
        parser.add_argument("--cycle-kind", choices=Cycle.Kind.values)
        units = parser.add_mutually_exclusive_group(required=True)
        units.add_argument("--all-units", action="store_true", help="ทุกหน่วยงาน")
        units.add_argument(
            "--unit", action="append", metavar="NAME", help="ชื่อหรืออักษรย่อของหน่วยงาน (ซ้ำได้)"
        )
        parser.add_argument(
            "--indicator",
            action="append",
            metavar="N",
            help="เลขตัวบ่งชี้ เช่น 3 หรือ 1.1 (ซ้ำได้; ไม่ระบุ = ทุกตัวบ่งชี้ของรอบปี)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = find_cycle(options["year"], options["cycle_kind"])
        if options["all_units"]:
            units = list(Unit.objects.order_by("name"))
        else:
            units = []
            for name in options["unit"]:
                unit = Unit.objects.filter(Q(name=name) | Q(evidence_prefix=name)).first()
                if unit is None:
                    raise CommandError(f"ไม่พบหน่วยงาน {name} (no such unit)")
                units.append(unit)
        indicators = list(cycle.indicators.order_by("sort_key"))
        if options["indicator"]:
            by_number = {indicator.number: indicator for indicator in indicators}
            missing = [n for n in options["indicator"] if n not in by_number]
            if missing:
                raise CommandError(
                    f"รอบปี {cycle} ไม่มีตัวบ่งชี้ที่ {', '.join(missing)} (no such indicator)"
                )
            indicators = [by_number[n] for n in dict.fromkeys(options["indicator"])]
        if not units or not indicators:
            raise CommandError("ไม่มีหน่วยงานหรือตัวบ่งชี้ให้มอบหมาย (no units or indicators)")
        try:
            report = assignments_add(cycle=cycle, units=units, indicators=indicators, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"{cycle}: มอบหมายใหม่ {report.created} รายการ ผลตามเกณฑ์ {report.results} รายการ "
            f"(created {report.created} assessments, {report.results} criterion results)"
        )
