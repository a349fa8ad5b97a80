# Slot kept for the suspension pages of issue 11 (failure disposal).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0012_suspension_calendar_extra")]

    operations = []
