from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indicators.models import Cycle
from indicators.sar_docx import SarFileError, decode_sar_text, docx_to_sar_text
from indicators.sar_text import SarFormatError
from indicators.services.sar_import import sar_import


def _refused(path: Path, error: Exception) -> str:
    return _("%(path)s: %(error)s — ไม่ได้บันทึกข้อมูลใด ๆ") % {"path": path, "error": error}


class Command(BaseCommand):
    help = (
        "Imports one SAR indicator page: a Word file (.docx, the three-column table or the "
        "same as paragraphs) or text (UTF-8, UTF-16 with its mark, or Windows-874)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--unit-prefix", required=True, help="Evidence prefix, e.g. สพ")
        parser.add_argument("--unit-name", required=True)
        parser.add_argument("--year", type=int, required=True, help="Buddhist-era year, e.g. 2563")
        parser.add_argument("--cycle-kind", choices=Cycle.Kind.values, default=Cycle.Kind.FISCAL)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(_("ไม่พบไฟล์ %(path)s") % {"path": path}) from None
        try:
            is_word = path.suffix.lower() == ".docx"
            text = docx_to_sar_text(data) if is_word else decode_sar_text(data)
        except SarFileError as error:
            raise CommandError(_refused(path, error)) from None
        try:
            report = sar_import(
                text=text,
                unit_prefix=options["unit_prefix"],
                unit_name=options["unit_name"],
                year_be=options["year"],
                cycle_kind=options["cycle_kind"],
            )
        except SarFormatError as error:
            raise CommandError(_refused(path, error)) from None
        assessment = report.assessment
        items = sum(result.evidence_items.count() for result in assessment.results.all())
        done = _(
            "%(assessment)s: %(criteria)s เกณฑ์, %(items)s หลักฐาน "
            "(สร้าง %(created)s, แก้ไข %(updated)s, คงเดิม %(unchanged)s)"
        )
        values = {"assessment": assessment, "criteria": assessment.results.count(), "items": items}
        self.stdout.write(done % {**values, **report.counts})
