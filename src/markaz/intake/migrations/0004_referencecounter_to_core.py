# The counter model moved to markaz.core (case numbers use it too); its table stays.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_redundant_indexes_dropped")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReferenceCounter")],
            database_operations=[],
        )
    ]
