"""Validation rounds on a frozen version, and sign-offs (one current decision per member).

Revision ID: c7f6f387dcbf
Revises: b45b1856d750
Create Date: 2026-11-24 01:58:39.172079

"""
from alembic import op
import sqlalchemy as sa
import mab.types


# revision identifiers, used by Alembic.
revision = 'c7f6f387dcbf'
down_revision = 'b45b1856d750'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('validation_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('version_sha256', sa.String(length=64), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', mab.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', mab.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_validation_rounds_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_validation_rounds_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_validation_rounds_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_validation_rounds_opened_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['draft_versions.id'], name=op.f('fk_validation_rounds_version_id_draft_versions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_validation_rounds')),
    sa.UniqueConstraint('version_id', name=op.f('uq_validation_rounds_version_id'))
    )
    with op.batch_alter_table('validation_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_validation_rounds_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('signoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('endorse', 'reservations', 'object', name='sign_decision', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('version_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', mab.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', mab.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("decision = 'endorse' OR length(statement) > 0", name=op.f('ck_signoffs_statement_required')),
    sa.CheckConstraint('recorded_by_id IS NULL OR meeting_id IS NOT NULL', name=op.f('ck_signoffs_on_behalf_names_meeting')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_signoffs_meeting_id_meetings'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_signoffs_membership_id_memberships'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['memberships.id'], name=op.f('fk_signoffs_recorded_by_id_memberships'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['round_id'], ['validation_rounds.id'], name=op.f('fk_signoffs_round_id_validation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signoffs'))
    )
    with op.batch_alter_table('signoffs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signoffs_membership_id'), ['membership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signoffs_round_id'), ['round_id'], unique=False)
        batch_op.create_index('uq_signoffs_current', ['round_id', 'membership_id'], unique=True, sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))



def downgrade():
    with op.batch_alter_table('signoffs', schema=None) as batch_op:
        batch_op.drop_index('uq_signoffs_current', sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_signoffs_round_id'))
        batch_op.drop_index(batch_op.f('ix_signoffs_membership_id'))

    op.drop_table('signoffs')
    with op.batch_alter_table('validation_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_validation_rounds_assessment_id'))

    op.drop_table('validation_rounds')
