from django.db import migrations

ROLES = [
    ("liaison_officer", "Chargé de liaison", "Liaison officer"),
    ("desk_head", "Hiérarchie (chef de bureau)", "Desk head"),
    ("recipient", "Service destinataire", "Recipient service analyst"),
    ("release_authority", "Autorité de communication", "Release authority"),
    ("security_officer", "Officier de sécurité", "Security officer"),
    ("auditor", "Auditeur", "Auditor"),
    ("administrator", "Administrateur", "Administrator"),
]


def seed(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, fr, en in ROLES:
        Role.objects.get_or_create(code=code, defaults={"name_fr": fr, "name_en": en})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
