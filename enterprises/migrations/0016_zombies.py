# Slot kept for one piece of issue 12, so that pieces built side by side chain in one order.
# 僵尸企业清理: the closing note of a case that ends 已规范 / 已提升 / 经核查正常经营.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0015_filings")]

    operations = [
        migrations.AddField(
            model_name="historicalzombiecase",
            name="outcome_note",
            field=models.TextField(blank=True, help_text="规范、提升或正常经营的办结说明", verbose_name="处理情况"),
        ),
        migrations.AddField(
            model_name="zombiecase",
            name="outcome_note",
            field=models.TextField(blank=True, help_text="规范、提升或正常经营的办结说明", verbose_name="处理情况"),
        ),
    ]
