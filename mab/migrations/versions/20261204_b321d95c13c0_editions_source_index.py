"""Editions keep a small index of what they translate (issue 18): {paragraph id: the source
paragraph's hash it was made from}, so list pages count translation statuses without reading the
translations' text. Filled here for the editions that exist.

Revision ID: b321d95c13c0
Revises: 49eb948c0e54
Create Date: 2026-12-04 19:58:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b321d95c13c0'
down_revision = '49eb948c0e54'
branch_labels = None
depends_on = None


def _index(blocks) -> dict:
    """mab.editions.rules.source_index, as it stood when this migration was written."""
    return {b["id"]: b.get("source_hash", "") for b in blocks or []
            if (b.get("text") or "").strip()}


def upgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_index', sa.JSON(), nullable=True))

    editions = sa.table('editions', sa.column('id', sa.Integer), sa.column('blocks', sa.JSON),
                        sa.column('source_index', sa.JSON))
    connection = op.get_bind()
    for edition_id, blocks in connection.execute(sa.select(editions.c.id, editions.c.blocks)).all():
        connection.execute(editions.update().where(editions.c.id == edition_id)
                           .values(source_index=_index(blocks)))

    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.alter_column('source_index', existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('source_index')
