from django.db import migrations

# code, comparison, threshold: the defaults the security office adjusts on the indicator's page.
INDICATORS = [
    ("second_factor_share", "at_least", 95.0),
    ("phishing_resistant_share", "at_least", 50.0),
    ("locked_accounts", "at_most", 3.0),
    ("failed_logins", "at_most", 50.0),
    ("audit_chain_intact", "at_least", 1.0),
    ("audit_verification_age", "at_most", 26.0),
    ("reports_unacknowledged", "at_most", 0.0),
    ("exports_above_usual", "at_most", 0.0),
    ("reviews_overdue", "at_most", 0.0),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("security", "Indicator")
    for code, comparison, threshold in INDICATORS:
        Indicator.objects.get_or_create(code=code, defaults={"comparison": comparison, "threshold": threshold})


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
