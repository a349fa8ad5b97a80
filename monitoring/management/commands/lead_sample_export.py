import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring.leads_sample import NoRegistry, sample_rows, sample_workbook


class Command(BaseCommand):
    help = ("生成一份全国医疗器械网络销售监测平台线索清单格式的示例 Excel（按默认线索导入方案的表头），"
            "供演示线索导入：含新线索（大部分可匹配到企业名录，少数待分派）和系统中已有的最新3条线索。")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="输出文件（.xlsx）")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="“今天”（YYYY-MM-DD，默认今天；与 seed_demo --today 一致）")
        parser.add_argument("--seed", type=int, default=20240319, help="随机种子")

    def handle(self, *args, out: str, today: datetime.date | None, seed: int, **options):
        today = today or timezone.localdate()
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("输出文件须以 .xlsx 结尾")
        try:
            rows = sample_rows(today=today, seed=seed)
        except NoRegistry:
            raise CommandError("没有企业名录：请先运行 manage.py seed_demo 生成演示辖区") from None
        path.write_bytes(sample_workbook(rows))
        self.stdout.write(f"已写入 {path}：{len(rows)} 行线索")
