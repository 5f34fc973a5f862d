# The counter model, taken over from intake with its table (intake_referencecounter) as it is.
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("intake", "0004_referencecounter_to_core")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReferenceCounter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("prefix", models.CharField(max_length=10)),
                        ("year", models.PositiveIntegerField()),
                        ("last", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "intake_referencecounter",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("prefix", "year"), name="reference_counter_unique"
                            )
                        ],
                    },
                )
            ],
            database_operations=[],
        )
    ]
