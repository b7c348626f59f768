from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.backup.contents import BackupError
from evidence.backup.restore import restore_archive
from indicators.models import ReportJob
from indicators.thaidates import localized_date


class Command(BaseCommand):
    help = (
        "Restores a `backup` archive into an empty, migrated instance, on SQLite or "
        "PostgreSQL (กู้คืนข้อมูล). All or nothing; it refuses an instance that has data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The ZIP written by `manage.py backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_archive(path=options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        made = timezone.localtime(report.created_at)
        self.stdout.write(
            _(
                "กู้คืนแล้ว: %(rows)s แถว, %(files)s ไฟล์ จากข้อมูลสำรองเมื่อ %(date)s "
                "เวลา %(time)s (%(version)s)"
            )
            % {
                "rows": f"{report.rows:,}",
                "files": f"{report.files:,}",
                "date": localized_date(made.date()),
                "time": made.strftime("%H:%M"),
                "version": report.app_version,
            }
        )
        if report.missing:
            self.stdout.write(
                _(
                    "ไฟล์ %(count)s ไฟล์หายไปก่อนสำรองข้อมูล จึงไม่ได้กู้คืน: "
                    "manage.py verify_evidence บอกว่าเป็นของเอกสารใด"
                )
                % {"count": len(report.missing)}
            )
        # The task queue is not in a backup (evidence.backup.NOT_BACKED_UP).
        unfinished = ReportJob.objects.exclude(
            status__in=[ReportJob.Status.DONE, ReportJob.Status.FAILED]
        ).count()
        if unfinished:
            self.stdout.write(
                _("งานสร้างรายงานที่ยังไม่เสร็จตอนสำรองข้อมูล %(count)s งานจะไม่ทำต่อ: สั่งสร้างรายงานใหม่")
                % {"count": unfinished}
            )
