"""Error pages that need no database (issue 17 item 7): while the database cannot be reached,
a signed-in person's page is a 503 that says so, drawn in a minimal layout (the site layout
needs the database for the person's menu), never a bare 500. A read meeting a dropped
connection is run once more, once only."""
import shutil

import pytest
from sqlalchemy.exc import OperationalError

from mab.extensions import db
from tests.conftest import make_app
from tests.factories import sign_in_client
from tests.faults.support import circulated

DOWN = "postgresql+psycopg://mab@127.0.0.1:1/mab"   # nothing listens on port 1


def signed_in_cookie(client, token="1.not-checked-the-database-is-down"):
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True


def assert_unavailable_page(response, *, kept=None):
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "The database cannot be reached" in html
    assert "nothing was saved" in html or "try again in a few minutes" in html
    assert "Sign out" not in html and 'class="site-menu"' not in html   # the minimal layout
    assert response.headers["Retry-After"] == "30"
    if kept is not None:
        assert kept in html and 'class="kept-form"' in html
    return html


def test_postgresql_down_signed_in_pages_and_posts_answer_503_without_the_database():
    app = make_app(DOWN, RATELIMIT_ENABLED=False)
    client = app.test_client()
    signed_in_cookie(client)
    assert_unavailable_page(client.get("/"))
    assert_unavailable_page(client.get("/a/kz-2022/drafts"))
    html = assert_unavailable_page(
        client.post("/a/kz-2022/drafts/1/v/1/comments", data={"body": "My long comment."}),
        kept="My long comment.")
    assert "so nothing was saved" in html
    # Signing in cannot work without the database: it says so too.
    anonymous = app.test_client()
    assert anonymous.get("/login").status_code == 200   # the page itself needs no database
    assert_unavailable_page(anonymous.post("/login", data={"email": "a@example.org",
                                                           "password": "secret-secret"}),
                            kept="a@example.org")


@pytest.fixture
def database_url(tmp_path):
    (tmp_path / "gone").mkdir()
    return f"sqlite:///{tmp_path / 'gone' / 'mab.sqlite'}"


def test_sqlite_file_gone_the_page_says_the_database_cannot_be_reached(app, client, tmp_path):
    _, people, draft, url = circulated()
    sign_in_client(client, people["board_member"])
    assert client.get(url).status_code == 200
    db.session.remove()
    db.engine.dispose()
    shutil.rmtree(tmp_path / "gone")   # "unable to open database file"
    try:
        assert_unavailable_page(client.get(url))
        assert_unavailable_page(client.post(f"{url}/comments", data={"body": "Kept."}),
                                kept="Kept.")
    finally:
        (tmp_path / "gone").mkdir()


def test_reads_are_run_once_more_and_once_only(app, client):
    calls = []

    @app.get("/_dead")
    def dead():
        calls.append(1)
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"),
                               connection_invalidated=True)

    assert_unavailable_page(client.get("/_dead"))
    assert len(calls) == 2


def test_writes_are_never_run_twice(app, client):
    calls = []

    @app.post("/_dead")
    def dead():
        calls.append(1)
        raise OperationalError("INSERT", {}, Exception("server closed the connection"),
                               connection_invalidated=True)

    assert_unavailable_page(client.post("/_dead", data={"body": "Once."}), kept="Once.")
    assert len(calls) == 1
