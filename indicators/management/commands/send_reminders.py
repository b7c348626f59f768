from typing import Any

from django.core.management.base import BaseCommand

from indicators.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "E-mails today's deadline reminders: owners of assessments not yet submitted "
        "(KMT_REMINDER_DAYS days before the submission deadline and on the day) and QA "
        "officers about reviews due or overdue. Run daily from cron; a second run on the "
        "same day sends nothing again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = reminders_send()
        self.stdout.write(
            f"ส่งการเตือน {run.reminders} รายการ ใน {run.mails} อีเมล "
            f"(ส่งไปแล้ววันนี้ {run.skipped}) "
            f"(reminders: {run.reminders} in {run.mails} mails, {run.skipped} already sent)"
        )
