"""The outgoing register takes over meetings' IssuedNumber table with every number it holds (state first, under
its old table name; 0002 renames the table and adds the register's fields)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("meetings", "0007_numbers_move_to_the_registry"),
        ("members", "0006_training_course"),
        ("organizations", "0005_pending_authority"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Outgoing",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("doc_type", models.CharField(max_length=4)),
                        ("series", models.CharField(blank=True, default="", max_length=8)),
                        ("number", models.PositiveIntegerField()),
                        ("symbol", models.CharField(max_length=40)),
                        ("issued_on", models.DateField()),
                        ("meeting", models.ForeignKey(blank=True, null=True,
                                                      on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="numbers", to="meetings.meeting")),
                        ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                           related_name="+", to="organizations.organisation")),
                        ("term", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                                   related_name="+", to="members.term")),
                    ],
                    options={
                        "db_table": "meetings_issuednumber",
                        "ordering": ["doc_type", "number"],
                        "constraints": [
                            models.UniqueConstraint(fields=("organisation", "term", "doc_type", "series", "number"),
                                                    name="issued_number_uniq"),
                            models.UniqueConstraint(condition=models.Q(("term__isnull", True)),
                                                    fields=("organisation", "doc_type", "series", "number"),
                                                    name="issued_number_noterm_uniq"),
                            models.UniqueConstraint(condition=models.Q(("meeting__isnull", False)),
                                                    fields=("meeting", "doc_type"),
                                                    name="issued_number_meeting_once"),
                        ],
                    },
                ),
            ],
        ),
    ]
