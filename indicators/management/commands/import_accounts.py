from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.management.commands.import_indicator_set import read_file, sheet_error_text
from indicators.services.accounts.imports import accounts_import, accounts_preview
from indicators.sheets import SheetError


class Command(BaseCommand):
    help = (
        "Imports units and users from an Excel workbook with the sheets หน่วยงาน (Units) and "
        "ผู้ใช้ (Users), as the page /units/import/ does. All or nothing; running it again "
        "changes nothing. New users are e-mailed a link to set their password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Only say what would change")
        parser.add_argument(
            "--no-email", action="store_true", help="Do not e-mail new users their link"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        data = read_file(path)
        try:
            if options["dry_run"]:
                plan = accounts_preview(data=data)
            else:
                plan = accounts_import(data=data, send_mail=not options["no_email"])
        except SheetError as error:
            raise CommandError(sheet_error_text(path, error)) from None
        for unit in plan.units:
            self.stdout.write(f"หน่วยงาน {unit.prefix} {unit.name}: {unit.action}")
        for user in plan.users:
            self.stdout.write(f"ผู้ใช้ {user.email} ({user.role_label} {user.unit}): {user.action}")
        counts = plan.counts
        self.stdout.write(
            f"หน่วยงาน: สร้าง {counts['units_create']}, แก้ไข {counts['units_update']}; "
            f"ผู้ใช้: สร้าง {counts['users_create']}, แก้ไข {counts['users_update']}"
            + (" (ทดลอง ไม่ได้บันทึก)" if options["dry_run"] else "")
        )
