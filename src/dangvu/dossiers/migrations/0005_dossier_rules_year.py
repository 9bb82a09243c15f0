from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_file_text_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="rules_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
