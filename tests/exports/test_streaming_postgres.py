"""A page streamed while it is sent outlives the request's database session, on PostgreSQL too.

The matrix's print view of all rows starts reading its rows in the view (the first chunk of the
page holds the first rows) and goes on after the request's session has ended. On PostgreSQL the
rows come through a server-side cursor, which lives only as long as the transaction that opened
it: read through the request's session, the rest of the page failed with "cursor does not
exist" (found by ``make bench`` on PostgreSQL). The other tests run inside one application
context, which keeps a request's session open until the test ends and so cannot see this: here
the app is used as a server uses it, one context per request."""
import pytest
from flask_migrate import upgrade

from mab.extensions import db
from tests.conftest import make_app
from tests.exports.test_streaming import A, bulk_comments
from tests.factories import sign_in_client
from tests.comments.support import world
from tests.postgres import scratch_postgres

ROWS = 2_500   # more than two batches of the stream (1,000 rows each)


@pytest.fixture
def served(tmp_path):
    with scratch_postgres("mab_stream") as (url, _admin, _name):
        app = make_app(url, UPLOAD_FOLDER=str(tmp_path / "uploads"))
        with app.app_context():
            upgrade()
            w = world(other=False)
            bulk_comments(w.assessment, w.version, w.m("board_member"), ROWS, marker="KZ",
                          start_id=1_000)
            db.session.commit()
            coordinator = w.people["coordinator"]
            client = app.test_client()
            sign_in_client(client, coordinator)
            db.session.remove()
        yield client
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("path", ["/comments?print=1", "/comments.csv"])
def test_a_streamed_export_reads_every_row_after_the_request_session_ends(served, path):
    response = served.get(A + path, buffered=False)
    assert response.status_code == 200 and response.is_streamed
    body = b"".join(chunk for chunk in response.response if chunk).decode("utf-8-sig")
    response.close()
    assert body.count("KZ comment") == ROWS - ROWS // 50   # every fiftieth is withdrawn
