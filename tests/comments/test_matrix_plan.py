"""Issue 17 item 4: the comment matrix and its exports reach an assessment's top-level comments
through ``ix_comments_assessment_parent`` (assessment, parent), which gives them in the order they
were stored: the table's pages one after another. Read by date instead
(``ix_comments_assessment_created``), every row is a jump to another page, and at 150,000 comments
the query took twice as long (1.24 s against 0.66 s on the bench's xl data)."""
from sqlalchemy import event

from mab.comments import queries
from mab.extensions import db
from tests.comments.support import comment, reply, world


def test_the_matrix_reads_top_level_comments_through_the_assessment_parent_index(
        app, request_context):
    w = world()
    reply(w, comment(w))
    db.session.commit()
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "FROM comments" in statement and "ORDER BY" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        rows = list(queries.matrix_rows(w.assessment, queries.MatrixFilters()))
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert rows and len(seen) == 1
    statement, parameters = seen[0]
    if db.engine.dialect.name != "sqlite":
        return   # PostgreSQL's planner picks by its statistics; the bench measures it there
    plan = " | ".join(row[3] for row in db.session.connection().exec_driver_sql(
        "EXPLAIN QUERY PLAN " + statement, parameters))
    assert "USING INDEX ix_comments_assessment_parent (assessment_id=? AND parent_id=?)" in plan, \
        plan
