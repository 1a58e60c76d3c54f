"""django_ddl.py - prints the PostgreSQL DDL Django's schema editor generates
for the models of the given apps, without a database (the oracle of
tests/unit/test_orm_django.c).

usage: django_ddl.py DIR APP...
"""
import sys

import django
from django.conf import settings

sys.path.insert(0, sys.argv[1])
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"] + sys.argv[2:],
    DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "none"}},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    USE_TZ=True,
)
django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection  # noqa: E402

# Tables the fixture models point at, from django.contrib.auth.
with connection.schema_editor(collect_sql=True, atomic=False) as editor:
    editor.create_model(apps.get_model("auth", "User"))
with connection.schema_editor(collect_sql=True, atomic=False) as editor:
    for label in sys.argv[2:]:
        for model in apps.get_app_config(label).get_models():
            editor.create_model(model)
for statement in editor.collected_sql:
    print(statement)
