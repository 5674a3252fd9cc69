from django.db import migrations


ROLES = [
    ("management", "Membre du comité de direction", "Management committee member"),
    ("federal_partner", "Contact d'une administration fédérale partenaire", "Federal partner contact"),
]


def seed(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, fr, en in ROLES:
        Role.objects.get_or_create(code=code, defaults={"name_fr": fr, "name_en": en})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_user_time_zone")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
