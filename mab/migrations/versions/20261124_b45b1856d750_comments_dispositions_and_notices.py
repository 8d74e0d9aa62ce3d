"""Comments, dispositions and notices; comment email preference; extended deadlines.

Existing users get immediate comment emails (server default).

Revision ID: b45b1856d750
Revises: fb8579adff99
Create Date: 2026-11-24 01:44:42.477467

"""
from alembic import op
import sqlalchemy as sa
import mab.types


# revision identifiers, used by Alembic.
revision = 'b45b1856d750'
down_revision = 'fb8579adff99'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.String(length=20), nullable=True),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', mab.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', mab.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', mab.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disposition', sa.Enum('accepted', 'partly_accepted', 'not_accepted', 'noted', name='disposition', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('addressed_in_id', sa.Integer(), nullable=True),
    sa.Column('disposed_by_id', sa.Integer(), nullable=True),
    sa.Column('disposed_at', mab.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('satisfied', sa.Boolean(), nullable=True),
    sa.Column('satisfied_at', mab.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('length(body) <= 10000', name=op.f('ck_comments_body_length')),
    sa.CheckConstraint('length(quote) <= 1000', name=op.f('ck_comments_quote_length')),
    sa.CheckConstraint('parent_id IS NULL OR disposition IS NULL', name=op.f('ck_comments_replies_not_disposed')),
    sa.ForeignKeyConstraint(['addressed_in_id'], ['draft_versions.id'], name=op.f('fk_comments_addressed_in_id_draft_versions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_comments_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['memberships.id'], name=op.f('fk_comments_author_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['disposed_by_id'], ['memberships.id'], name=op.f('fk_comments_disposed_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_comments_draft_id_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['draft_versions.id'], name=op.f('fk_comments_version_id_draft_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_assessment_created', ['assessment_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_version_id'), ['version_id'], unique=False)

    op.create_table('comment_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('new_comment', 'reply', 'response', name='notice_reason', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', mab.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', mab.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_notices_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_comment_notices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_notices'))
    )
    with op.batch_alter_table('comment_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_notices_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index('ix_comment_notices_pending', ['sent_at', 'user_id'], unique=False)

    op.create_table('comment_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('written_at', mab.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('replaced_at', mab.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_revisions_comment_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_revisions'))
    )
    with op.batch_alter_table('comment_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_revisions_comment_id'), ['comment_id'], unique=False)

    with op.batch_alter_table('circulations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_deadline', sa.Date(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_emails', sa.Enum('immediate', 'daily', name='comment_emails', native_enum=False, create_constraint=True, length=20), nullable=False,
                                      server_default='immediate'))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_comment_emails'), type_='check')
        batch_op.drop_column('comment_emails')

    with op.batch_alter_table('circulations', schema=None) as batch_op:
        batch_op.drop_column('original_deadline')

    with op.batch_alter_table('comment_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_revisions_comment_id'))

    op.drop_table('comment_revisions')
    with op.batch_alter_table('comment_notices', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_notices_pending')
        batch_op.drop_index(batch_op.f('ix_comment_notices_comment_id'))

    op.drop_table('comment_notices')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_version_id'))
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comments_draft_id'))
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))
        batch_op.drop_index('ix_comments_assessment_created')

    op.drop_table('comments')
