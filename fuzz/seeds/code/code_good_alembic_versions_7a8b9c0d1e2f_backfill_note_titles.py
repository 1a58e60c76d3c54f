"""backfill note titles

Revision ID: 7a8b9c0d1e2f
Revises: f6e5d4c3b2a1
Create Date: 2024-04-03 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a8b9c0d1e2f'
down_revision = 'f6e5d4c3b2a1'
branch_labels = None
depends_on = None

notes = sa.table('notes', sa.column('id', sa.BigInteger), sa.column('body', sa.Text))


def strip_bodies(conn, strip):
    for row in conn.execute(sa.select(notes.c.id, notes.c.body)):
        conn.execute(notes.update().where(notes.c.id == row.id).values(body=strip(row.body)))


def upgrade():
    strip_bodies(op.get_bind(), str.strip)


def downgrade():
    # the bodies were only trimmed; nothing to restore
    strip_bodies(op.get_bind(), lambda body: body)
