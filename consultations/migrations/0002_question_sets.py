"""The first question sets (see consultations/defaults.py)."""

from django.db import migrations

from consultations.defaults import question_sets_ensure


def add_sets(apps, schema_editor):
    question_sets_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(add_sets, migrations.RunPython.noop)]
