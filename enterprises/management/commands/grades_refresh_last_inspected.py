"""Check or recompute ``EnterpriseGrade.last_inspected_on`` (kept by the grading and inspection services)."""

from django.core.management.base import BaseCommand, CommandError

from enterprises.grading.last_inspected import grades_refresh_last_inspected, grades_stale_last_inspected
from enterprises.models import EnterpriseGrade


class Command(BaseCommand):
    help = "核对（--check）或重算企业监管等级的上次检查日期（last_inspected_on）"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对，不一致时以非零状态退出")

    def handle(self, *args, check: bool = False, **options):
        stale = grades_stale_last_inspected()
        if check:
            if stale:
                raise CommandError(f"{len(stale)} 条监管等级的上次检查日期与检查记录不一致")
            self.stdout.write("上次检查日期一致")
            return
        if stale:
            grades_refresh_last_inspected(EnterpriseGrade.objects.filter(pk__in=stale))
        self.stdout.write(f"已重算 {len(stale)} 条监管等级的上次检查日期")
