"""The register of issued numbers moves to the documents app (`documents.Outgoing`, one counter for every
document type): here only the model leaves meetings' state; the table is renamed by documents 0001."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("meetings", "0006_more_document_types_and_series")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="IssuedNumber")]),
    ]
