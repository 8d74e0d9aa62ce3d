"""The audit log follows visibility (issue 11, item 4).

A canary is planted where only the team may look: the title, body and file of a draft that was
never circulated, and the body and file of a later, uncirculated version of a circulated draft.
Personal details only the coordinator reads (an invitee's email, the coordinator's notes, a
step-down reason, a recorded gender) carry a second canary. Then an observer and a board member
open every page and export of the assessment they can reach (every GET rule of the URL map, with
the ids of every real object, and a few filtered variants), and neither canary shows up in any
body, header or file inside a ZIP. The coordinator still reads all of it, and the chain check
still covers the events the others do not see.
"""
import io
import re
import zipfile

import pytest
from sqlalchemy import select, update

from mab.assessments import services as assessment_services
from mab.assessments.models import Assessment, Membership, Role
from mab.audit.models import AuditEvent
from mab.audit.services import verify_chain
from mab.auth.models import Gender, User
from mab.board import services as board_services
from mab.comments import services as comment_services
from mab.comments.models import Comment
from mab.drafts import services as draft_services
from mab.drafts.models import Attachment, Draft, DraftVersion
from mab.evidence import services as evidence_services
from mab.evidence.models import Source
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.meetings.models import Meeting
from mab.meetings.tokens import calendar_token
from mab.recommendations.models import FollowUpUpdate
from mab.validation.models import ValidationRound
from tests.drafts.support import attach, circulate, make_draft, new_version
from tests.querycount import counting
from tests.validation.support import as_request, open_round, sign, world

A = "/a/kz-2022"
CANARY = "canary7q"            # drafts and files that were never circulated
PERSONAL = "personal7q"        # details of people only the coordinator reads


@pytest.fixture
def planted(app):
    with app.test_request_context("/"):
        w = world(other=False)
    a, people = w.assessment, w.people
    coordinator, researcher = people["coordinator"], people["researcher"]
    # A circulated draft with its file; the round's draft (v1) has a sign-off and a board
    # comment, and its version 2 is being written, with a file, and is not circulated.
    public = make_draft(a, researcher, "Access is uneven.", title="Access findings")
    attach(public.versions[-1], a, researcher, name="public-access.pdf")
    circulate(public, a, researcher)
    with as_request():      # comments close when the round opens (issue 13): comment first
        comment_services.add_comment(w.version, a, w.m("board_member"), body="Please add sources.")
    a.require_dispositions = False
    db.session.commit()
    open_round(w)
    sign(w, db.session.scalars(select(ValidationRound)).one(), statement="Fine by us.")
    v2 = new_version(w.draft, a, researcher, f"Policy is sound.\n\nNew {CANARY} paragraph.",
                     summary=f"Added the {CANARY} paragraph")
    attach(v2, a, researcher, name=f"{CANARY}-later-data.pdf")
    # A draft nobody outside the team has seen: created, saved, given a file, reassigned.
    secret = make_draft(a, researcher, f"The {CANARY} body.", title=f"Kanareika {CANARY} findings")
    # A source everyone may read, cited only by the secret draft (issue 19): its page must not
    # tell others where it is cited.
    evidence_services.create_source(a, actor=researcher, title="Household survey")
    new_version(secret, a, researcher, f"The {CANARY} body, revised [@src-1].")
    attach(secret.versions[-1], a, researcher, name=f"{CANARY}-secret.pdf")
    draft_services.reassign(secret, a, w.m("coordinator"), actor=coordinator)
    db.session.commit()
    # Personal details of people, in the log through the board and membership services.
    with as_request():
        assessment_services.invite_person(a, email=f"{PERSONAL}@example.org", name="New Observer",
                                          role=Role.OBSERVER, actor=coordinator)
    board_services.update_board_member(w.m("member2"), actor=coordinator,
                                       notes=f"Call before the {PERSONAL} meeting")
    board_services.record_gender(w.m("member2"), Gender.ANOTHER, actor=coordinator)
    board_services.step_down(w.m("nominee"), a.today(), actor=coordinator,
                             reason=f"Moved abroad ({PERSONAL})")
    db.session.commit()
    # Plain ids: the chain check and each request expire or detach the loaded rows.
    return w, {"draft": w.draft.id, "secret": secret.id, "workshop": w.workshop.id,
               "assessment": a.id, "groups": [g.id for g in w.groups],
               "people": {who: user.id for who, user in people.items()}}


