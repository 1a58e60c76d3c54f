from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


def lowercase_headlines(apps, schema_editor):
    Entry = apps.get_model("blog", "Entry")
    for entry in Entry.objects.all():
        entry.headline = entry.headline.lower()
        entry.save()


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('blog', '0001_initial'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='entry',
            index=models.Index(fields=['headline'], name='blog_entry_headlin_idx'),
        ),
        migrations.RunPython(lowercase_headlines, reverse_code=migrations.RunPython.noop),
        migrations.RunSQL(
            sql="CREATE TABLE blog_stats (day date PRIMARY KEY, entries integer NOT NULL)",
            reverse_sql="DROP TABLE blog_stats",
        ),
    ]
