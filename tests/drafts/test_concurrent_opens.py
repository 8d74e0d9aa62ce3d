"""Many board members opening a newly circulated version at the same moment (issue 17: 39 of 60
requests answered 500). Every request gets its page, and each member's first opening is
recorded once: an idempotent insert in its own short transaction, apart from the page's."""
import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from mab.assessments.models import BoardStatus, Role
from mab.drafts.models import VersionView
from mab.extensions import db
from tests.postgres import need_postgres
from tests.drafts.support import A, add_member, circulate, make_draft, membership_of, setup
from tests.factories import sign_in_client

MEMBERS = 12
TABS = 5   # each member opens the version in several tabs at once: 60 requests


@pytest.fixture(params=["sqlite-file", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "postgresql":
        return need_postgres()   # the suite's, or TEST_POSTGRES_URL in the SQLite pass
    return f"sqlite:///{tmp_path / 'concurrent.sqlite'}"


def test_concurrent_first_opens_all_answer_and_record_one_view_per_member(app):
    assessment, people = setup()
    author = people["researcher"]
    draft = make_draft(assessment, author)
    circulate(draft, assessment, author)
    members = [people["board_member"]] + [
        add_member(assessment, Role.BOARD_MEMBER, f"member{n}@example.org", BoardStatus.ACTIVE)
        for n in range(MEMBERS - 1)]
    clients = []
    for member in members:
        for _tab in range(TABS):
            client = FlaskClient(app, app.response_class, use_cookies=True)
            sign_in_client(client, member)
            clients.append(client)
    url = f"{A}/drafts/{draft.id}/v/1"
    expected = {membership_of(m, assessment).id: 1 for m in members}
    db.session.remove()   # the threads' requests run on their own sessions and connections

    start = threading.Barrier(len(clients))
    statuses = [None] * len(clients)

    def open_page(index, client):
        start.wait()
        try:
            statuses[index] = client.get(url).status_code
        except Exception as error:   # noqa: BLE001 - reported below with the others
            statuses[index] = repr(error)

    threads = [threading.Thread(target=open_page, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert statuses == [200] * len(clients)
    per_member = dict(db.session.execute(
        select(VersionView.membership_id, func.count(VersionView.id))
        .group_by(VersionView.membership_id)).all())
    assert per_member == expected
