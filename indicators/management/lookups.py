"""Lookups shared by the commands of both apps (render_sar, export_evidence): a unit by its
prefix and a cycle by its year, or a CommandError that says what is missing."""

from django.core.management.base import CommandError

from indicators.models import Cycle, Unit


def find_cycle(year_be: int, kind: str | None = None) -> Cycle:
    cycles = Cycle.objects.filter(year_be=year_be)
    if kind:
        cycles = cycles.filter(kind=kind)
    found = list(cycles[:2])
    if not found:
        raise CommandError(f"ไม่พบรอบปี {year_be}")
    if len(found) > 1:
        raise CommandError(f"ปี {year_be} มีทั้งปีงบประมาณและปีการศึกษา: ระบุ --cycle-kind")
    return found[0]


def find_unit(prefix: str | None) -> Unit:
    if not prefix:
        raise CommandError("ระบุ --unit (อักษรย่อรหัสเอกสาร เช่น สพ)")
    unit = Unit.objects.filter(evidence_prefix=prefix).first()
    if unit is None:
        raise CommandError(f"ไม่พบหน่วยงานที่ใช้อักษรย่อ {prefix}")
    return unit
