"""Drafts over HTTP: who may see and do what, bad input, mail, views, the home page, conflicts."""
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mab.assessments.models import BoardStatus, Role
from mab.audit.models import AuditEvent
from mab.drafts.models import Attachment, Circulation, Draft, DraftVersion, VersionView
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.drafts.support import (
    PDF,
    A,
    add_member,
    attach,
    circulate,
    import_sample,
    make_draft,
    membership_of,
    new_version,
    setup,
)
from tests.confirming import post_confirmed
from tests.factories import make_assessment, make_member

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
READERS = ["board_member", "observer"]
WRITERS = ["coordinator", "researcher"]


# --- helpers ----------------------------------------------------------------------------------

def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def fresh(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def upload(client, draft_id, name, data, slug="kz-2022"):
    return client.post(f"/a/{slug}/drafts/{draft_id}/attachments",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def edit(client, draft, body, summary="", *, revision=None, number=None):
    current = fresh(draft).versions[-1]
    return client.post(f"{A}/drafts/{draft.id}/edit", data={
        "body": body, "change_summary": summary,
        "base_revision": str(current.revision if revision is None else revision),
        "base_number": str(current.number if number is None else number)})


def circulate_http(client, draft, days=14, message="Please comment"):
    deadline = (draft_assessment(draft).today() + timedelta(days=days)).isoformat()
    url = f"{A}/drafts/{draft.id}/circulate"
    data = {"deadline": deadline, "message": message}
    first = client.post(url, data=data)
    if first.status_code != 200:   # refused before the confirmation page
        return client.get(first.headers["Location"])
    return post_confirmed(client, url, data, follow_redirects=True)


def draft_assessment(draft):
    from mab.assessments.models import Assessment
    return db.session.get(Assessment, fresh(draft).assessment_id)


def stored_files(app):
    root = Path(app.config["UPLOAD_FOLDER"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def text_of(response):
    return response.get_data(as_text=True)


@pytest.fixture
def world(app):
    """kz-2022 with a circulated draft (v1 with an attachment) whose v2 is being written, an
    uncirculated draft with an attachment, and uz-2023 with its own coordinator and draft."""
    assessment, people = setup()
    researcher = people["researcher"]
    shared = make_draft(assessment, researcher, "Circulated text of version one.",
                        title="Circulated draft")
    shared_file = attach(shared.versions[0], assessment, researcher, "v1.pdf")
    circulate(shared, assessment, researcher)
    new_version(shared, assessment, researcher, "Secret text of version two.", "Reworked")
    v2_file = attach(fresh(shared).versions[1], assessment, researcher, "v2.pdf")
    hidden = make_draft(assessment, researcher, "Uncirculated secret text.",
                        title="Hidden draft")
    hidden_file = attach(hidden.versions[0], assessment, researcher, "hidden.pdf")

    other = make_assessment(slug="uz-2023", title="Uzbekistan 2023")
    other_coordinator = make_member(other, Role.COORDINATOR, email="coord@example.uz")
    other_researcher = make_member(other, Role.RESEARCHER, email="res@example.uz")
    db.session.commit()
    foreign = make_draft(other, other_researcher, "Foreign text.", title="Foreign draft")
    foreign_file = attach(foreign.versions[0], other, other_researcher, "foreign.pdf")
    circulate(foreign, other, other_researcher)
    people.update(other_coordinator=other_coordinator, other_researcher=other_researcher)
    return {"assessment": assessment, "people": people, "shared": shared, "hidden": hidden,
            "shared_file": shared_file, "v2_file": v2_file, "hidden_file": hidden_file,
            "foreign": foreign, "foreign_file": foreign_file, "other": other}


def every_url(slug, draft_id, attachment_id):
    """(method, url, data) for every drafts URL."""
    base = f"/a/{slug}"
    return [
        ("GET", f"{base}/drafts", None),
        ("GET", f"{base}/drafts/new", None),
        ("POST", f"{base}/drafts/new", {"title": "X", "subject": "report", "body": "X"}),
        ("GET", f"{base}/drafts/{draft_id}", None),
        ("GET", f"{base}/drafts/{draft_id}/v/1", None),
        ("GET", f"{base}/drafts/{draft_id}/diff", None),
        ("GET", f"{base}/drafts/{draft_id}/edit", None),
        ("POST", f"{base}/drafts/{draft_id}/edit",
         {"body": "Changed", "change_summary": "x", "base_revision": "1", "base_number": "2"}),
        ("POST", f"{base}/drafts/{draft_id}/attachments",
         {"file": (io.BytesIO(PDF), "x.pdf")}),
        ("POST", f"{base}/drafts/{draft_id}/circulate", {"deadline": "2099-01-01"}),
        ("POST", f"{base}/drafts/{draft_id}/owner", {"owner_id": "1"}),
        ("GET", f"{base}/attachments/{attachment_id}", None),
    ]


def call(client, method, url, data):
    if method == "GET":
        return client.get(url)
    return client.post(url, data=data, content_type="multipart/form-data")


def snapshot():
    return (count(Draft), count(DraftVersion), count(Attachment), count(Circulation),
            count(OutboxMessage),
            [(v.id, v.body, v.revision, v.sha256, v.frozen_at) for v in
             db.session.scalars(select(DraftVersion).order_by(DraftVersion.id))],
            [(d.id, d.owner_id, d.title) for d in db.session.scalars(select(Draft))])


# --- no access across assessments -------------------------------------------------------------

@pytest.mark.parametrize("who", ["other_coordinator", "other_researcher", "outsider", "admin"])
def test_people_outside_the_assessment_get_404_on_every_drafts_url(client, login, world, who):
    login(world["people"][who])
    before = snapshot()
    for draft, attachment in ((world["shared"], world["shared_file"]),
                              (world["hidden"], world["hidden_file"])):
        for method, url, data in every_url("kz-2022", draft.id, attachment.id):
            response = call(client, method, url, data)
            assert response.status_code == 404, (method, url, response.status_code)
            response.close()
    assert snapshot() == before


@pytest.mark.parametrize("who", ["coordinator", "researcher", "board_member", "observer"])
def test_ids_of_another_assessment_give_404_under_ones_own_slug(client, login, world, who):
    """A member of kz-2022 addressing uz-2023's draft and attachment by id, under /a/kz-2022."""
    login(world["people"][who])
    before = snapshot()
    for method, url, data in every_url("kz-2022", world["foreign"].id,
                                       world["foreign_file"].id):
        if url.endswith(("/drafts", "/drafts/new")):
            continue
        response = call(client, method, url, data)
        # The role's grant is checked first (403), then the object (404).
        allowed = url.endswith("/owner") and who == "coordinator" or not url.endswith(
            "/owner") and (who in WRITERS or method == "GET" and not url.endswith("/edit"))
        expected = 404 if allowed else 403
        assert response.status_code == expected, (method, url, response.status_code)
        response.close()
    assert snapshot() == before


def test_the_other_coordinator_cannot_reach_kz_objects_under_their_own_slug(client, login, world):
    login(world["people"]["other_coordinator"])
    before = snapshot()
    for method, url, data in every_url("uz-2023", world["shared"].id, world["shared_file"].id):
        if url.endswith(("/drafts", "/drafts/new")):
            continue
        response = call(client, method, url, data)
        assert response.status_code == 404, (method, url, response.status_code)
        response.close()
    # Their own draft and attachment do work: the 404s above are not a broken setup.
    assert client.get(f"/a/uz-2023/drafts/{world['foreign'].id}").status_code == 200
    response = client.get(f"/a/uz-2023/attachments/{world['foreign_file'].id}")
    assert response.status_code == 200 and response.data == PDF
    response.close()
    assert "Circulated draft" not in text_of(client.get("/a/uz-2023/drafts"))
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for method, url, data in every_url("kz-2022", world["shared"].id, world["shared_file"].id):
        response = call(client, method, url, data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
        response.close()


# --- board members and observers see circulated versions only ---------------------------------

@pytest.mark.parametrize("who", READERS)
def test_readers_never_see_an_uncirculated_version(client, login, world, who):
    login(world["people"][who])
    shared, hidden = world["shared"], world["hidden"]
    # An uncirculated draft does not exist for them.
    for url in (f"{A}/drafts/{hidden.id}", f"{A}/drafts/{hidden.id}/v/1",
                f"{A}/drafts/{hidden.id}/diff", f"{A}/attachments/{world['hidden_file'].id}"):
        assert client.get(url).status_code == 404, url
    index = text_of(client.get(f"{A}/drafts"))
    assert "Circulated draft" in index and "Hidden draft" not in index

    # The circulated draft shows version 1, never the working version 2.
    page = client.get(f"{A}/drafts/{shared.id}")
    assert page.status_code == 200
    html = text_of(page)
    assert "Circulated text of version one." in html and "Secret text" not in html
    assert f"/drafts/{shared.id}/v/2" not in html and "Version 2" not in html
    assert "Reworked" not in html and "v2.pdf" not in html
    assert client.get(f"{A}/drafts/{shared.id}/v/2").status_code == 404
    assert client.get(f"{A}/drafts/{shared.id}/v/3").status_code == 404
    diff = text_of(client.get(f"{A}/drafts/{shared.id}/diff?a=1&b=2"))
    assert "Secret text" not in diff and "Version 1 compared with version 1" in diff
    assert "<option >2</option>" not in diff and ">2</option>" not in diff
    # The list does not count the uncirculated version either.
    row = re.search(r"Circulated draft</a></td>(.*?)</tr>", index, re.DOTALL).group(1)
    assert re.findall(r"<td[^>]*>(\d+)</td>", row) == ["1"]
    # Nor does the status betray that a revision is being written.
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[-1].startswith("In consultation until ")
    assert "In consultation until " in html and "Drafting" not in html

    # Attachments: the circulated version's file, not the working version's.
    response = client.get(f"{A}/attachments/{world['shared_file'].id}")
    assert response.status_code == 200 and response.data == PDF
    response.close()
    assert client.get(f"{A}/attachments/{world['v2_file'].id}").status_code == 404


@pytest.mark.parametrize("who", WRITERS)
def test_the_team_sees_every_version(client, login, world, who):
    login(world["people"][who])
    shared = world["shared"]
    html = text_of(client.get(f"{A}/drafts/{shared.id}"))
    assert "Secret text of version two." in html and "v2.pdf" in html
    # The same status as the board sees (issue 13); version 2 is being drafted.
    assert "In consultation until " in html and "Drafting" in html
    index = text_of(client.get(f"{A}/drafts"))
    row = re.search(r"Circulated draft</a></td>(.*?)</tr>", index, re.DOTALL).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[-2] == "2"
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[-1].startswith("In consultation until ")
    assert client.get(f"{A}/drafts/{shared.id}/v/1").status_code == 200
    assert "Hidden draft" in text_of(client.get(f"{A}/drafts"))
    for attachment in (world["hidden_file"], world["v2_file"], world["shared_file"]):
        response = client.get(f"{A}/attachments/{attachment.id}")
        assert response.status_code == 200
        response.close()
    diff = text_of(client.get(f"{A}/drafts/{shared.id}/diff?a=1&b=2"))
    assert "<del>Circulated</del>" in diff and "<ins>Secret</ins>" in diff


def test_an_attachment_becomes_reachable_when_its_version_is_circulated(client, login, world):
    assessment, people = world["assessment"], world["people"]
    login(people["board_member"])
    url = f"{A}/attachments/{world['hidden_file'].id}"
    assert client.get(url).status_code == 404
    circulate(fresh(world["hidden"]), assessment, people["researcher"])
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "hidden.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "no-store" in response.headers["Cache-Control"]
    response.close()


def test_an_unknown_attachment_is_404(client, login, world):
    login(world["people"]["coordinator"])
    assert client.get(f"{A}/attachments/999999").status_code == 404


# --- read only for the board and observers ----------------------------------------------------

@pytest.mark.parametrize("who", READERS)
def test_readers_cannot_change_anything(client, login, world, who):
    login(world["people"][who])
    before = snapshot()
    shared = world["shared"]
    for method, url, data in every_url("kz-2022", shared.id, world["shared_file"].id):
        if method == "POST" or url.endswith(("/new", "/edit")):
            response = call(client, method, url, data)
            assert response.status_code == 403, (method, url, response.status_code)
    html = text_of(client.get(f"{A}/drafts/{shared.id}"))
    assert "/edit" not in html and "/circulate" not in html and "/attachments\"" not in html
    assert "New draft" not in text_of(client.get(f"{A}/drafts"))
    # Opening the draft records a view (not in the snapshot); nothing else changes.
    assert snapshot() == before


# --- owner ------------------------------------------------------------------------------------

def test_only_the_coordinator_reassigns_and_only_to_a_writer_of_the_assessment(client, login,
                                                                              world):
    assessment, people = world["assessment"], world["people"]
    shared = world["shared"]
    second = add_member(assessment, Role.RESEARCHER, "second@example.org")
    second_membership = membership_of(second, assessment)
    original = fresh(shared).owner_id
    assert original == membership_of(people["researcher"], assessment).id
    url = f"{A}/drafts/{shared.id}/owner"

    login(people["researcher"])
    assert client.post(url, data={"owner_id": second_membership.id}).status_code == 403
    html = text_of(client.get(f"{A}/drafts/{shared.id}"))
    assert "Change the owner" not in html
    assert fresh(shared).owner_id == original

    login(people["coordinator"])
    assert "Change the owner" in text_of(client.get(f"{A}/drafts/{shared.id}"))
    refused = [membership_of(people["board_member"], assessment).id,
               membership_of(people["observer"], assessment).id,
               membership_of(people["other_researcher"], world["other"]).id,
               membership_of(people["other_coordinator"], world["other"]).id, 999999, ""]
    for owner_id in refused:
        response = client.post(url, data={"owner_id": owner_id})
        assert response.status_code == 302
        assert fresh(shared).owner_id == original, owner_id
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "draft.reassigned")) == 0

    response = client.post(url, data={"owner_id": second_membership.id}, follow_redirects=True)
    assert "The owner is changed." in text_of(response)
    assert fresh(shared).owner_id == second_membership.id
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "draft.reassigned")).one()
    assert event.changes == {"owner": [original, second_membership.id]}
    # The coordinator may own a draft too.
    coordinator_membership = membership_of(people["coordinator"], assessment)
    client.post(url, data={"owner_id": coordinator_membership.id})
    assert fresh(shared).owner_id == coordinator_membership.id


def test_the_service_refuses_an_owner_from_elsewhere_or_of_the_board(world):
    from mab.drafts import services
    from mab.errors import DomainError
    people, assessment, shared = world["people"], world["assessment"], world["shared"]
    original = fresh(shared).owner_id
    for owner in (membership_of(people["other_researcher"], world["other"]),
                  membership_of(people["board_member"], assessment),
                  membership_of(people["observer"], assessment)):
        with pytest.raises(DomainError) as caught:
            services.reassign(fresh(shared), assessment, owner, actor=people["coordinator"])
        assert caught.value.field == "owner_id"
        db.session.rollback()
        assert fresh(shared).owner_id == original


def test_an_invalid_owner_is_refused_with_a_reason(client, login, world):
    people, assessment = world["people"], world["assessment"]
    login(people["coordinator"])
    response = client.post(f"{A}/drafts/{world['shared'].id}/owner",
                           data={"owner_id": membership_of(people["board_member"],
                                                           assessment).id},
                           follow_redirects=True)
    assert "The owner must be a researcher of this assessment." in text_of(response)


def test_a_new_draft_with_an_owner_outside_the_writers_is_refused(client, login, world):
    people, assessment = world["people"], world["assessment"]
    login(people["coordinator"])
    before = count(Draft)
    for owner in (membership_of(people["board_member"], assessment),
                  membership_of(people["other_researcher"], world["other"])):
        response = client.post(f"{A}/drafts/new", data={
            "title": "T", "subject": "report", "item_id": "", "owner_id": owner.id,
            "body": "Text."})
        assert response.status_code == 422
    assert count(Draft) == before


# --- new drafts -------------------------------------------------------------------------------

def test_a_draft_about_an_indicator_needs_an_indicator_of_the_framework(client, login, world):
    assessment, people = world["assessment"], world["people"]
    import_sample(assessment, people["coordinator"])
    from mab.framework.models import FrameworkItem, ItemKind
    indicator = db.session.scalar(select(FrameworkItem).where(FrameworkItem.code == "R.5.1"))
    theme = db.session.scalar(select(FrameworkItem).where(FrameworkItem.code == "R.B",
                                                          FrameworkItem.kind == ItemKind.THEME))
    login(people["researcher"])
    before = count(Draft)
    form = {"title": "On R.5.1", "subject": "indicator", "owner_id": "", "body": "Text."}
    for item_id in ("", str(theme.id)):
        response = client.post(f"{A}/drafts/new", data={**form, "item_id": item_id})
        assert response.status_code == 422
        assert "Choose what this draft is about" in text_of(response)
    assert count(Draft) == before
    response = client.post(f"{A}/drafts/new", data={**form, "item_id": str(indicator.id)})
    assert response.status_code == 302
    draft = db.session.scalars(select(Draft).where(Draft.title == "On R.5.1")).one()
    assert draft.item_id == indicator.id
    # A researcher is the default owner of what they create.
    assert membership_of(people["researcher"], assessment).id == int(re.search(
        r'<option selected value="(\d+)"', text_of(client.get(f"{A}/drafts/new"))).group(1))


def test_a_draft_needs_a_title(client, login, world):
    login(world["people"]["researcher"])
    before = count(Draft)
    response = client.post(f"{A}/drafts/new", data={"title": "", "subject": "report",
                                                     "body": "Text."})
    assert response.status_code == 422 and count(Draft) == before


# --- frozen versions --------------------------------------------------------------------------

def test_a_frozen_version_is_never_edited(client, login, app):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "Original one.\n\nOriginal two.")
    attach(draft.versions[0], assessment, people["researcher"])
    version = circulate(draft, assessment, people["researcher"])
    frozen = (version.body, version.sha256, version.frozen_at, version.blocks, version.revision)
    files = stored_files(app)
    login(people["researcher"])

    page = text_of(client.get(f"{A}/drafts/{draft.id}/edit"))
    assert "Version 1 is circulated and frozen; saving starts version 2." in page
    assert 'name="change_summary"' in page

    # Saving without a change summary is refused: nothing changes.
    response = edit(client, draft, "Changed one.\n\nOriginal two.", "")
    assert response.status_code == 422
    assert "Say what changed since version 1." in text_of(response)
    assert "Changed one." in text_of(response)      # the text typed is kept
    # An attachment cannot be added to the frozen version.
    response = upload(client, draft.id, "late.pdf", PDF)
    assert "This version is circulated and frozen" in text_of(response)
    # Circulating again is refused.
    mails = count(OutboxMessage)
    response = circulate_http(client, draft)
    assert "This version has been circulated already." in text_of(response)
    assert count(OutboxMessage) == mails and count(Circulation) == 1
    v1 = fresh(version)
    assert (v1.body, v1.sha256, v1.frozen_at, v1.blocks, v1.revision) == frozen
    assert count(DraftVersion) == 1 and len(v1.attachments) == 1
    assert stored_files(app) == files

    # With a summary, saving starts version 2 and leaves version 1 alone.
    response = edit(client, draft, "Changed one.\n\nOriginal two.", "Fixed the first paragraph")
    assert response.status_code == 302
    versions = fresh(draft).versions
    assert [v.number for v in versions] == [1, 2]
    assert (versions[0].body, versions[0].sha256, versions[0].frozen_at, versions[0].blocks,
            versions[0].revision) == frozen
    assert versions[1].body == "Changed one.\n\nOriginal two." and not versions[1].frozen
    assert versions[1].change_summary == "Fixed the first paragraph"
    assert versions[1].sha256 is None and versions[1].attachments == []


