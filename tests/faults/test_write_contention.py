"""Many members posting at the same moment (issue 17 items 3 and 9): each write waits its turn
for the lock (on SQLite it takes the write lock first, BEGIN IMMEDIATE), every post is stored
once, none answers 500. On SQLite and PostgreSQL."""
import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from mab.assessments.models import BoardStatus, Role
from mab.comments.models import Comment
from mab.extensions import db
from tests.drafts.support import add_member
from tests.factories import sign_in_client
from tests.faults.support import circulated
from tests.postgres import need_postgres

WRITERS = 10


@pytest.fixture(params=["sqlite-file", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "postgresql":
        return need_postgres()
    return f"sqlite:///{tmp_path / 'contention.sqlite'}"


def test_writers_at_the_same_moment_are_each_stored_once(app):
    assessment, people, draft, url = circulated()
    members = [add_member(assessment, Role.BOARD_MEMBER, f"writer{n}@example.org",
                          BoardStatus.ACTIVE) for n in range(WRITERS)]
    clients = []
    for member in members:
        client = FlaskClient(app, app.response_class, use_cookies=True)
        sign_in_client(client, member)
        clients.append(client)
    db.session.remove()   # the threads' requests run on their own sessions and connections
    start = threading.Barrier(len(clients))
    statuses = [None] * len(clients)

    def post(index, client):
        start.wait()
        try:
            statuses[index] = client.post(f"{url}/comments",
                                          data={"body": f"Comment {index}"}).status_code
        except Exception as error:   # noqa: BLE001 - reported below with the others
            statuses[index] = repr(error)

    threads = [threading.Thread(target=post, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * len(clients)
    assert sorted(c.body for c in db.session.scalars(select(Comment))) == sorted(
        f"Comment {i}" for i in range(len(clients)))
