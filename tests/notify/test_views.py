from sqlalchemy import select

from mab.extensions import db
from mab.notify.models import OutboxMessage
from mab.templating import linkify
from tests.factories import make_assessment, make_member, make_user, team


def add_message(assessment, recipient, body="Open http://localhost/invite/abc to start."):
    message = OutboxMessage(assessment_id=assessment.id if assessment else None, kind="test",
                            recipient=recipient, subject=f"To {recipient}", body_text=body)
    db.session.add(message)
    db.session.commit()
    return message


def test_coordinator_sees_only_their_assessments_messages(client, login):
    assessment, people = team()
    other = make_assessment(slug="other")
    add_message(assessment, "mine@example.org")
    add_message(other, "theirs@example.org")
    add_message(None, "system@example.org")
    login(people["coordinator"])
    page = client.get("/outbox")
    assert page.status_code == 200
    assert b"mine@example.org" in page.data
    assert b"theirs@example.org" not in page.data and b"system@example.org" not in page.data
    assert b'<a href="http://localhost/invite/abc">' in page.data   # links are clickable


def test_site_admin_sees_everything(client, login):
    assessment, people = team()
    add_message(assessment, "mine@example.org")
    add_message(None, "system@example.org")
    login(people["admin"])
    page = client.get("/outbox")
    assert b"mine@example.org" in page.data and b"system@example.org" in page.data


def test_other_roles_are_refused(client, login):
    assessment, people = team()
    for role in ("researcher", "board_member", "observer", "outsider"):
        login(people[role])
        assert client.get("/outbox").status_code == 403, role


def test_coordinator_cannot_retry_another_assessments_message(client, login):
    assessment, people = team()
    other = make_assessment(slug="other")
    make_member(other, "coordinator")
    message = add_message(other, "theirs@example.org")
    message.status = "failed"
    db.session.commit()
    login(people["coordinator"])
    assert client.post(f"/outbox/{message.id}/retry").status_code == 404
    assert db.session.scalar(select(OutboxMessage.status)) == "failed"


def test_linkify_escapes_everything_else():
    html = str(linkify('<script>alert(1)</script> see https://example.org/a?b=1&c=2 "x"'))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in html


def test_the_outbox_names_the_zone_of_its_times(client, login):
    """Outside an assessment the page uses the reader's own zone (UTC without one) and says so."""
    from datetime import datetime, timezone

    admin = make_user(email="admin@example.org", is_site_admin=True)
    message = add_message(None, "someone@example.org")
    message.created_at = datetime(2027, 1, 21, 7, 0, tzinfo=timezone.utc)
    db.session.commit()
    login(admin)
    page = client.get("/outbox").get_data(as_text=True)
    assert "Times are shown in the UTC time zone." in page and "7:00" in page
    admin.timezone = "Asia/Almaty"
    db.session.commit()
    page = client.get("/outbox").get_data(as_text=True)
    assert "Times are shown in the Asia/Almaty time zone." in page and "12:00" in page
