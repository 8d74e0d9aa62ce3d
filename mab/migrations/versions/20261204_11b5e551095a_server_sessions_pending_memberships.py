"""Server-side sessions, pending memberships bound to their own invitation, secret outbox mail.

Revision ID: 11b5e551095a
Revises: 11a0f2c0c0de
Create Date: 2026-12-04 12:00:00

A membership of a person who had not set a password yet stays pending (accepted_at NULL) until
its own link is used: invitations already sent without a membership of their own activate
nothing, so such people ask for the link again from their home page or the coordinator resends
it. Every signed-in device has a row in user_sessions; existing cookies (which named
users.session_version, now dropped) stop working, and everyone signs in once more.
"""
from alembic import op
import sqlalchemy as sa
import mab.types


revision = '11b5e551095a'
down_revision = '11a0f2c0c0de'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('user_agent', sa.String(length=300), nullable=False),
        sa.Column('created_at', mab.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', mab.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ended_at', mab.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_at', mab.types.UTCDateTime(timezone=True),
                                      nullable=True))
    op.execute("UPDATE memberships SET accepted_at = created_at WHERE user_id IN "
               "(SELECT id FROM users WHERE password_hash IS NOT NULL)")

    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('membership_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_account_tokens_membership_id'), ['membership_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_account_tokens_membership_id_memberships'),
                                    'memberships', ['membership_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secret', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.execute("UPDATE outbox_messages SET secret = TRUE "
               "WHERE kind IN ('invitation', 'password_reset')")

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.String(length=32), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('secret')
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_account_tokens_membership_id_memberships'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_account_tokens_membership_id'))
        batch_op.drop_column('membership_id')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('accepted_at')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
