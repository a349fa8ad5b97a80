# Slot kept for the calendar and suspension pages of issue 11: the calendar's "默认值" flag and the
# official holiday arrangements 2023–2026 as default data (enterprises.holidays).
from django.db import migrations, models

import regsys.versioning


def load_holidays(apps, schema_editor):
    from enterprises.holidays import holidays_load

    holidays_load(apps.get_model("enterprises", "CalendarDay"), apps.get_model("enterprises", "HistoricalCalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0011_calendar_suspensions")]

    operations = [
        migrations.AddField(
            model_name='calendarday',
            name='is_default',
            field=models.BooleanField(default=False, help_text='按国务院办公厅通知载入的默认值，可修改；修改后不再是默认值', verbose_name='默认值'),
        ),
        migrations.AddField(
            model_name='historicalcalendarday',
            name='is_default',
            field=models.BooleanField(default=False, help_text='按国务院办公厅通知载入的默认值，可修改；修改后不再是默认值', verbose_name='默认值'),
        ),
        migrations.AddField(
            model_name='calendarday',
            name='version',
            field=regsys.versioning.VersionField(verbose_name='版本'),
        ),
        migrations.AddField(
            model_name='historicalcalendarday',
            name='version',
            field=regsys.versioning.VersionField(verbose_name='版本'),
        ),
        migrations.RunPython(load_holidays, migrations.RunPython.noop),
    ]
