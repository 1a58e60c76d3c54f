"""sqlalchemy_ddl.py - prints the PostgreSQL DDL SQLAlchemy generates for the
tables of the given model modules (the oracle of tests/unit/test_orm_sqlalchemy.c).

usage: sqlalchemy_ddl.py DIR MODULE...
"""
import importlib
import sys

from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

sys.path.insert(0, sys.argv[1])
dialect = postgresql.dialect()
for name in sys.argv[2:]:
    module = importlib.import_module(name)
    metadata = getattr(module, "metadata", None) or module.Base.metadata
    for schema in sorted({t.schema for t in metadata.sorted_tables if t.schema}):
        print(f"CREATE SCHEMA {schema};")
    for table in metadata.sorted_tables:
        for column in table.columns:
            enum = getattr(column.type, "enums", None)
            if enum is not None and getattr(column.type, "native_enum", False):
                labels = ", ".join(f"'{v}'" for v in enum)
                print(f"CREATE TYPE {column.type.name} AS ENUM ({labels});")
        print(str(CreateTable(table).compile(dialect=dialect)).strip() + ";")
        for index in table.indexes:
            print(str(CreateIndex(index).compile(dialect=dialect)) + ";")
