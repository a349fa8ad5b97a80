"""Store the provincial-entry due date on inspections saved without one (older than the column, or written
outside the services), so the 待办 list and the overdue filters see them."""

from django.db import migrations


def backfill(apps, schema_editor):
    from inspections.deadlines import provincial_entry_due

    Inspection = apps.get_model("inspections", "Inspection")
    rows = Inspection.objects.filter(provincial_entry_due__isnull=True).only("pk", "start_date", "end_date")
    batch = []
    for inspection in rows.iterator(chunk_size=2000):
        inspection.provincial_entry_due = provincial_entry_due(inspection.end_date or inspection.start_date)
        batch.append(inspection)
        if len(batch) == 2000:
            Inspection.objects.bulk_update(batch, ["provincial_entry_due"])
            batch = []
    Inspection.objects.bulk_update(batch, ["provincial_entry_due"])


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0010_numeric_bounds"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
