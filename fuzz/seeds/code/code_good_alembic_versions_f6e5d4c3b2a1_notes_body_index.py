"""notes body index

Revision ID: f6e5d4c3b2a1
Revises: a1b2c3d4e5f6
Create Date: 2024-04-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6e5d4c3b2a1'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index('ix_notes_body', 'notes', ['body'], postgresql_concurrently=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index('ix_notes_body', table_name='notes', postgresql_concurrently=True)
