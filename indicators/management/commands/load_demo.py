from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indicators.demo import load_demo


class Command(BaseCommand):
    help = "Loads the demo unit (the seed SAR page and its records) and demo accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--i-know-this-is-production",
            action="store_true",
            dest="production_ok",
            help="Load the demo on a production server anyway (accounts without passwords, "
            "no superuser).",
        )

    def handle(self, *args: Any, production_ok: bool = False, **options: Any) -> None:
        production = settings.KMT_PRODUCTION
        if production and not production_ok:
            raise CommandError(
                "นี่คือเซิร์ฟเวอร์จริง (kmtracker.settings.production): ไม่โหลดข้อมูลตัวอย่าง "
                "ถ้าต้องการจริง ๆ ให้สั่งอีกครั้งพร้อม --i-know-this-is-production "
                "(These are production settings: the demo is not loaded without "
                "--i-know-this-is-production.)"
            )
        report = load_demo(production=production)
        assessment = report.assessment
        self.stdout.write(
            f"ข้อมูลตัวอย่าง: {assessment} – {assessment.results.count()} เกณฑ์ (Demo data loaded.)"
        )
        if production:
            self.stdout.write(
                "บัญชีทดลองใช้ที่สร้างใหม่ยังไม่มีรหัสผ่านและไม่มีสิทธิ์ผู้ดูแล Django "
                "ตั้งรหัสผ่านด้วย manage.py changepassword ชื่อผู้ใช้ "
                "(New demo accounts have no password and no superuser; existing accounts "
                "were left alone.)"
            )
            for username, _password, name in report.accounts:
                self.stdout.write(f"  {username:<6} {name}")
            return
        self.stdout.write("บัญชีทดลองใช้ (demo accounts):")
        for username, password, name in report.accounts:
            self.stdout.write(f"  {username:<6} / {password:<16} {name}")
