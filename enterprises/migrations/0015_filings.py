# Slot kept for one piece of issue 12, so that pieces built side by side chain in one order.
# filings: the default DutyYear rows for 2023–2026 (默认值，可修改 on the 年度义务设置 page).
import datetime

from django.db import migrations

DEFAULT_YEARS = (2023, 2024, 2025, 2026)


def create_default_years(apps, schema_editor):
    DutyYear = apps.get_model("enterprises", "DutyYear")
    for year in DEFAULT_YEARS:
        DutyYear.objects.get_or_create(
            year=year,
            defaults={
                "self_report_due": datetime.date(year, 3, 31),
                "responsibility_due": datetime.date(year, 3, 31),
                "long_suspension_days": 365,
                "renewal_window_start": 90,
                "renewal_window_end": 30,
                "udi_target_on": datetime.date(year, 12, 31),
                "notes": "默认值，可修改",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0014_annual_duties")]

    operations = [migrations.RunPython(create_default_years, migrations.RunPython.noop)]
