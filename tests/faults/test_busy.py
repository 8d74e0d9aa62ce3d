"""Writes under contention on SQLite (issue 17 item 3): another writer holds the write lock
longer than the busy timeout. A write gets the 503 page "MAB is busy, your text is kept: send
again" with the posted form again, never a 500 and never a lost or doubled comment; reads go on;
sign-in waits or fails with that page, and its last_login_at is bookkeeping."""
import time

import pytest
from sqlalchemy import select

from mab.auth.models import User, UserSession
from mab.comments.models import Comment
from mab.extensions import db
from tests.factories import PASSWORD, sign_in_client
from tests.faults.support import circulated, comment_count, kept_fields, write_lock

WAIT_MS = 200   # the test's busy timeout: a held lock outlasts it at once


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'busy.sqlite'}"


@pytest.fixture
def app_overrides():
    return {"DATABASE_BUSY_TIMEOUT_MS": WAIT_MS}


TEXT = "Rural coverage is <b>poor</b> & \"slow\".\n\nSecond paragraph of my comment."


def test_a_comment_posted_while_the_database_is_locked_is_kept_and_sent_again_once(app, client):
    _, people, draft, url = circulated()
    sign_in_client(client, people["board_member"])
    with write_lock(app):
        started = time.perf_counter()
        response = client.post(f"{url}/comments", data={"body": TEXT, "block_id": "p1"})
        waited = time.perf_counter() - started
        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert response.headers["Cache-Control"] == "no-store"
        assert "MAB is busy, your text is kept: send again" in html
        assert "Nothing was saved yet" in html
        kept = kept_fields(html)
        assert kept["action"] == f"{url}/comments"
        assert kept["fields"]["body"] == ("textarea", TEXT)   # escaped in the page, kept whole
        assert kept["fields"]["block_id"] == ("hidden", "p1")
        assert "csrf_token" in kept["fields"]                  # a fresh token
        assert comment_count() == 0
        assert WAIT_MS / 1000 <= waited < 5

    again = {name: value for name, (_kind, value) in kept["fields"].items()}
    response = client.post(f"{url}/comments", data=again)
    assert response.status_code == 302
    comments = db.session.scalars(select(Comment)).all()
    assert [(c.body, c.block_id) for c in comments] == [(TEXT, "p1")]


def test_reading_goes_on_while_another_writer_holds_the_lock(app, client):
    _, people, draft, url = circulated()
    sign_in_client(client, people["board_member"])
    with write_lock(app):
        # The first opening of a version records who opened it: bookkeeping, which gives up.
        assert client.get(url).status_code == 200
        assert client.get("/").status_code in (200, 302)


def test_signing_in_while_the_database_is_locked_says_so_and_keeps_the_email(app, client):
    _, people, _, _ = circulated()
    email = people["board_member"].email
    with write_lock(app):
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "MAB is busy, your text is kept: send again" in html
        fields = kept_fields(html)["fields"]
        assert fields["email"] == ("textarea", email)
        assert fields["password"] == ("password", "")   # never echoed back
        assert PASSWORD not in html
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def test_last_login_is_bookkeeping_that_never_fails_a_sign_in(app, client, monkeypatch):
    _, people, _, _ = circulated()
    user = people["board_member"]
    from mab import boundary

    def refuse(write, what):
        if "last sign-in" in what:
            return False   # as a busy database would: logged, swallowed
        return real(write, what)

    real = boundary._run
    monkeypatch.setattr(boundary, "_run", refuse)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is None
    assert db.session.query(UserSession).filter_by(user_id=user.id).count() == 1

    monkeypatch.setattr(boundary, "_run", real)
    client.post("/logout")
    assert client.post("/login", data={"email": user.email,
                                       "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None
