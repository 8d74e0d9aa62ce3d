"""Comments' and responses' Markdown stored rendered (body_html, response_html), and an index
of an assessment's comments by author (participation and balance read one assessment only).

The new columns start empty: pages render the Markdown of a row whose HTML is empty, and
``flask mab rerender-markdown`` fills them (a migration does not import the app's renderer,
whose output may change later; run the command after upgrading, see README).

Revision ID: 4dd92d6f338a
Revises: 37e1a72d682b
Create Date: 2026-12-04 17:26:01.738310

"""
from alembic import op
import sqlalchemy as sa
import mab.types


# revision identifiers, used by Alembic.
revision = '4dd92d6f338a'
down_revision = '37e1a72d682b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('response_html', sa.Text(), server_default='', nullable=False))
        batch_op.create_index('ix_comments_assessment_author', ['assessment_id', 'author_id'], unique=False)



def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_assessment_author')
        batch_op.drop_column('response_html')
        batch_op.drop_column('body_html')

