"""What ``/readyz`` checks: the database answers, and its schema is at the migrations' head.

The head comes from the application's own migration scripts (Flask-Migrate's directory), read
once per application; the database's revision from its ``alembic_version`` table.
"""
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Flask, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from mab.extensions import db

# Values of the "migrations" field.
AT_HEAD = "at head"
BEHIND = "behind"              # an older revision: run `flask db upgrade`
NOT_APPLIED = "not applied"    # no alembic_version: an empty or hand-made database
UNKNOWN = "unknown revision"   # newer than this code (code rolled back?) or foreign


def script_directory(app: Flask) -> ScriptDirectory:
    script = app.extensions.get("mab_script_directory")
    if script is None:
        migrate = app.extensions["migrate"]
        script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
        app.extensions["mab_script_directory"] = script
    return script


def migration_state(current: set[str], script: ScriptDirectory) -> str:
    """Compare the database's revisions with the scripts' heads."""
    if not current:
        return NOT_APPLIED
    if current == set(script.get_heads()):
        return AT_HEAD
    try:
        for revision in current:
            if script.get_revision(revision) is None:
                return UNKNOWN
    except CommandError:
        return UNKNOWN
    return BEHIND


def readiness() -> tuple[bool, dict]:
    """(ready, what to answer). Cheap: one connection, ``SELECT 1`` and one small table."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as error:
        current_app.logger.warning("readyz: database unreachable",
                                   extra={"event": "readyz", "error": type(error).__name__})
        return False, {"status": "not ready", "database": "unreachable"}
    state = migration_state(current, script_directory(current_app))
    if state != AT_HEAD:
        return False, {"status": "not ready", "database": "ok", "migrations": state}
    return True, {"status": "ready", "database": "ok", "migrations": state}
