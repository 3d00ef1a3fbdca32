"""Create the sign-in role groups. Their permissions are set after every migrate from
iro_service.core.roles.ROLE_PERMISSIONS (see CoreConfig.ready)."""

from django.db import migrations

ROLE_NAMES = ["IRO", "IRO manager", "Business support", "Senior manager", "API client"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
