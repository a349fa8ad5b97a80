# Slot kept for one piece of issue 11, so that pieces built side by side chain in one order.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0009_risk_register")]

    operations = []
