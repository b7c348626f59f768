from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from evidence.backup.archive import backup_write
from evidence.backup.contents import BackupError


class Command(BaseCommand):
    help = (
        "Writes the whole site into one ZIP: every table as fixtures, every stored file, "
        "and a manifest with SHA-256 and row counts (สำรองข้อมูล). Restore with `restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True, help="The ZIP file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_write(output=options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in report.missing:
            self.stderr.write(_("ไม่พบไฟล์ %(name)s ในที่เก็บไฟล์ จึงไม่มีในข้อมูลสำรอง") % {"name": name})
        self.stdout.write(
            _("สำรองข้อมูลแล้ว: %(path)s (%(rows)s แถว, %(files)s ไฟล์, %(size)s ไบต์)")
            % {
                "path": report.path,
                "rows": f"{report.rows:,}",
                "files": f"{report.files:,}",
                "size": f"{report.size:,}",
            }
        )
