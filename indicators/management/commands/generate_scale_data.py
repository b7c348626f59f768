from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from indicators.demo.scale import YEAR_BE, generate_scale_data


class Command(BaseCommand):
    help = (
        "Fills the database with a university's year at scale (units × indicators, Thai "
        "narratives of the seed's length, small real evidence files, records, history), "
        "reproducibly, for benchmarks and load tests. Never on a production server."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--units", type=int, default=40)
        parser.add_argument("--indicators", type=int, default=12)
        parser.add_argument("--evidence", type=int, default=6, help="items per criterion")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--year", type=int, default=YEAR_BE, help="fiscal year, BE")
        parser.add_argument(
            "--password", default="scale-data", help="the password of every generated account"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.KMT_PRODUCTION:
            raise CommandError(
                "นี่คือเซิร์ฟเวอร์จริง: ไม่สร้างข้อมูลทดสอบ "
                "(These are production settings: no generated data.)"
            )
        for name in ("units", "indicators", "evidence"):
            if options[name] < 1:
                raise CommandError(f"--{name} ต้องมากกว่า 0 (must be at least 1)")
        try:
            report = generate_scale_data(
                units=options["units"],
                indicators=options["indicators"],
                evidence=options["evidence"],
                seed=options["seed"],
                year_be=options["year"],
                password=options["password"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        # A bulk load leaves the planner without statistics (PostgreSQL's autovacuum
        # catches up only later): without them it picks nested loops over whole tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        counts = ", ".join(f"{name} {count:,}" for name, count in report.counts.items())
        self.stdout.write(f"{report.cycle}: {counts}")
        self.stdout.write(
            "บัญชี (accounts): unit01-head, unit01-staff1, … scale-qa1…3, "
            f"รหัสผ่าน (password) {options['password']!r}"
        )
