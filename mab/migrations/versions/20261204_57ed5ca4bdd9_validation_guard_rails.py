"""Validation guard rails: the disposition policy, consultations ended early, and what a round
keeps at closing (the reason for closing early, whether its workshop was held, the audit head).

Revision ID: 57ed5ca4bdd9
Revises: 11b5e551095a
Create Date: 2026-12-04 14:08:32.415041

"""
from alembic import op
import sqlalchemy as sa
import mab.types


# revision identifiers, used by Alembic.
revision = '57ed5ca4bdd9'
down_revision = '11b5e551095a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_dispositions', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('circulations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_early_at', mab.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('validation_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('close_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('workshop_held', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('audit_head', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('audit_count', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('validation_rounds', schema=None) as batch_op:
        batch_op.drop_column('audit_count')
        batch_op.drop_column('audit_head')
        batch_op.drop_column('workshop_held')
        batch_op.drop_column('close_reason')

    with op.batch_alter_table('circulations', schema=None) as batch_op:
        batch_op.drop_column('ended_early_at')

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('require_dispositions')