def ids(model, *where) -> list[int]:
    return list(db.session.scalars(select(model.id).where(*where).order_by(model.id)))


def values_for(ref) -> dict[str, list]:
    """Every real id of kz-2022 for each URL argument."""
    a = db.session.get(Assessment, ref["assessment"])
    draft_ids = ids(Draft, Draft.assessment_id == a.id)
    version_rows = db.session.execute(select(DraftVersion.id, DraftVersion.number).join(
        Draft, Draft.id == DraftVersion.draft_id).where(Draft.assessment_id == a.id)).all()
    return {
        "slug": [a.slug],
        "draft_id": draft_ids,
        "number": sorted({n for _id, n in version_rows}),
        "attachment_id": ids(Attachment, Attachment.version_id.in_([v for v, _n in version_rows])),
        "membership_id": ids(Membership, Membership.assessment_id == a.id),
        "meeting_id": ids(Meeting, Meeting.assessment_id == a.id),
        "round_id": ids(ValidationRound, ValidationRound.assessment_id == a.id),
        "comment_id": ids(Comment, Comment.assessment_id == a.id),
        "group_id": ref["groups"],
        # The evidence register (issue 19): a few indicators of the framework, every source.
        "item_id": list(db.session.scalars(select(FrameworkItem.id).where(
            FrameworkItem.framework_id == a.framework_id,
            FrameworkItem.kind == ItemKind.INDICATOR).order_by(FrameworkItem.id).limit(3))),
        "source_id": ids(Source, Source.assessment_id == a.id),
        # Recommendations and their follow-up (issue 19): every paragraph id of the drafts, every
        # follow-up update, this year's report.
        "block_id": sorted({b["id"] for (blocks,) in db.session.execute(
            select(DraftVersion.blocks).join(Draft, Draft.id == DraftVersion.draft_id)
            .where(Draft.assessment_id == a.id)) for b in blocks or []}),
        "update_id": ids(FollowUpUpdate, FollowUpUpdate.assessment_id == a.id),
        "year": [a.today().year],
        "language": a.language_list,    # the translations' pages (the source's: not found)
    }


def urls(app, ref, user) -> list[str]:
    """Every GET route of the app filled with every combination of real ids (the calendar feed
    with the user's own token), then filtered views that name the hidden objects."""
    values = values_for(ref)
    values["token"] = None          # links sent by mail: only the calendar feed is the user's
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        missing = set(rule.arguments) - set(values)
        assert not missing, f"{rule.rule}: give the walk real values for {missing}"
        if "token" in rule.arguments:
            if rule.endpoint != "meetings.feed":
                continue
            found.append(f"/calendar/{calendar_token(user)}.ics")
            continue
        combos = [{}]
        for name in sorted(rule.arguments):
            combos = [{**c, name: v} for c in combos for v in values[name]]
        with app.test_request_context("/"):
            adapter = app.url_map.bind("localhost")
            found += [adapter.build(rule.endpoint, c) for c in combos]
    later, secret = values["draft_id"][0], values["draft_id"][-1]   # see planted()
    found += [f"{A}/drafts?q=Kanareika", f"{A}/comments?draft={secret}",
              f"{A}/comments.csv?draft={secret}", f"{A}/drafts/{later}/diff?a=1&b=2",
              f"{A}/audit?verify=1", f"{A}/audit?object_type=Draft&object_id={secret}",
              f"{A}/audit?object_type=Attachment", f"{A}/audit?object_type=DraftVersion",
              f"{A}/audit?object_type=Membership", f"{A}/audit?page=2"]
    return sorted(set(found))


