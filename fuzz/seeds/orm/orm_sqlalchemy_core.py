# SQLAlchemy Core tables (fixture for the SQLAlchemy extractor).
from sqlalchemy import (BigInteger, Boolean, Column, DateTime, ForeignKey, Index, Integer,
                        MetaData, Numeric, String, Table, Text, UniqueConstraint, text)
from sqlalchemy.dialects import postgresql

metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("email", String(255), nullable=False, unique=True),
    Column("balance", Numeric(12, 2), server_default=text("0")),
    Column("active", Boolean, nullable=False, server_default="t"),
    Column("prefs", postgresql.JSONB),
    schema="billing",
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", BigInteger, ForeignKey("billing.accounts.id", ondelete="CASCADE"),
           nullable=False),
    Column("number", String(40), nullable=False),
    Column("note", Text),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("account_id", "number", name="uq_invoices_account_number"),
)

Index("ix_invoices_issued", invoices.c.issued_at)
