# ReviewComment moves to the evidence app (a comment can point at an evidence item, and
# the indicators core never refers to evidence). The table is kept; only Django's state
# changes here, and evidence.0005 takes the model over and renames the table.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_reportjob"),
        ("evidence", "0004_document_file_check"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReviewComment")],
            database_operations=[],
        ),
    ]
