"""Assessment-owned frameworks: the owner of a copy and where, when and by whom it was copied.

Revision ID: 11a0f2c0c0de
Revises: af9bc48bc05d
Create Date: 2026-12-04 10:00:00

Every existing framework stays shared (no owner): a coordinator's next import into one makes the
assessment's own copy first, so imports never change what another assessment shows.
"""
from alembic import op
import sqlalchemy as sa
import mab.types


revision = '11a0f2c0c0de'
down_revision = 'af9bc48bc05d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_assessment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('copied_from_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('copied_at', mab.types.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('copied_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_frameworks_owner_assessment_id'),
                              ['owner_assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_frameworks_copied_from_id'), ['copied_from_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_frameworks_owner_assessment_id_assessments'),
                                    'assessments', ['owner_assessment_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_frameworks_copied_from_id_frameworks'),
                                    'frameworks', ['copied_from_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_frameworks_copied_by_id_users'),
                                    'users', ['copied_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_frameworks_builtin_shared'),
                                         'owner_assessment_id IS NULL OR NOT builtin')


def downgrade():
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_frameworks_builtin_shared'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_frameworks_copied_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_frameworks_copied_from_id_frameworks'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_frameworks_owner_assessment_id_assessments'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_frameworks_copied_from_id'))
        batch_op.drop_index(batch_op.f('ix_frameworks_owner_assessment_id'))
        batch_op.drop_column('copied_by_id')
        batch_op.drop_column('copied_at')
        batch_op.drop_column('copied_from_id')
        batch_op.drop_column('owner_assessment_id')