def test_a_stale_form_for_version_1_cannot_touch_it_after_circulation(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "Text as circulated.")
    login(people["researcher"])
    stale = text_of(client.get(f"{A}/drafts/{draft.id}/edit"))
    revision = re.search(r'name="base_revision" type="hidden" value="(\d+)"', stale).group(1)
    version = circulate(draft, assessment, people["coordinator"])
    sha = version.sha256
    response = client.post(f"{A}/drafts/{draft.id}/edit", data={
        "body": "Sneaky change.", "change_summary": "", "base_revision": revision,
        "base_number": "1"})
    assert response.status_code == 422
    assert fresh(version).body == "Text as circulated." and fresh(version).sha256 == sha
    assert count(DraftVersion) == 1


def test_an_old_version_number_is_a_conflict(client, login):
    """Someone started version 2 meanwhile: a save based on version 1 is not applied."""
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "Base text.")
    circulate(draft, assessment, people["researcher"])
    login(people["researcher"])
    assert edit(client, draft, "Theirs.", "Their change").status_code == 302
    response = edit(client, draft, "Mine.", "My change", revision=1, number=1)
    assert response.status_code == 409
    html = text_of(response)
    assert "Someone else saved this version" in html and "Mine." in html
    versions = fresh(draft).versions
    assert [(v.number, v.body) for v in versions] == [(1, "Base text."), (2, "Theirs.")]


