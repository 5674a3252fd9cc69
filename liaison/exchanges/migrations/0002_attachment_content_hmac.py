from django.db import migrations, models


class Migration(migrations.Migration):
    """Attachments keep an HMAC keyed by their own data key instead of a plain SHA-256 of their content."""

    dependencies = [("exchanges", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="attachment", old_name="sha256", new_name="content_hmac"),
        migrations.AlterField(
            model_name="attachment",
            name="content_hmac",
            field=models.CharField(help_text="HMAC-SHA256 of the content under its own data key.", max_length=64),
        ),
    ]
