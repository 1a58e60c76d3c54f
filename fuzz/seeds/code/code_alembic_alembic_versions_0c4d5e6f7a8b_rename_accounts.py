"""rename accounts to members

Revision ID: 0c4d5e6f7a8b
Revises: 9b8e7d6c5a43
Create Date: 2024-03-03 08:15:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0c4d5e6f7a8b'
down_revision: Union[str, None] = '9b8e7d6c5a43'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.rename_table('accounts', 'members')
    op.create_index('ix_members_email_lower', 'members', [sa.text('lower(email)')],
                    postgresql_concurrently=True)
    with op.get_context().autocommit_block():
        op.create_index('ix_members_id_email', 'members', ['id', 'email'],
                        postgresql_concurrently=True)
    op.execute(
        "UPDATE members "
        "SET email = lower(email) "
        'WHERE email <> lower(email)'
    )
    for table in ("members",):
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    op.drop_index('ix_members_id_email', table_name='members')
    op.rename_table('members', 'accounts')
