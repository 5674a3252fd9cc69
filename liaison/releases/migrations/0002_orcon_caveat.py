"""The originator-control caveat an internal service sets on its own items: its consent is then owed before they
go to a partner (what a partner gave carries originator control always, through the item's originators)."""

from django.db import migrations

ORCON = (
    "orcon",
    "Contrôle de l'émetteur (ORCON)",
    "Originator control (ORCON)",
    "The originating internal service must consent before this goes to a partner.",
)


def seed(apps, schema_editor):
    Caveat = apps.get_model("policy", "Caveat")
    code, fr, en, description = ORCON
    Caveat.objects.get_or_create(code=code, defaults={"name_fr": fr, "name_en": en, "description": description})


class Migration(migrations.Migration):
    dependencies = [("releases", "0001_initial"), ("policy", "0002_seed_vocabularies")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
