# Slot kept for the calendar and suspension pages of issue 11.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0011_calendar_suspensions")]

    operations = []