def texts(response) -> list[str]:
    """What the reader gets: the headers, the body, and each file of a ZIP."""
    out = [f"{k}: {v}" for k, v in response.headers.items()]
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            out += [name + "\n" + archive.read(name).decode("utf-8", "replace")
                    for name in archive.namelist()]
    else:
        out.append(data.decode("utf-8", "replace"))
    return out


def walk(client, login, app, ref, who) -> dict[str, int]:
    user = db.session.get(User, ref["people"][who])
    login(user)
    statuses = {}
    for url in urls(app, ref, user):
        response = client.get(url)
        statuses[url] = response.status_code
        assert response.status_code < 500, url
        read = texts(response)
        response.close()              # a download holds its file open until then
        for text in read:
            lowered = text.lower()
            assert CANARY not in lowered, f"{who} reads a hidden draft on {url}"
            assert PERSONAL not in lowered, f"{who} reads personal details on {url}"
    return statuses


def test_no_page_or_export_shows_the_canary_to_an_observer_or_a_board_member(
        client, login, app, planted):
    w, ref = planted
    statuses = walk(client, login, app, ref, "observer")
    reached = {url for url, status in statuses.items() if status == 200}
    # The walk really read the pages an observer has: the log, the annex and every export.
    for path in ("/", "/audit", "/audit?verify=1", "/annex", "/annex.zip", "/comments",
                 "/comments.csv", "/drafts", f"/drafts/{ref['draft']}", "/board.csv",
                 "/meetings", f"/meetings/{ref['workshop']}.ics",
                 f"/meetings/{ref['workshop']}/print", "/validation", "/framework", "/board",
                 "/people"):
        assert A + path in reached, path
    assert any(url.startswith(f"{A}/attachments/") for url in reached)   # the circulated file
    for url in (f"{A}/drafts/{ref['secret']}", f"{A}/drafts/{ref['draft']}/v/2"):
        assert statuses[url] == 404

    statuses = walk(client, login, app, ref, "board_member")
    reached = {url for url, status in statuses.items() if status == 200}
    for path in ("/", "/drafts", f"/drafts/{ref['draft']}", "/meetings",
                 f"/meetings/{ref['workshop']}.ics", "/validation", "/framework", "/board"):
        assert A + path in reached, path
    assert any(url.startswith(f"{A}/attachments/") for url in reached)
    assert statuses[f"{A}/drafts/{ref['secret']}"] == 404


def audit_html(client, query="") -> str:
    return client.get(f"{A}/audit{query}").get_data(as_text=True)


def actions(html) -> list[str]:
    return re.findall(r'<td class="event" data-action="([^"]+)"', html)


def test_the_coordinator_still_reads_what_the_observer_does_not(client, login, planted):
    w, ref = planted
    texts_ = (f"Kanareika {CANARY} findings", f"{CANARY}-secret.pdf", f"{CANARY}-later-data.pdf",
              f"{PERSONAL}@example.org", f"Moved abroad ({PERSONAL})",
              f"Call before the {PERSONAL} meeting")
    login(w.people["coordinator"])
    html = audit_html(client)
    for text in texts_:
        assert text in html, text
    assert "leaves out" not in html
    assert f"Kanareika {CANARY} findings" in client.get(f"{A}/drafts").get_data(as_text=True)
    login(w.people["observer"])
    html = audit_html(client)
    for text in texts_:
        assert text not in html, text


