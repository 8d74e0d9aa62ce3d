"""/healthz answers while the process is up; /readyz only when the database answers and its
schema is at the migrations' head. Both are public, JSON, uncached and set no cookie."""
import pytest
from flask_migrate import stamp
from sqlalchemy import text

from mab.extensions import db
from mab.health.checks import script_directory
from tests.conftest import make_app
from tests.factories import make_user


def _plain(response):
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    _plain(response)


def test_healthz_needs_no_sign_in_and_ignores_one(client, login):
    login(make_user(email="someone@example.org"))
    db.session.commit()
    assert client.get("/healthz").json == {"status": "ok"}


@pytest.fixture
def database_url(tmp_path):
    """A database file of the test's own, so stamping it touches nobody else's."""
    return f"sqlite:///{tmp_path / 'ready.sqlite'}"


def _set_revision(revision):
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def test_readyz_ready_at_head(app, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "database": "ok", "migrations": "at head"}
    _plain(response)


def test_readyz_not_ready_when_the_migrations_are_behind(app, client):
    script = script_directory(app)
    (head,) = script.get_heads()
    previous = script.get_revision(head).down_revision
    assert isinstance(previous, str)
    stamp(revision=previous)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "not ready", "database": "ok", "migrations": "behind"}
    _plain(response)
    stamp()   # `flask db upgrade` done: ready again
    assert client.get("/readyz").status_code == 200


def test_readyz_not_ready_without_migrations_or_with_a_foreign_revision(app, client):
    with db.engine.begin() as conn:   # tables made by hand, no alembic_version
        conn.execute(text("DROP TABLE alembic_version"))
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["migrations"] == "not applied"
    stamp()
    _set_revision("feedfacecafe")      # newer code's revision, after a rollback of the code
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["migrations"] == "unknown revision"


def test_readyz_not_ready_when_the_database_is_unreachable(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'no-such-folder' / 'mab.sqlite'}")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "not ready", "database": "unreachable"}
    _plain(response)
    assert app.test_client().get("/healthz").status_code == 200   # the process is still up