def test_a_second_save_with_an_old_revision_is_a_conflict(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "Shared start.")
    login(people["researcher"])
    assert edit(client, draft, "Shared start. First writer.", revision=1).status_code == 302
    login(people["coordinator"])
    response = edit(client, draft, "Shared start. Second writer.", revision=1)
    assert response.status_code == 409
    html = text_of(response)
    assert "Their saved text compared with yours" in html
    assert "<del>First</del>" in html and "<ins>Second</ins>" in html
    # The conflict page carries the current revision, so a deliberate resave works.
    revision = re.search(r'name="base_revision" type="hidden" value="(\d+)"', html).group(1)
    assert revision == "2"
    version = fresh(draft).versions[0]
    assert (version.body, version.revision) == ("Shared start. First writer.", 2)
    assert edit(client, draft, "Shared start. Second writer.", revision=2).status_code == 302
    assert fresh(draft).versions[0].body == "Shared start. Second writer."


# --- circulation ------------------------------------------------------------------------------

def test_circulation_mails_active_board_members_and_observers_only(client, login):
    assessment, people = setup()
    add_member(assessment, Role.BOARD_MEMBER, "nominee@example.org", BoardStatus.NOMINEE)
    add_member(assessment, Role.BOARD_MEMBER, "gone@example.org", BoardStatus.STEPPED_DOWN)
    add_member(assessment, Role.BOARD_MEMBER, "unset@example.org")
    add_member(assessment, Role.BOARD_MEMBER, "second@example.org", BoardStatus.ACTIVE)
    add_member(assessment, Role.OBSERVER, "watcher@example.org")
    other = make_assessment(slug="uz-2023")
    make_member(other, Role.OBSERVER, email="elsewhere@example.uz")
    db.session.commit()
    draft = make_draft(assessment, people["researcher"], "Ready.", title="Ready draft")
    login(people["researcher"])
    response = circulate_http(client, draft, message="Please comment by Friday")
    assert "Version 1 is circulated to 4 people" in text_of(response)
    assert {m.recipient for m in db.session.scalars(select(OutboxMessage))} == {
        "board_member@example.org", "second@example.org", "observer@example.org",
        "watcher@example.org"}
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "second@example.org")).one()
    assert f"http://localhost/a/kz-2022/drafts/{draft.id}/v/1" in mail.body_text
    assert "Please comment by Friday" in mail.body_text and "Ready draft" in mail.subject
    version = fresh(draft).versions[0]
    assert version.frozen and version.circulation.message == "Please comment by Friday"
    assert version.circulation.deadline == assessment.today() + timedelta(days=14)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "draft.circulated")).one()
    assert event.changes["recipients"] == 4 and event.changes["sha256"] == version.sha256


