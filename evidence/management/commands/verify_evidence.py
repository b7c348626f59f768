from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from evidence.checks import check_documents
from evidence.models import Document, EvidenceItem


class Command(BaseCommand):
    help = (
        "Checks every evidence file against its SHA-256 and fails (exit 1) naming each "
        "document whose file is missing or changed (ตรวจความถูกต้องของไฟล์หลักฐาน). "
        "For cron and for after a restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="only this unit's evidence prefix, e.g. สพ")

    def handle(self, *args: Any, **options: Any) -> None:
        documents = Document.objects.all()
        if options["unit"]:
            documents = documents.filter(unit__evidence_prefix=options["unit"])
        # The same check as `check_documents`: it also leaves the flags the pages show.
        counts = check_documents(documents)
        total = sum(counts.values())
        bad = (
            documents.filter(
                file_status__in=[Document.FileStatus.MISSING, Document.FileStatus.MISMATCH]
            )
            .select_related("unit")
            .prefetch_related(
                Prefetch("evidence_items", queryset=EvidenceItem.objects.with_code_parts())
            )
            .order_by("unit__evidence_prefix", "pk")
        )
        for document in bad:
            self.stdout.write(self._describe(document))
        problems = counts[Document.FileStatus.MISSING] + counts[Document.FileStatus.MISMATCH]
        if problems:
            raise CommandError(
                _(
                    "ไฟล์หลักฐานมีปัญหา %(bad)s จาก %(total)s ไฟล์ "
                    "(ไม่พบไฟล์ %(missing)s ไฟล์ถูกเปลี่ยน %(mismatch)s)"
                )
                % {
                    "bad": problems,
                    "total": total,
                    "missing": counts[Document.FileStatus.MISSING],
                    "mismatch": counts[Document.FileStatus.MISMATCH],
                }
            )
        self.stdout.write(
            _("ไฟล์หลักฐานครบถ้วนและตรงกับ SHA-256: %(ok)s จาก %(total)s ไฟล์")
            % {"ok": counts[Document.FileStatus.OK], "total": total}
        )

    @staticmethod
    def _describe(document: Document) -> str:
        values = {
            "status": document.get_file_status_display(),
            "name": str(document),
            "unit": document.unit.name,
            "file": document.file.name,
        }
        codes = [item.code for item in document.evidence_items.all()]
        if not codes:
            return _("%(status)s: “%(name)s” ของ%(unit)s ไม่มีหลักฐานใดอ้างอิง (ไฟล์ %(file)s)") % values
        return _("%(status)s: %(codes)s “%(name)s” ของ%(unit)s (ไฟล์ %(file)s)") % {
            **values,
            "codes": ", ".join(codes),
        }
