# Slot kept for one piece of issue 12, so that pieces built side by side chain in one order.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0018_contracts_warehouses")]

    operations = []