@pytest.mark.parametrize("body", ["", "   \n\n  \t"])
def test_an_empty_body_cannot_be_circulated(client, login, body):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], body)
    login(people["researcher"])
    response = circulate_http(client, draft)
    assert "Write the draft before circulating it." in text_of(response)
    assert not fresh(draft).versions[0].frozen
    assert count(Circulation) == 0 and count(OutboxMessage) == 0


@pytest.mark.parametrize("days, refused", [(-1, True), (-400, True), (0, False)])
def test_the_deadline_is_today_or_later(client, login, days, refused):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "Text.")
    login(people["researcher"])
    response = circulate_http(client, draft, days=days)
    assert ("Give a comment deadline today or later." in text_of(response)) is refused
    assert fresh(draft).versions[0].frozen is (not refused)
    assert count(Circulation) == (0 if refused else 1)
    assert count(OutboxMessage) == (0 if refused else 2)


@pytest.mark.parametrize("deadline", ["", "tomorrow", "2024-02-30"])
def test_a_missing_or_bad_deadline(client, login, deadline):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "Text.")
    login(people["researcher"])
    response = client.post(f"{A}/drafts/{draft.id}/circulate", data={"deadline": deadline},
                           follow_redirects=True)
    assert "Give the date by which comments are due." in text_of(response)
    assert count(Circulation) == 0 and not fresh(draft).versions[0].frozen


