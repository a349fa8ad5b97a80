from django.core.management.base import BaseCommand
from django.db import transaction

from regsys.bootstrap import REFERENCE_LOADERS, resolve_steps


class Command(BaseCommand):
    help = "载入参考数据（产品领域标签、检查表、报表模板、分级默认值）；可重复执行。"

    @transaction.atomic
    def handle(self, *args, **options):
        for dotted, loader in resolve_steps(REFERENCE_LOADERS, self.stderr.write):
            self.stdout.write(f"{dotted}: {loader()}")
