"""The schema comes from the migrations: upgrade an empty database, then find no drift."""
import os
import uuid

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from mab.config import TestConfig
from mab import create_app
from mab.extensions import db
from tests.conftest import IN_CI

PG_URL = os.environ.get("TEST_POSTGRES_URL") or (
    os.environ.get("TEST_DATABASE_URL", "") if os.environ.get(
        "TEST_DATABASE_URL", "").startswith("postgresql") else "")


def migrated_app(url):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Config)


def upgrade_then_check(url):
    app = migrated_app(url)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "assessments", "memberships", "audit_events", "outbox_messages",
                "account_tokens", "alembic_version"} <= tables
        check()   # raises when the models and the migrations differ
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()


def test_single_head(app):
    migrate = app.extensions["migrate"]
    config = migrate.migrate.get_config(migrate.directory)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_sqlite_upgrade_check_downgrade(tmp_path):
    upgrade_then_check(f"sqlite:///{tmp_path / 'migrated.sqlite'}")


def test_sqlite_pragmas(tmp_path):
    app = migrated_app(f"sqlite:///{tmp_path / 'p.sqlite'}")
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        db.engine.dispose()


@pytest.fixture
def postgres_database():
    if not PG_URL:
        if IN_CI:
            pytest.fail("PostgreSQL is required in CI: set TEST_POSTGRES_URL (see .ci/run).")
        pytest.skip("No PostgreSQL: set TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1/"
                    "mab_test to run the PostgreSQL migration test.")
    base = make_url(PG_URL)
    name = f"mab_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:   # a missing server in CI is a failure, not a skip
        if IN_CI:
            pytest.fail(f"PostgreSQL not reachable at {PG_URL}: {error}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {error}")
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgres_upgrade_check_downgrade(postgres_database):
    upgrade_then_check(postgres_database)