def test_the_hash_covers_the_body_and_the_attachments(client, login):
    from mab.drafts.rules import content_hash
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "Body.")
    attachment = attach(draft.versions[0], assessment, people["researcher"])
    version = circulate(draft, assessment, people["researcher"])
    assert version.sha256 == content_hash("Body.", [attachment.sha256])
    assert version.sha256 != content_hash("Body.", [])
    login(people["board_member"])
    assert version.sha256 in text_of(client.get(f"{A}/drafts/{draft.id}"))


# --- attachments: bad input -------------------------------------------------------------------

def test_an_executable_renamed_pdf_is_refused(client, login, app):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"])
    login(people["researcher"])
    response = upload(client, draft.id, "report.pdf", EXE)
    assert "“report.pdf” was not attached: The content of this file is not a .pdf file; it " \
           "was refused." in text_of(response)
    assert count(Attachment) == 0 and stored_files(app) == []


@pytest.mark.parametrize("name, data, reason", [
    ("setup.exe", EXE, "Files of type .exe are not accepted."),
    ("page.html", b"<script>alert(1)</script>", "Files of type .html are not accepted."),
    ("noextension", PDF, "The file needs a name with an extension"),
    ("empty.pdf", b"", "The file is empty."),
    ("photo.png", PDF, "The content of this file is not a .png file"),
])
def test_bad_files_are_refused_with_a_reason(client, login, app, name, data, reason):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"])
    login(people["researcher"])
    response = upload(client, draft.id, name, data)
    assert response.status_code == 200
    assert reason in text_of(response)
    assert count(Attachment) == 0 and stored_files(app) == []


