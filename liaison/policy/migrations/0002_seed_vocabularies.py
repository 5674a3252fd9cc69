"""Default vocabularies: classification schemes with their equivalences, compartments (themes), zones, caveats.
Administrators edit them afterwards; this seed only runs once."""

from django.db import migrations

SCHEMES = [
    ("fr", "France (IGI 1300, 2021)", True, [
        ("np", "NON PROTÉGÉ", 0), ("dr", "DIFFUSION RESTREINTE", 1), ("s", "SECRET", 3), ("ts", "TRÈS SECRET", 4),
    ]),
    ("be", "Belgique / België", False, [
        ("r", "RESTREINT", 1), ("c", "CONFIDENTIEL", 2), ("s", "SECRET", 3), ("ts", "TRÈS SECRET", 4),
    ]),
    ("eu", "Union européenne / European Union", False, [
        ("r", "RESTREINT UE / EU RESTRICTED", 1), ("c", "CONFIDENTIEL UE / EU CONFIDENTIAL", 2),
        ("s", "SECRET UE / EU SECRET", 3), ("ts", "TRÈS SECRET UE / EU TOP SECRET", 4),
    ]),
    ("nato", "OTAN / NATO", False, [
        ("u", "NATO UNCLASSIFIED", 0), ("r", "NATO RESTRICTED", 1), ("c", "NATO CONFIDENTIAL", 2),
        ("s", "NATO SECRET", 3), ("cts", "COSMIC TOP SECRET", 4),
    ]),
]

COMPARTMENTS = [
    ("terrorism", "Terrorisme", "Terrorism"),
    ("proliferation", "Prolifération", "Proliferation"),
    ("interference", "Ingérence étrangère", "Foreign interference"),
    ("cyber", "Cyber", "Cyber"),
    ("counter-intelligence", "Contre-espionnage", "Counter-intelligence"),
    ("organised-crime", "Criminalité organisée", "Organised crime"),
]

ZONES = [
    ("europe", "Europe", "Europe"),
    ("maghreb-middle-east", "Maghreb – Moyen-Orient", "Maghreb – Middle East"),
    ("africa", "Afrique subsaharienne", "Sub-Saharan Africa"),
    ("eurasia", "Russie – Asie centrale", "Russia – Central Asia"),
    ("asia-pacific", "Asie – Pacifique", "Asia – Pacific"),
    ("americas", "Amériques", "Americas"),
]

CAVEATS = [
    ("named-recipients", "Diffusion nominative", "Named recipients only",
     "Reserved to the named recipients; no onward distribution inside the service."),
    ("no-copy", "Reproduction interdite", "No copies", "No copy or extract may be made."),
    ("judicial-consent", "Usage judiciaire soumis à accord", "Judicial use subject to consent",
     "May not be used in judicial proceedings without the originator's written consent."),
]


def seed(apps, schema_editor):
    Scheme = apps.get_model("policy", "ClassificationScheme")
    Level = apps.get_model("policy", "ClassificationLevel")
    for code, name, national, levels in SCHEMES:
        scheme, _ = Scheme.objects.get_or_create(code=code, defaults={"name": name, "is_national": national})
        for level_code, label, rank in levels:
            Level.objects.get_or_create(scheme=scheme, code=level_code, defaults={"label": label, "rank": rank})
    for model, rows in (("Compartment", COMPARTMENTS), ("Zone", ZONES)):
        Model = apps.get_model("policy", model)
        for code, fr, en in rows:
            Model.objects.get_or_create(code=code, defaults={"name_fr": fr, "name_en": en})
    Caveat = apps.get_model("policy", "Caveat")
    for code, fr, en, description in CAVEATS:
        Caveat.objects.get_or_create(code=code, defaults={"name_fr": fr, "name_en": en, "description": description})


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
