"""The main path of drafts over HTTP: catalogue, create, attach, circulate, review, new version,
diff. Finer cases live beside this file."""
import io
import re
from datetime import timedelta

from sqlalchemy import select

from mab.drafts.models import Draft, DraftVersion, VersionView
from mab.extensions import db
from mab.framework.services import ensure_builtin
from mab.notify.models import OutboxMessage
from tests.confirming import post_confirmed
from tests.factories import team

A = "/a/kz-2022"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def setup():
    assessment, people = team()
    assessment.framework_id = ensure_builtin().id
    from mab.assessments.models import Membership
    for m in db.session.scalars(select(Membership)):
        if m.role == "board_member":
            m.board_status = "active"
    db.session.commit()
    return assessment, people


def test_main_path(client, login):
    assessment, people = setup()
    login(people["researcher"])
    assert client.get(f"{A}/framework").status_code == 200
    response = client.post(f"{A}/drafts/new", data={
        "title": "Findings on R.B", "subject": "recommendations", "item_id": "", "owner_id": "",
        "body": "First paragraph.\n\nSecond <script>alert(1)</script> paragraph."})
    assert response.status_code == 302, response.data
    draft = db.session.scalars(select(Draft)).one()
    page = client.get(f"{A}/drafts/{draft.id}")
    assert b"<script>alert" not in page.data and b'id="p1"' in page.data

    # A board member does not see the draft before it is circulated.
    login(people["board_member"])
    assert client.get(f"{A}/drafts/{draft.id}").status_code == 404
    login(people["researcher"])

    upload = client.post(f"{A}/drafts/{draft.id}/attachments",
                         data={"file": (io.BytesIO(PDF), "data.pdf")},
                         content_type="multipart/form-data")
    assert upload.status_code == 302
    fake = client.post(f"{A}/drafts/{draft.id}/attachments",
                       data={"file": (io.BytesIO(b"MZ\x90\x00binary"), "evil.pdf")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "not a .pdf file".encode() in fake.data
    deadline = (assessment.today() + timedelta(days=14)).isoformat()
    assert post_confirmed(client, f"{A}/drafts/{draft.id}/circulate",
                          data={"deadline": deadline, "message": "Please comment"}
                          ).status_code == 302
    version = db.session.scalars(select(DraftVersion)).one()
    assert version.frozen and len(version.sha256) == 64
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "board_member@example.org")).one()
    assert f"/drafts/{draft.id}/v/1" in mail.body_text
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "observer@example.org")).one()

    login(people["board_member"])
    home = client.get(f"{A}/")
    assert b"Findings on R.B" in home.data
    assert client.get(f"{A}/drafts/{draft.id}/v/1").status_code == 200
    attachment_id = version.attachments[0].id
    download = client.get(f"{A}/attachments/{attachment_id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()
    assert db.session.scalars(select(VersionView)).one()

    # Version 2 needs a change summary; the diff shows the change.
    login(people["researcher"])
    edit = client.get(f"{A}/drafts/{draft.id}/edit").get_data(as_text=True)
    revision = re.search(r'name="base_revision" type="hidden" value="(\d+)"', edit).group(1)
    data = {"body": "First paragraph, edited.\n\nSecond <script>alert(1)</script> paragraph.",
            "change_summary": "",
            "base_revision": revision, "base_number": "1"}
    assert client.post(f"{A}/drafts/{draft.id}/edit", data=data).status_code == 422
    data["change_summary"] = "Took comments into account"
    assert client.post(f"{A}/drafts/{draft.id}/edit", data=data).status_code == 302
    versions = db.session.scalars(select(DraftVersion).order_by(DraftVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].body.startswith("First paragraph.\n")   # frozen version unchanged
    assert [b["id"] for b in versions[1].blocks] == ["p1", "p2"]
    diff = client.get(f"{A}/drafts/{draft.id}/diff?a=1&b=2")
    assert b"<ins>" in diff.data and b"edited" in diff.data
    # The board member still sees only version 1.
    login(people["board_member"])
    assert client.get(f"{A}/drafts/{draft.id}/v/2").status_code == 404


def test_edit_conflict(client, login):
    assessment, people = setup()
    login(people["researcher"])
    client.post(f"{A}/drafts/new", data={"title": "T", "subject": "report", "item_id": "",
                                         "owner_id": "", "body": "One."})
    draft = db.session.scalars(select(Draft)).one()
    first = {"body": "One. Mine.", "change_summary": "", "base_revision": "1", "base_number": "1"}
    assert client.post(f"{A}/drafts/{draft.id}/edit", data=first).status_code == 302
    second = {"body": "One. Theirs.", "change_summary": "", "base_revision": "1",
              "base_number": "1"}
    response = client.post(f"{A}/drafts/{draft.id}/edit", data=second)
    assert response.status_code == 409 and b"Someone else saved" in response.data
    assert b"Theirs" in response.data   # the second writer's text is kept in the form
    db.session.refresh(draft.versions[0])
    assert draft.versions[0].body == "One. Mine."


def test_simultaneous_saves_cannot_both_win(app, request_context):
    """The revision check is in the UPDATE itself: a save that raced past the form check loses."""
    import pytest
    from sqlalchemy import update

    from mab.drafts import services
    assessment, people = setup()
    draft = services.create_draft(assessment, subject="report", item_id=None, title="T",
                                  owner=None, body="One.", actor=people["researcher"])
    db.session.commit()
    version = draft.versions[0]
    assert version.revision == 1
    # Another process saves between our read and our write.
    db.session.execute(update(DraftVersion).where(DraftVersion.id == version.id)
                       .values(body="Theirs.", revision=2).execution_options(
                           synchronize_session=False))
    with pytest.raises(services.EditConflict):
        services.save_body(draft, assessment, body="Mine.", change_summary="", base_revision=1,
                           base_number=1, actor=people["researcher"])
    db.session.expire_all()
    assert db.session.get(DraftVersion, version.id).body != "Mine."   # nothing overwritten
