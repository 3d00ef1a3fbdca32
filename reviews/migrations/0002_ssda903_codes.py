"""The SSDA903 code lists, by collection year (see reviews/code_lists.py)."""

from django.db import migrations

from reviews.code_lists import code_lists_load, code_rows


def load_codes(apps, schema_editor):
    code_lists_load(apps.get_model("reviews", "Code"))


def remove_codes(apps, schema_editor):
    Code = apps.get_model("reviews", "Code")
    for list_name, code, _label, first, _last in code_rows():
        Code.objects.filter(list_name=list_name, code=code, first_year=first).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(load_codes, remove_codes)]
