"""Counting the SQL statements a request runs (for the "no N+1" tests)."""
from contextlib import contextmanager

from sqlalchemy import event

from mab.extensions import db


@contextmanager
def counting():
    """Collect the statements executed inside the block: ``with counting() as statements:``."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
