"""A PostgreSQL restart between two requests (issue 17 item 2): the connections the pool held
died with the server. The next read answers 200 (pool_pre_ping replaces a dead pooled
connection; a read whose connection dies under it runs once more), and a write after it works.
A restart is simulated by ending every other backend of the test's own database
(pg_terminate_backend), which is what a restart does to the application's connections."""
import pytest
from sqlalchemy import select

from mab.comments.models import Comment
from mab.extensions import db
from tests.factories import sign_in_client
from tests.faults.support import circulated, end_backends, scratch_postgres


@pytest.fixture
def database_url():
    with scratch_postgres() as (url, _admin, _name):
        yield url


@pytest.mark.parametrize("between", ["request ends", "connection kept"])
def test_a_restart_between_two_requests_is_survived(app, client, database_url, between,
                                                     caplog):
    _, people, draft, url = circulated()
    sign_in_client(client, people["board_member"])
    assert client.get(url).status_code == 200   # the first opening: bookkeeping at the end
    assert client.get(url).status_code == 200   # no bookkeeping: the connection stays held
    if between == "request ends":
        db.session.remove()   # as in production: the pool holds the connection, pre-ping checks it
    # "connection kept": the test's session holds its connection across requests, so the next
    # request meets the dead connection itself and is run once more (mab.boundary.RetryReads).
    assert end_backends(database_url) >= 1

    response = client.get(url)
    assert response.status_code == 200
    retried = "running it once more" in caplog.text
    assert retried == (between == "connection kept")
    response = client.post(f"{url}/comments", data={"body": "After the restart."})
    assert response.status_code == 302
    db.session.expire_all()
    assert [c.body for c in db.session.scalars(select(Comment))] == ["After the restart."]


def test_a_write_whose_connection_died_is_not_repeated_and_says_so(app, client, database_url):
    _, people, draft, url = circulated()
    sign_in_client(client, people["board_member"])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    end_backends(database_url)   # the session still holds its (now dead) connection

    response = client.post(f"{url}/comments", data={"body": "Kept for later."})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "The database cannot be reached" in html and "Kept for later." in html
    db.session.expire_all()
    assert db.session.scalars(select(Comment)).all() == []
    assert client.post(f"{url}/comments", data={"body": "Kept for later."}).status_code == 302
