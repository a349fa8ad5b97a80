"""Build a return from the command line (operations, cron) and write its .xlsx and .docx."""

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from enterprises.models import Unit, User
from reporting.exporters.docx import export_docx
from reporting.exporters.xlsx import export_xlsx
from reporting.selectors import district_reporting_unit
from reporting.services import (
    build_export_input,
    compute_return_data,
    due_date_for,
    file_stem,
    return_contact,
)


class Command(BaseCommand):
    help = ("生成专项整治统计表（Excel 和 Word）并写入目录：--campaign ID --template 统计表一 --unit ID|district "
            "--cutoff YYYY-MM-DD --out DIR [--unscheduled]")

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True)
        parser.add_argument("--template", required=True, help="报表代码，如 统计表一")
        parser.add_argument("--unit", required=True, help="监管单位 ID，或 district 表示全区汇总")
        parser.add_argument("--cutoff", required=True, help="数据截止日期 YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="输出目录")
        parser.add_argument("--filled-by", default="", help="填报人（全区汇总默认取报表设置中的区局报表填报人）")
        parser.add_argument("--contact", default="", help="联系方式（全区汇总默认取报表设置中的区局报表联系方式）")
        parser.add_argument("--unscheduled", action="store_true",
                            help="临时报送（年终或临时报表）；截止日期在最后一个报送期限之后的自动为临时报送")

    def handle(self, *args, campaign, template, unit, cutoff, out, filled_by, contact, unscheduled, **options):
        try:
            campaign_obj = Campaign.objects.get(pk=campaign)
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"专项整治 {campaign} 不存在") from exc
        form = campaign_obj.forms.filter(code=template).order_by("-year", "-version").first()
        if form is None:
            raise CommandError(f"专项整治 {campaign} 不报送 {template}")
        try:
            cutoff_date = dt.date.fromisoformat(cutoff)
        except ValueError as exc:
            raise CommandError("截止日期格式应为 YYYY-MM-DD") from exc
        unit_obj = None
        if unit != "district":
            try:
                unit_obj = Unit.objects.get(pk=int(unit))
            except (ValueError, Unit.DoesNotExist) as exc:
                raise CommandError(f"监管单位 {unit} 不存在") from exc
        if not filled_by and unit_obj is not None:
            member = User.objects.filter(unit=unit_obj, is_active=True).order_by("pk").first()
            filled_by = member.display_name if member else ""
        filled_by, contact = return_contact(unit=unit_obj, filled_by=filled_by, contact=contact)
        try:
            unscheduled = unscheduled or due_date_for(campaign_obj, cutoff_date) is None
            data = compute_return_data(campaign=campaign_obj, template=form, unit=unit_obj, cutoff=cutoff_date)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        export = build_export_input(
            campaign=campaign_obj, template=form, unit=unit_obj, cutoff=cutoff_date, data=data,
            filled_by=filled_by, contact=contact, unscheduled=unscheduled,
            reporting_unit=unit_obj.name if unit_obj else district_reporting_unit(),
        )
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        stem = file_stem(template=form, unit=unit_obj, cutoff=cutoff_date, unscheduled=unscheduled)
        xlsx_path, docx_path = directory / f"{stem}.xlsx", directory / f"{stem}.docx"
        xlsx_path.write_bytes(export_xlsx(export))
        docx_path.write_bytes(export_docx(export))
        self.stdout.write(str(xlsx_path.resolve()))
        self.stdout.write(str(docx_path.resolve()))