def test_no_file_at_all(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"])
    login(people["researcher"])
    response = client.post(f"{A}/drafts/{draft.id}/attachments", data={},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "Choose a file to attach." in text_of(response) and count(Attachment) == 0


def test_a_file_over_the_attachment_limit_is_refused_by_name(client, login, app):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024 * 1024
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"])
    login(people["researcher"])
    big = PDF + b"0" * (1024 * 1024 + 512 * 1024)
    response = upload(client, draft.id, "big.pdf", big)
    assert response.status_code == 200
    assert "“big.pdf” was not attached: The file is 1.5 MB; the limit is 1.0 MB." in \
        text_of(response)
    assert count(Attachment) == 0 and stored_files(app) == []


@pytest.mark.parametrize("raw, safe", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("re\x1bport\x07 2022.pdf", "report 2022.pdf"),
    ("Отчёт\u202e.pdf", "Отчёт.pdf"),
])
def test_dangerous_names_are_made_safe(client, login, app, raw, safe):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"])
    login(people["researcher"])
    response = upload(client, draft.id, raw, PDF)
    assert "The file is attached." in text_of(response)
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.filename == safe and attachment.size == len(PDF)
    assert attachment.content_type == "application/pdf"
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    files = stored_files(app)
    assert len(files) == 1 and files[0].resolve().is_relative_to(root)
    assert files[0].name == attachment.storage_key and safe not in str(files[0])
    download = client.get(f"{A}/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".." not in disposition
    assert "/" not in disposition.replace("filename*=UTF-8''", "")
    download.close()


def test_every_accepted_type_uploads(client, login, app):
    from tests.drafts.test_files import GOOD
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"])
    login(people["researcher"])
    for name, data, _extension in GOOD:
        assert "The file is attached." in text_of(upload(client, draft.id, name, data)), name
    assert count(Attachment) == len(GOOD) and len(stored_files(app)) == len(GOOD)


class TestOversizedRequest:
    @pytest.fixture
    def app_overrides(self):
        return {"MAX_CONTENT_LENGTH": 64 * 1024}

    def test_a_request_over_the_limit_gets_the_friendly_413_page(self, client, login, app):
        assessment, people = setup()
        draft = make_draft(assessment, people["researcher"])
        login(people["researcher"])
        big = PDF + b"0" * (100 * 1024)
        response = client.post(f"{A}/drafts/{draft.id}/attachments",
                               data={"file": (io.BytesIO(big), "big.pdf")},
                               content_type="multipart/form-data")
        assert response.status_code == 413
        html = text_of(response)
        assert "File too large" in html and "Please send a smaller file." in html
        assert "<html" in html.lower() and "Traceback" not in html
        assert count(Attachment) == 0 and stored_files(app) == []

    def test_a_request_under_the_limit_is_fine(self, client, login, app):
        assessment, people = setup()
        draft = make_draft(assessment, people["researcher"])
        login(people["researcher"])
        response = upload(client, draft.id, "small.pdf", PDF + b"0" * 1024)
        assert "The file is attached." in text_of(response)


# --- who opened what, and the home page -------------------------------------------------------

def test_the_researcher_sees_who_opened_a_circulated_version(client, login):
    assessment, people = setup()
    people["board_member"].name = "Айгерим Серикова"
    people["observer"].name = "Olga Observer"
    db.session.commit()
    draft = make_draft(assessment, people["researcher"], "Text.")
    login(people["researcher"])
    assert "Opened by" not in text_of(client.get(f"{A}/drafts/{draft.id}"))
    circulate(draft, assessment, people["researcher"])
    assert "Opened by" not in text_of(client.get(f"{A}/drafts/{draft.id}"))

    login(people["board_member"])
    for _ in range(3):
        assert client.get(f"{A}/drafts/{draft.id}/v/1").status_code == 200
    assert client.get(f"{A}/drafts/{draft.id}").status_code == 200
    assert count(VersionView) == 1
    login(people["coordinator"])
    client.get(f"{A}/drafts/{draft.id}")
    assert count(VersionView) == 1               # the team's own reading is not recorded

    login(people["researcher"])
    html = text_of(client.get(f"{A}/drafts/{draft.id}"))
    section = html.split('id="views-heading"')[1].split("</section>")[0]
    assert "Айгерим Серикова" in section and "Olga Observer" not in section
    login(people["observer"])
    client.get(f"{A}/drafts/{draft.id}")
    login(people["researcher"])
    html = text_of(client.get(f"{A}/drafts/{draft.id}"))
    section = html.split('id="views-heading"')[1].split("</section>")[0]
    assert "Айгерим Серикова" in section and "Olga Observer" in section
    # The list is not shown to the board.
    login(people["board_member"])
    assert "Opened by" not in text_of(client.get(f"{A}/drafts/{draft.id}"))


def test_views_are_per_version(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "One.")
    circulate(draft, assessment, people["researcher"])
    new_version(draft, assessment, people["researcher"], "Two.")
    login(people["board_member"])
    client.get(f"{A}/drafts/{draft.id}/v/1")
    login(people["researcher"])
    assert "Opened by" not in text_of(client.get(f"{A}/drafts/{draft.id}"))   # version 2
    assert "Opened by" in text_of(client.get(f"{A}/drafts/{draft.id}/v/1"))


def test_the_home_page_lists_drafts_to_review_for_a_board_member(client, login, world):
    assessment, people = world["assessment"], world["people"]
    late = make_draft(assessment, people["researcher"], "Late.", title="Past deadline draft")
    circulate(late, assessment, people["researcher"])
    fresh(late).versions[0].circulation.deadline = assessment.today() - timedelta(days=1)
    db.session.commit()
    login(people["board_member"])
    html = text_of(client.get(f"{A}/"))
    section = html.split('id="drafts-heading"')[1].split("</section>")[0]
    shared = world["shared"]
    assert "Circulated draft" in section
    assert f"/drafts/{shared.id}/v/1" in section and "version 1" in section
    assert "Hidden draft" not in section and "Foreign draft" not in section
    assert "Past deadline draft" not in section
    assert ">new<" in section
    client.get(f"{A}/drafts/{shared.id}/v/1")
    section = text_of(client.get(f"{A}/")).split('id="drafts-heading"')[1].split("</section>")[0]
    assert "Circulated draft" in section and ">new<" not in section


def test_the_home_page_says_when_nothing_waits(client, login):
    setup_result = setup()
    login(setup_result[1]["board_member"])
    assert "No draft is waiting for you." in text_of(client.get(f"{A}/"))


# --- statuses and paragraph ids over versions -------------------------------------------------

def test_the_status_follows_the_history(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "One.", title="Status draft")
    login(people["researcher"])

    def status():
        html = text_of(client.get(f"{A}/drafts"))
        row = re.search(r"Status draft</a></td>(.*?)</tr>", html, re.DOTALL).group(1)
        return re.findall(r"<td[^>]*>([^<]*)</td>", row)[-1]

    assert status() == "Drafting"
    circulate(draft, assessment, people["researcher"])
    assert status().startswith("In consultation until ")
    new_version(draft, assessment, people["researcher"], "Two.")
    assert status().startswith("In consultation until ")   # version 2 is not circulated yet
    circulate(fresh(draft), assessment, people["researcher"], days=20)
    assert status().startswith("In consultation until ")


def test_paragraph_ids_are_never_reused_across_versions(client, login):
    assessment, people = setup()
    researcher = people["researcher"]
    one, two, three = ("The board met in March.", "Rural access remains limited.",
                       "Prices fell by a third.")
    draft = make_draft(assessment, researcher, f"{one}\n\n{two}\n\n{three}")
    circulate(draft, assessment, researcher)
    login(researcher)
    assert edit(client, draft, f"{one}\n\n{two}", "Dropped prices").status_code == 302
    circulate(fresh(draft), assessment, researcher)
    assert edit(client, draft, f"{one}\n\n{two}\n\nA new paragraph on schools.",
                "Added schools").status_code == 302
    blocks = [[b["id"] for b in v.blocks] for v in fresh(draft).versions]
    assert blocks == [["p1", "p2", "p3"], ["p1", "p2"], ["p1", "p2", "p4"]]
    page = text_of(client.get(f"{A}/drafts/{draft.id}"))
    assert 'id="p4"' in page and 'id="p3"' not in page


def test_saving_the_working_version_keeps_the_ids_of_unchanged_paragraphs(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "Alpha paragraph.\n\nBeta paragraph.")
    login(people["researcher"])
    assert edit(client, draft, "Alpha paragraph.\n\nBeta paragraph.").status_code == 302
    assert [b["id"] for b in fresh(draft).versions[0].blocks] == ["p1", "p2"]
    assert edit(client, draft, "Alpha paragraph.\n\nBeta paragraph.\n\nGamma.").status_code \
        == 302
    assert [b["id"] for b in fresh(draft).versions[0].blocks] == ["p1", "p2", "p3"]
    # The same holds for a later working version: ids carry from the circulated one.
    circulate(fresh(draft), assessment, people["researcher"])
    body = "Alpha paragraph.\n\nBeta paragraph.\n\nGamma.\n\nDelta."
    assert edit(client, draft, body, "Delta").status_code == 302
    assert edit(client, draft, body, "Delta").status_code == 302
    assert [b["id"] for b in fresh(draft).versions[1].blocks] == ["p1", "p2", "p3", "p4"]
    assert fresh(draft).versions[1].revision == 2


def test_the_diff_page_shows_changes_in_order(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"],
                       "Kept paragraph.\n\nRemoved paragraph.\n\nThe plan was agreed.")
    circulate(draft, assessment, people["researcher"])
    new_version(draft, assessment, people["researcher"],
                "Kept paragraph.\n\nThe budget was agreed.\n\nA <b>closing</b> section.")
    login(people["researcher"])
    html = text_of(client.get(f"{A}/drafts/{draft.id}/diff?a=1&b=2"))
    labels = re.findall(r'class="change change--(\w+)"', html)
    assert labels == ["equal", "removed", "changed", "added"]
    assert "<del>plan</del><ins>budget</ins>" in html
    assert "<ins>A &lt;b&gt;closing&lt;/b&gt; section.</ins>" in html
    # Unknown version numbers fall back to the last two.
    assert labels == re.findall(r'class="change change--(\w+)"', text_of(
        client.get(f"{A}/drafts/{draft.id}/diff?a=9&b=x")))
