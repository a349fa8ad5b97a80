from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from regsys.bootstrap import REFERENCE_LOADERS


class Command(BaseCommand):
    help = "载入参考数据（产品领域标签、检查表、报表模板、分级默认值）；可重复执行。"

    @transaction.atomic
    def handle(self, *args, **options):
        for dotted in REFERENCE_LOADERS:
            summary = import_string(dotted)()
            self.stdout.write(f"{dotted}: {summary}")
