import datetime
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from enterprises.models import Enterprise
from regsys.bootstrap import DEMO_SEEDERS, DemoContext, resolve_steps


class Command(BaseCommand):
    help = "生成演示辖区数据（确定性：每次生成相同数据）。--scale N 生成基准测试用的大数据集。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0,
                            help="基准测试规模：N 个监管单位、约 2000×N 家企业及相应检查和案件")
        parser.add_argument("--if-empty", action="store_true", help="已有企业数据时不做任何事")
        parser.add_argument("--seed", type=int, default=20240319, help="随机种子")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="演示数据的“今天”（YYYY-MM-DD，默认今天）：本年度专项、报表、分级和计划随之生成")

    def handle(self, *args, scale: int, if_empty: bool, seed: int, today: datetime.date | None = None, **options):
        if if_empty and Enterprise.objects.exists():
            self.stdout.write("已有演示数据，保持不变。")
            return
        if Enterprise.objects.exists():
            self.stderr.write("数据库中已有企业数据；seed_demo 只能在空库上运行。")
            raise SystemExit(1)
        call_command("load_reference", stdout=self.stdout)
        ctx = DemoContext(scale=scale, seed=seed, out=self.stdout, today=today)
        with transaction.atomic():  # all or nothing: a failed run leaves the database empty
            for dotted, seeder in resolve_steps(DEMO_SEEDERS, self.stderr.write):
                started = time.monotonic()
                summary = seeder(ctx)
                self.stdout.write(f"{dotted}: {summary} ({time.monotonic() - started:.1f}s)")
                if scale and connection.vendor == "postgresql":
                    # The run is one transaction, which autovacuum never sees: without fresh statistics the
                    # next step's queries are planned for empty tables (at --scale 100 that cost hours).
                    # ANALYZE counts the rows this transaction inserted.
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE")
