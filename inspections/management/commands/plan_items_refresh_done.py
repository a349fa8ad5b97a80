"""Check or recompute ``PlanItem.done_on`` (kept by the inspection services) against the inspections."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F, Q

from inspections.models import PlanItem
from inspections.services import plan_item_first_done, plan_items_refresh_done


class Command(BaseCommand):
    help = "核对（--check）或重算计划项的完成日期（done_on）"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对，不一致时以非零状态退出")

    def handle(self, *args, check: bool = False, **options):
        items = PlanItem.objects.annotate(fresh=plan_item_first_done())
        stale = items.filter(
            Q(done_on__isnull=True, fresh__isnull=False) | Q(done_on__isnull=False, fresh__isnull=True)
            | Q(done_on__lt=F("fresh")) | Q(done_on__gt=F("fresh"))
        ).values("pk")
        ids = list(stale.values_list("pk", flat=True))
        if check:
            if ids:
                raise CommandError(f"{len(ids)} 个计划项的完成日期与检查记录不一致")
            self.stdout.write("计划项完成日期一致")
            return
        plan_items_refresh_done(ids)
        self.stdout.write(f"已重算 {len(ids)} 个计划项的完成日期")
