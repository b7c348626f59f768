import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.checks import check_documents
from evidence.models import Document
from evidence.orphans import (
    Orphan,
    delete_orphans,
    missing_files,
    orphan_files,
    upload_temp_files,
)


class Command(BaseCommand):
    help = (
        "Checks that every stored evidence file is still there and matches its SHA-256 "
        "(ตรวจไฟล์หลักฐาน). With --orphans, also lists files no row points to and rows "
        "whose file is gone; with --delete, removes orphan files older than the grace period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="only this unit's evidence prefix, e.g. สพ")
        parser.add_argument(
            "--orphans",
            action="store_true",
            help="also list files in storage (and upload temp files) that no row points to",
        )
        parser.add_argument(
            "--delete", action="store_true", help="with --orphans: delete the old orphan files"
        )
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help="grace period: younger orphans may be uploads in progress and are kept",
        )

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
        if options["orphans"]:
            self._orphans(
                delete=options["delete"],
                older_than=datetime.timedelta(minutes=max(options["older_than_minutes"], 0)),
            )

    def _orphans(self, *, delete: bool, older_than: datetime.timedelta) -> None:
        for missing in missing_files():
            self.stdout.write(
                _("ไม่พบไฟล์ของ%(model)s “%(row)s” (ไฟล์ %(file)s)")
                % {
                    "model": missing.row._meta.verbose_name,
                    "row": missing.row,
                    "file": missing.name,
                }
            )
        orphans = orphan_files() + upload_temp_files()
        if delete:
            deleted, kept = delete_orphans(orphans, older_than=older_than)
        else:
            deleted, kept = [], orphans
        for orphan in deleted:
            self.stdout.write(_("ลบไฟล์ที่ไม่มีรายการใดอ้างอิงแล้ว: %(file)s") % {"file": orphan.name})
        for orphan in kept:
            self.stdout.write(_("ไฟล์ที่ไม่มีรายการใดอ้างอิง: %(file)s") % {"file": self._label(orphan)})
        self.stdout.write(
            _("ไฟล์ที่ไม่มีรายการใดอ้างอิง: ลบแล้ว %(deleted)s คงไว้ %(kept)s")
            % {"deleted": len(deleted), "kept": len(kept)}
        )

    @staticmethod
    def _label(orphan: Orphan) -> str:
        if orphan.modified is None:
            return orphan.name
        return _("%(file)s (แก้ไขล่าสุด %(when)s)") % {
            "file": orphan.name,
            "when": timezone.localtime(orphan.modified).strftime("%Y-%m-%d %H:%M"),
        }
