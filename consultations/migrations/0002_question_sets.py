"""The first question sets (see consultations/defaults.py)."""

from django.db import migrations

from consultations.defaults import REVIEW_SETS, sets_ensure


def add_sets(apps, schema_editor):
    # The review's sets: question sets had no occasion yet (0005 adds it and the conference's).
    sets_ensure(apps=apps, sets=REVIEW_SETS, occasion=None)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(add_sets, migrations.RunPython.noop)]
