"""The migration to assessment-owned frameworks keeps every catalogue, shared."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from mab.config import TestConfig
from mab import create_app
from mab.extensions import db

BEFORE, REVISION = "af9bc48bc05d", "11a0f2c0c0de"


def test_existing_frameworks_and_their_items_survive_and_stay_shared(tmp_path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'owned.sqlite'}"

    app = create_app(Config)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO frameworks (id, key, name, version, attribution, builtin, created_at)"
                " VALUES (1, 'roamx-2018', 'ROAM-X', '2018', 'UNESCO', 1, '2026-01-01 00:00:00')"))
            conn.execute(text(
                "INSERT INTO framework_items (id, framework_id, kind, code, parent_id, title, "
                "core, position) VALUES (1, 1, 'category', 'R', NULL, 'Rights', 0, 1), "
                "(2, 1, 'theme', 'R.B', 1, 'Freedom of expression', 0, 2)"))
        # SQLite rebuilds the table: the items (ON DELETE CASCADE) must not go with it.
        upgrade(revision=REVISION)
        with db.engine.connect() as conn:
            assert conn.execute(text(
                "SELECT key, owner_assessment_id, copied_from_id, copied_at, copied_by_id "
                "FROM frameworks")).all() == [("roamx-2018", None, None, None, None)]
            assert conn.execute(text("SELECT count(*) FROM framework_items")).scalar() == 2
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM framework_items")).scalar() == 2
        db.engine.dispose()