def test_the_observer_log_keeps_the_visible_events_and_says_what_it_leaves_out(
        client, login, planted):
    w, ref = planted
    login(w.people["coordinator"])
    everything = actions(audit_html(client))
    login(w.people["observer"])
    html = audit_html(client)
    shown = actions(html)
    assert "leaves out work on drafts" in html
    # Gone: the secret draft's creation, save, file and new owner; version 2 and its file.
    hidden = ["draft.created", "draft.version_saved", "draft.attachment_added",
              "draft.reassigned", "draft.version_started", "draft.attachment_added"]
    assert sorted(shown + hidden) == sorted(everything)
    assert f"{len(shown)} events" in html
    for action in ("draft.circulated", "validation.opened", "validation.signed", "comment.added",
                   "membership.invited", "board.gender_recorded", "board.member_stepped_down"):
        assert action in shown, action
    # The circulated drafts' own creation stays: their titles are no secret any more.
    assert shown.count("draft.created") == 2 and "Policy findings" in html
    assert "public-access.pdf" in html
    # Personal values are replaced, the rest of the event stays.
    gender_row = re.search(r'data-action="board\.gender_recorded".*?</tr>', html, re.S).group(0)
    assert "not shown" in gender_row and "another" not in gender_row
    # The filter choices come from the visible events only.
    login(w.people["coordinator"])
    assert f'value="{w.people["researcher"].id}"' in audit_html(client)


def test_a_circulated_version_brings_its_events_into_view(client, login, planted):
    w, ref = planted
    login(w.people["observer"])
    assert actions(audit_html(client, f"?object_type=Draft&object_id={ref['secret']}")) == []
    secret = db.session.get(Draft, ref["secret"])
    a, researcher = db.session.merge(w.assessment), db.session.merge(w.people["researcher"])
    circulate(secret, a, researcher)
    html = audit_html(client)
    assert f"Kanareika {CANARY} findings" in html and f"{CANARY}-secret.pdf" in html
    assert actions(audit_html(client, f"?object_type=Draft&object_id={ref['secret']}")) == [
        "draft.reassigned", "draft.created"]
    # Version 2 of the other draft is still being written: its file stays out of view, and so
    # does a new version of the draft just circulated.
    assert f"{CANARY}-later-data.pdf" not in html
    v2 = new_version(db.session.get(Draft, ref["secret"]), a, researcher, "Second go.")
    attach(v2, a, researcher, name="second-go.pdf")
    html = audit_html(client)
    assert "second-go.pdf" not in html
    assert actions(audit_html(client, f"?object_type=DraftVersion&object_id={v2.id}")) == []


def test_the_chain_check_covers_the_events_the_observer_does_not_see(client, login, planted):
    w, ref = planted
    login(w.people["observer"])
    assert verify_chain() is None
    html = audit_html(client, "?verify=1")
    assert "The chain is intact" in html
    hidden = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "draft.created", AuditEvent.object_id == str(ref["secret"])))
    hidden_id, hidden_hash = hidden.id, hidden.hash
    assert hidden_hash[:12] not in html
    db.session.execute(update(AuditEvent).where(AuditEvent.id == hidden_id)
                       .values(changes={"title": "Something else", "subject": "report"}))
    db.session.commit()
    broken = verify_chain()
    assert broken is not None and broken.event_id == hidden_id
    html = audit_html(client, "?verify=1")
    assert f"The chain is broken at event {hidden_id}" in html
    assert hidden_hash[:12] not in html and "Something else" not in html


def test_the_filtered_log_runs_the_same_queries_for_more_hidden_drafts(client, login, planted):
    w, ref = planted
    login(w.people["observer"])

    def measure():
        with counting() as statements:
            response = client.get(f"{A}/audit")
        assert response.status_code == 200
        return len(statements)

    small = measure()
    a = db.session.merge(w.assessment)
    researcher = db.session.merge(w.people["researcher"])
    for k in range(12):
        draft = make_draft(a, researcher, f"Body {k}", title=f"Hidden {k}")
        attach(draft.versions[-1], a, researcher, name=f"hidden-{k}.pdf")
    assert measure() == small
    assert "hidden-3.pdf" not in audit_html(client)
