"""The schema comes from the migrations: upgrade an empty database, then find no drift."""

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect, text

from mab.config import TestConfig
from mab import create_app
from mab.extensions import db
from tests.postgres import scratch_postgres


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
    with scratch_postgres("mab_migrations") as (url, _admin, _name):
        yield url


def test_postgres_upgrade_check_downgrade(postgres_database):
    upgrade_then_check(postgres_database)


# --- data: issue 15 item 3, the built-in content in Russian and Kazakh -------------------------

BEFORE_NAMES = "57ed5ca4bdd9"   # the revision before stakeholder_groups.names


def _rows_before_names(conn):
    now = "2026-12-01 10:00:00"
    conn.execute(text(
        "INSERT INTO assessments (id, slug, country, title, year, timezone, languages, phase, "
        "created_at, gender_min_pct, gender_max_pct, undisclosed_max_pct, group_min_members, "
        "group_max_pct, quorum_members_pct, quorum_groups_pct, validation_response_pct, "
        "validation_endorse_num, validation_endorse_den, core_only, require_dispositions) "
        "VALUES (1, 'kz', 'KZ', 'Kazakhstan', 2022, 'Asia/Almaty', 'ru,kk,en', 'setup', :now, "
        "40, 60, 20, 1, 30, 50, 50, 60, 2, 3, true, true)"), {"now": now})
    for n, name in enumerate(("Government", "Our own group"), start=1):
        conn.execute(text(
            "INSERT INTO stakeholder_groups (id, assessment_id, name, description, min_members, "
            "position, retired, created_at) VALUES (:id, 1, :name, '', 1, :id, false, :now)"),
            {"id": n, "name": name, "now": now})
    # The built-in framework, an assessment's copy of it, and another assessment's own catalogue.
    for n, key, source in ((1, "roamx-2018", None), (2, "roamx-2018.kz", 1), (4, "other", None)):
        conn.execute(text(
            "INSERT INTO frameworks (id, key, name, version, attribution, builtin, created_at, "
            "copied_from_id) VALUES (:id, :key, 'ROAM-X', '2018', '', :builtin, :now, :source)"),
            {"id": n, "key": key, "builtin": n == 1, "now": now, "source": source})
        conn.execute(text(
            "INSERT INTO framework_items (id, framework_id, kind, code, title, core, position) "
            "VALUES (:id, :id, 'category', 'R', 'Rights', false, 1)"), {"id": n})
    conn.execute(text(
        "INSERT INTO framework_items (id, framework_id, kind, code, title, core, position) "
        "VALUES (5, 2, 'category', 'O', 'Openness, as we say', false, 2)"))
    conn.execute(text(
        "INSERT INTO framework_items (id, framework_id, kind, code, title, core, position) "
        "VALUES (3, 1, 'theme', 'R.B', 'Freedom of expression', false, 2)"))


def upgrade_translates_builtin_content(url):
    import json
    app = migrated_app(url)
    with app.app_context():
        upgrade(revision=BEFORE_NAMES)
        with db.engine.begin() as conn:
            _rows_before_names(conn)
        upgrade()

        def as_dict(value):
            return json.loads(value) if isinstance(value, str) else value

        with db.engine.connect() as conn:
            names = {name: as_dict(value) for name, value in conn.execute(
                text("SELECT name, names FROM stakeholder_groups"))}
            titles = {i: as_dict(value) for i, value in conn.execute(
                text("SELECT id, titles FROM framework_items"))}
        assert names["Government"] == {"en": "Government", "ru": "Правительство", "kk": "Үкімет"}
        assert names["Our own group"] == {}          # not a default group: left as it was
        assert titles[1] == {"en": "Rights", "ru": "Права", "kk": "Құқықтар"}
        assert titles[3]["ru"] == "Свобода выражения мнений"
        assert titles[2]["kk"] == "Құқықтар"         # a copy of the built-in one, title kept
        assert titles[5] == {} and titles[4] == {}   # a changed title, another catalogue
        downgrade(revision="base")
        db.engine.dispose()


def test_sqlite_upgrade_translates_the_builtin_content(tmp_path):
    upgrade_translates_builtin_content(f"sqlite:///{tmp_path / 'names.sqlite'}")


def test_postgres_upgrade_translates_the_builtin_content(postgres_database):
    upgrade_translates_builtin_content(postgres_database)


BEFORE_INDEX = "49eb948c0e54"   # editions without their source index


def upgrade_indexes_the_editions(url):
    import json
    app = migrated_app(url)
    with app.app_context():
        upgrade(revision=BEFORE_INDEX)
        now = "2026-12-04 10:00:00"
        blocks = [{"id": "p1", "text": "Бірінші.", "source_hash": "a" * 64, "basis": "Первый."},
                  {"id": "p3", "text": "  ", "source_hash": "b" * 64, "basis": "Третий."}]
        with db.engine.begin() as conn:
            _rows_before_names(conn)
            conn.execute(text(
                "INSERT INTO drafts (id, assessment_id, subject, title, created_at) "
                "VALUES (1, 1, 'indicator', 'Access', :now)"), {"now": now})
            conn.execute(text(
                "INSERT INTO draft_versions (id, draft_id, number, body, blocks, change_summary, "
                "revision, created_at, updated_at) VALUES (1, 1, 1, 'Первый.', '[]', '', 1, "
                ":now, :now)"), {"now": now})
            conn.execute(text(
                "INSERT INTO editions (id, version_id, language, blocks, machine_assisted, "
                "revision, updated_at) VALUES (1, 1, 'kk', :blocks, false, 1, :now)"),
                {"blocks": json.dumps(blocks), "now": now})
        upgrade()
        with db.engine.connect() as conn:
            index = conn.execute(text("SELECT source_index FROM editions")).scalar()
        # The translated paragraph and the hash it was made from; an empty one is not indexed.
        assert (json.loads(index) if isinstance(index, str) else index) == {"p1": "a" * 64}
        downgrade(revision="base")
        db.engine.dispose()


def test_sqlite_upgrade_indexes_the_editions(tmp_path):
    upgrade_indexes_the_editions(f"sqlite:///{tmp_path / 'index.sqlite'}")


def test_postgres_upgrade_indexes_the_editions(postgres_database):
    upgrade_indexes_the_editions(postgres_database)
