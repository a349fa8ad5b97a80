# Slot kept for one piece of issue 11, so that pieces built side by side chain in one order.
from django.db import migrations


def load_step_rules(apps, schema_editor):
    from monitoring.sampling_reference import ensure_step_rules

    ensure_step_rules(apps.get_model("monitoring", "SamplingStepRule"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0006_leads")]

    operations = [migrations.RunPython(load_step_rules, migrations.RunPython.noop)]
