from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.management.lookups import find_cycle, find_unit
from indicators.models import Assessment, Cycle
from indicators.reports import committee_word, pdf, word


class Command(BaseCommand):
    help = (
        "Renders the SAR as PDF (or Word with --format docx): one unit's annual SAR, one "
        "indicator page (--indicator), the committee's report of one unit (--committee), "
        "every unit's SAR in one file (--all-units) or the university summary (--university)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="Evidence prefix of the unit, e.g. สพ")
        parser.add_argument("--year", type=int, required=True, help="Buddhist-era year, e.g. 2563")
        parser.add_argument(
            "--cycle-kind", choices=Cycle.Kind.values, help="fiscal or academic (if both exist)"
        )
        parser.add_argument("--indicator", help="Only this indicator's page, e.g. 3")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--all-units", action="store_true", help="Every unit's SAR")
        target.add_argument("--university", action="store_true", help="University summary")
        target.add_argument(
            "--committee",
            action="store_true",
            help="The committee's report of the unit (its scores beside the unit's, comments)",
        )
        parser.add_argument("--output", type=Path, required=True, help="The file to write")
        parser.add_argument(
            "--format",
            choices=["pdf", "docx"],
            default="pdf",
            help="docx: a Word file of one unit's SAR or one indicator, to edit",
        )
        parser.add_argument(
            "--variant",
            choices=pdf.PDF_VARIANTS,
            default="",
            help="pdf/a-3b for the archived copy, pdf/ua-1 for a tagged PDF (screen readers)",
        )
        parser.add_argument(
            "--justify",
            action="store_true",
            help="Thai distributed justification of the narrative text (default: left aligned)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with pdf.pdf_variant(options["variant"]):
            self.render(options)

    def render(self, options: dict[str, Any]) -> None:
        cycle = find_cycle(options["year"], options["cycle_kind"])
        justify: bool = options["justify"]
        as_word = options["format"] == "docx"
        if as_word and (options["all_units"] or options["university"]):
            raise CommandError("--format docx ใช้ได้กับรายงานของหน่วยงานเดียว (one unit only)")
        if options["all_units"]:
            report = pdf.all_units_report(
                cycle=cycle,
                progress=lambda done, total: self.stderr.write(f"{done}/{total}"),
                justify=justify,
            )
        elif options["university"]:
            report = pdf.university_report(cycle=cycle, justify=justify)
        else:
            unit = find_unit(options["unit"])
            if options["committee"]:
                if as_word:
                    report = committee_word.committee_docx_report(unit=unit, cycle=cycle)
                else:
                    report = pdf.committee_report(unit=unit, cycle=cycle, justify=justify)
            elif options["indicator"]:
                assessment = Assessment.objects.filter(
                    unit=unit, indicator__cycle=cycle, indicator__number=options["indicator"]
                ).first()
                if assessment is None:
                    raise CommandError(
                        f"{unit} ไม่มีผลการประเมินตัวบ่งชี้ที่ {options['indicator']} ใน {cycle}"
                    )
                if as_word:
                    report = word.indicator_docx_report(assessment=assessment)
                else:
                    report = pdf.indicator_report(assessment=assessment, justify=justify)
            elif as_word:
                report = word.unit_sar_docx_report(unit=unit, cycle=cycle)
            else:
                report = pdf.unit_sar_report(unit=unit, cycle=cycle, justify=justify)
        output: Path = options["output"]
        try:
            output.write_bytes(report.content)
        except OSError as error:
            raise CommandError(f"เขียนไฟล์ {output} ไม่ได้: {error.strerror}") from None
        self.stdout.write(f"{output}: {len(report.content):,} ไบต์ ({report.filename})")
