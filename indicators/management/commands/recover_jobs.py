from typing import Any

from django.core.management.base import BaseCommand

from indicators.reports.recovery import Recovery, report_jobs_recover


def recovery_summary(recovery: Recovery) -> str:
    return (
        f"งานสร้างรายงานที่ตัวประมวลผลหยุดทำงาน: สั่งใหม่ {len(recovery.requeued)} "
        f"ไม่สำเร็จ {len(recovery.failed)} (lost report jobs: {len(recovery.requeued)} "
        f"queued again {recovery.requeued}, {len(recovery.failed)} failed {recovery.failed})"
    )


class Command(BaseCommand):
    help = (
        "Finds report jobs whose worker died (no heartbeat for KMT_REPORT_JOB_STALE_SECONDS) "
        "and queues them again, or fails them after KMT_REPORT_JOB_RETRIES retries. "
        "run_worker does this before each task; run this from cron if you use db_worker."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(recovery_summary(report_jobs_recover()))
