# Declarative classes with Column (fixture for the SQLAlchemy extractor).
import enum

from sqlalchemy import (Boolean, Column, DateTime, Enum, ForeignKey, Index, Integer, String,
                        Text, func)
from sqlalchemy.orm import column_property, declarative_base, relationship

Base = declarative_base()


class Mood(enum.Enum):
    happy = "h"
    sad = "s"


class TimestampMixin:
    created_at = Column(DateTime, nullable=False, server_default=func.now())


class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_name_lower", "display_name"), {"schema": "app"})

    id = Column(Integer, primary_key=True)
    name = Column("display_name", String(100), index=True)
    mood = Column(Enum(Mood), nullable=False, default=Mood.happy)
    role = Column(Enum("admin", "member", name="user_role"), server_default="member")
    posts = relationship("Post", back_populates="author")


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    author_id = Column(Integer, ForeignKey("app.users.id", ondelete="SET NULL"))
    body = Column(Text, nullable=False)
    published = Column(Boolean, default=False)
    author = relationship("User", back_populates="posts")


class Tag(Base):
    __tablename__ = "post_tags"

    post_id = Column(Integer, ForeignKey("posts.id"), primary_key=True)
    tag = Column(String(30), primary_key=True)


class Document(Base):
    __tablename__ = "documents"
    id = Column(Integer, primary_key=True)
    kind = Column(String(20))
    __mapper_args__ = {"polymorphic_on": kind}


class Invoice(Document):
    __mapper_args__ = {"polymorphic_identity": "invoice"}
    total = Column(Integer)


class Revision(Base):
    __tablename__ = "revisions"
    id = Column(None, ForeignKey("documents.id"), primary_key=True)
    note = column_property(Column(Text))
