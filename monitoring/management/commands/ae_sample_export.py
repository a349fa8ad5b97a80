import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring.sample_export import NoRegistry, sample_rows, sample_workbook


class Command(BaseCommand):
    help = ("生成一份国家医疗器械不良事件监测信息系统导出格式的示例 Excel（按默认导入方案的表头），"
            "供演示导入：先导入不带 --changed 的文件（新增），再导入带 --changed 的文件（更新与新增）。")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="输出文件（.xlsx）")
        parser.add_argument("--year", type=int, default=None, help="报告年度（默认今天所在年度）")
        parser.add_argument("--changed", action="store_true",
                            help="第二次导出：同样的报告部分有变化，另有新报告和已有报告的补充")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="“今天”（YYYY-MM-DD，默认今天；与 seed_demo --today 一致）")
        parser.add_argument("--seed", type=int, default=20240319, help="随机种子")

    def handle(self, *args, out: str, year: int | None, changed: bool, today: datetime.date | None, seed: int,
               **options):
        today = today or timezone.localdate()
        year = year or today.year
        if year > today.year:
            raise CommandError(f"年度 {year} 晚于今天所在年度 {today.year}")
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("输出文件须以 .xlsx 结尾")
        try:
            rows = sample_rows(year=year, today=today, changed=changed, seed=seed)
        except NoRegistry:
            raise CommandError("没有企业名录：请先运行 manage.py seed_demo 生成演示辖区") from None
        path.write_bytes(sample_workbook(rows))
        self.stdout.write(f"已写入 {path}：{year}年 {len(rows)} 行（{'含修改与新增' if changed else '全部为新报告'}）")
