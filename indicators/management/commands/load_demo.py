from typing import Any

from django.core.management.base import BaseCommand

from indicators.demo import load_demo


class Command(BaseCommand):
    help = "Loads the demo unit (the seed SAR page and its records) and demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo()
        assessment = report.assessment
        self.stdout.write(
            f"ข้อมูลตัวอย่าง: {assessment} – {assessment.results.count()} เกณฑ์ (Demo data loaded.)"
        )
        self.stdout.write("บัญชีทดลองใช้ (demo accounts):")
        for username, password, name in report.accounts:
            self.stdout.write(f"  {username:<6} / {password:<16} {name}")
