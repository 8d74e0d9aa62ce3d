"""A read-only database (issue 17 item 7): pages are still read; a write answers a 503 that says
what is wrong and that nothing was saved, with the person's text kept; signing in fails with
that clear page, never a 500. SQLite (its connections made query-only, as a read-only file
answers: SQLITE_READONLY) and PostgreSQL (default_transaction_read_only)."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from mab.auth.models import UserSession
from mab.extensions import db
from tests.factories import PASSWORD, sign_in_client
from tests.faults.support import circulated, comment_count, kept_fields, scratch_postgres


@pytest.fixture(params=["sqlite-file", "postgresql"])
def engine_kind(request):
    return request.param


@pytest.fixture
def database_url(engine_kind, tmp_path):
    if engine_kind == "postgresql":
        with scratch_postgres() as (url, _admin, _name):
            yield url
        return
    yield f"sqlite:///{tmp_path / 'read-only.sqlite'}"


def _query_only(dbapi_connection, record):
    dbapi_connection.execute("PRAGMA query_only = ON")


@contextmanager
def read_only(engine_kind):
    """The database read-only for new connections until the block ends."""
    db.session.remove()
    if engine_kind == "postgresql":
        with db.engine.connect() as conn:
            name = conn.execute(text("SELECT current_database()")).scalar()
            conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
            conn.commit()
    else:
        event.listen(db.engine, "connect", _query_only)
    db.engine.dispose()
    try:
        yield
    finally:
        db.session.remove()
        if engine_kind == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("SET default_transaction_read_only = off"))
                conn.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
        else:
            event.remove(db.engine, "connect", _query_only)
        db.engine.dispose()


def test_read_only_database_pages_read_writes_say_nothing_was_saved(app, client, engine_kind,
                                                                    database_url):
    _, people, draft, url = circulated()
    member = people["board_member"]
    sign_in_client(client, member)
    email = member.email
    with read_only(engine_kind):
        assert client.get(url).status_code == 200   # its first opening is not recorded: fine

        response = client.post(f"{url}/comments", data={"body": "Mobile data is cheap."})
        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "Changes cannot be saved at the moment" in html
        assert "The database is read-only at the moment, so nothing was saved." in html
        assert kept_fields(html)["fields"]["body"] == ("textarea", "Mobile data is cheap.")
        assert comment_count() == 0

        sessions_before = db.session.query(UserSession).count()
        response = app.test_client().post("/login", data={"email": email, "password": PASSWORD})
        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "The database is read-only at the moment, so nothing was saved." in html
        assert kept_fields(html)["fields"]["email"] == ("textarea", email)
        assert PASSWORD not in html
        assert db.session.query(UserSession).count() == sessions_before
    assert app.test_client().post("/login", data={"email": email,
                                                  "password": PASSWORD}).status_code == 302
