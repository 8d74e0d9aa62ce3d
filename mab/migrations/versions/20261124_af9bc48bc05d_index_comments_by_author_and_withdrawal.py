"""Index comments by author and withdrawal (participation counts), replacing the author index.

Revision ID: af9bc48bc05d
Revises: c7f6f387dcbf
Create Date: 2026-11-24 02:57:53.049890

"""
from alembic import op
import sqlalchemy as sa
import mab.types


# revision identifiers, used by Alembic.
revision = 'af9bc48bc05d'
down_revision = 'c7f6f387dcbf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))
        batch_op.create_index('ix_comments_author_withdrawn', ['author_id', 'withdrawn_at'], unique=False)



def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_author_withdrawn')
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)

