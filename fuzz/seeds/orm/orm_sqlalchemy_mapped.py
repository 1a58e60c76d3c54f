# SQLAlchemy 2.0 annotated declarative mapping (fixture for the extractor).
import datetime
import uuid
from decimal import Decimal
from typing import List, Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    nickname: Mapped[Optional[str]] = mapped_column(String(30))
    bio: Mapped[str | None]
    score: Mapped[Decimal]
    public_id: Mapped[uuid.UUID] = mapped_column(server_default=func.gen_random_uuid())
    joined: Mapped[datetime.datetime] = mapped_column(server_default=func.now())
    vip: Mapped[bool] = mapped_column(nullable=True)
    orders: Mapped[List["Order"]] = relationship(back_populates="customer")


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("customer_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    ref: Mapped[str] = mapped_column(String(20))
    placed_on: Mapped[datetime.date]
    customer: Mapped["Customer"] = relationship(back_populates="orders")


def make_table(name):
    return name


class Dynamic(Base):
    __tablename__ = make_table("dynamic")
    id: Mapped[int] = mapped_column(primary_key=True)
