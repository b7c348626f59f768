from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from evidence.checks import check_documents
from evidence.models import Document


class Command(BaseCommand):
    help = (
        "Checks that every stored evidence file is still there and matches its SHA-256 "
        "(ตรวจไฟล์หลักฐาน)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="only this unit's evidence prefix, e.g. สพ")

    def handle(self, *args: Any, **options: Any) -> None:
        documents = Document.objects.all()
        if options["unit"]:
            documents = documents.filter(unit__evidence_prefix=options["unit"])
        counts = check_documents(documents)
        self.stdout.write(
            f"ตรวจไฟล์แล้ว: ครบถ้วน {counts['ok']} ไม่พบไฟล์ {counts['missing']} "
            f"ไฟล์ถูกเปลี่ยน {counts['mismatch']} "
            f"(files: {counts['ok']} ok, {counts['missing']} missing, "
            f"{counts['mismatch']} changed)"
        )
