"""Circulating a version asks first (issue 13 item 4): the POST without ``confirm=1`` names the
SHA-256 the version will be frozen with, who is emailed and until when comments are taken, and
changes nothing; the confirmed POST must carry the hash it showed."""
import html
from datetime import timedelta

from sqlalchemy import func, select

from mab.assessments.models import BoardStatus, Role
from mab.audit.models import AuditEvent
from mab.drafts import rules
from mab.drafts.models import Circulation, DraftVersion
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.confirming import confirmation_fields, post_confirmed
from tests.drafts.support import A, add_member, make_draft, setup


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def snapshot(draft_id):
    versions = db.session.execute(select(DraftVersion.id, DraftVersion.frozen_at,
                                         DraftVersion.sha256, DraftVersion.body).where(
        DraftVersion.draft_id == draft_id).order_by(DraftVersion.id)).all()
    return versions, count(Circulation), count(OutboxMessage), count(AuditEvent)


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _draft():
    assessment, people = setup()
    add_member(assessment, Role.BOARD_MEMBER, "second@example.org", BoardStatus.ACTIVE)
    add_member(assessment, Role.BOARD_MEMBER, "gone@example.org", BoardStatus.STEPPED_DOWN)
    add_member(assessment, Role.BOARD_MEMBER, "nominee@example.org", BoardStatus.NOMINEE)
    draft = make_draft(assessment, people["researcher"], "Access is uneven.\n\nPrices fell.")
    return assessment, people, draft


def _data(assessment, days=14, message="Please comment by the deadline."):
    return {"deadline": (assessment.today() + timedelta(days=days)).isoformat(),
            "message": message}


def test_the_first_post_names_hash_recipients_deadline_and_changes_nothing(client, login):
    assessment, people, draft = _draft()
    version = draft.versions[-1]
    expected = rules.content_hash(version.body, [])
    login(people["researcher"])
    before = snapshot(draft.id)
    data = _data(assessment)
    response = client.post(f"{A}/drafts/{draft.id}/circulate", data=data)
    assert response.status_code == 200
    body = page(response)
    assert "Circulate version 1 of “Findings”?" in body
    assert f"Version 1 will be frozen with SHA-256 {expected[:12]}…" in body
    assert "it can no longer be edited" in body
    assert "It is emailed to 2 active board members and 1 observer." in body
    assert "Comments are taken until" in body
    assert "Please comment by the deadline." in body        # the message, still editable
    fields = confirmation_fields(response)
    assert fields == {"deadline": data["deadline"], "sha256": expected, "confirm": "1"}
    assert snapshot(draft.id) == before
    assert not db.session.get(DraftVersion, version.id).frozen


def test_confirming_freezes_with_the_hash_shown_and_mails(client, login):
    assessment, people, draft = _draft()
    login(people["researcher"])
    url = f"{A}/drafts/{draft.id}/circulate"
    shown = confirmation_fields(client.post(url, data=_data(assessment)))["sha256"]
    response = post_confirmed(client, url, _data(assessment), follow_redirects=True)
    assert "Version 1 is circulated to 3 people" in page(response)
    version = db.session.scalars(select(DraftVersion).where(
        DraftVersion.draft_id == draft.id)).one()
    assert version.frozen and version.sha256 == shown
    mails = db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.kind == "draft_circulated")).all()
    assert sorted(mails) == ["board_member@example.org", "observer@example.org",
                             "second@example.org"]
    assert all("Please comment by the deadline." in m.body_text for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "draft_circulated")))


def test_a_confirmation_without_the_hash_shows_the_page_again(client, login):
    assessment, people, draft = _draft()
    login(people["researcher"])
    before = snapshot(draft.id)
    response = client.post(f"{A}/drafts/{draft.id}/circulate",
                           data={**_data(assessment), "confirm": "1"})
    assert response.status_code == 200
    assert "The version changed since the confirmation was shown" in page(response)
    assert 'class="card confirm"' in page(response)
    assert snapshot(draft.id) == before


def test_a_version_edited_after_the_confirmation_page_is_not_circulated_unseen(client, login):
    assessment, people, draft = _draft()
    login(people["researcher"])
    url = f"{A}/drafts/{draft.id}/circulate"
    fields = confirmation_fields(client.post(url, data=_data(assessment)))
    version = draft.versions[-1]
    edited = client.post(f"{A}/drafts/{draft.id}/edit", data={
        "body": "Access is uneven.\n\nPrices rose.", "change_summary": "",
        "base_revision": str(version.revision), "base_number": str(version.number)})
    assert edited.status_code == 302
    before = snapshot(draft.id)
    response = client.post(url, data={**_data(assessment), **fields})
    assert response.status_code == 200
    body = page(response)
    assert "The version changed since the confirmation was shown: check it and confirm again." \
        in body
    new_hash = confirmation_fields(response)["sha256"]
    assert new_hash != fields["sha256"] and f"SHA-256 {new_hash[:12]}…" in body
    assert snapshot(draft.id) == before


def test_a_refused_deadline_gets_no_confirmation_page(client, login):
    assessment, people, draft = _draft()
    login(people["researcher"])
    before = snapshot(draft.id)
    response = client.post(f"{A}/drafts/{draft.id}/circulate", data=_data(assessment, days=-1),
                           follow_redirects=True)
    assert "Give a comment deadline today or later." in page(response)
    assert 'class="card confirm"' not in page(response)
    assert snapshot(draft.id) == before


def test_a_circulated_version_is_refused_before_and_after_confirming(client, login):
    assessment, people, draft = _draft()
    login(people["researcher"])
    url = f"{A}/drafts/{draft.id}/circulate"
    post_confirmed(client, url, _data(assessment))
    before = snapshot(draft.id)
    for extra in ({}, {"confirm": "1"}):
        response = client.post(url, data={**_data(assessment), **extra}, follow_redirects=True)
        assert "This version has been circulated already." in page(response)
    assert snapshot(draft.id) == before


def test_others_are_refused(client, login):
    assessment, people, draft = _draft()
    login(people["observer"])
    before = snapshot(draft.id)
    url = f"{A}/drafts/{draft.id}/circulate"
    for extra in ({}, {"confirm": "1"}):
        assert client.post(url, data={**_data(assessment), **extra}).status_code in (403, 404)
    assert snapshot(draft.id) == before
