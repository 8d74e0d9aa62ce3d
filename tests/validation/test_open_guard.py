"""Opening a round ends the version's consultation (issue 13): a confirmation with the figures
while comments are still taken, and the disposition policy that wants every comment answered."""
import re
from datetime import timedelta

import pytest

from mab.audit.models import AuditEvent
from mab.comments.models import Comment
from mab.drafts.models import Circulation
from mab.extensions import db
from mab.notify.models import OutboxMessage
from mab.validation.models import ValidationRound
from tests.confirming import confirmation_fields
from tests.comments.support import comment, dispose
from tests.validation.support import (
    A,
    circulate,
    count,
    events,
    fresh,
    last_mail_id,
    mail,
    new_version,
    text_of,
    world,
)


@pytest.fixture
def w(app, request_context):
    return world(other=False)


def form(w, version=None, *, confirm=False, days=7):
    data = {"version_id": str((version or w.version).id),
            "deadline": (w.assessment.today() + timedelta(days=days)).isoformat(),
            "meeting_id": ""}
    if confirm:
        data["confirm_end"] = "1"
    return data


def snapshot(w):
    """What opening would change: rounds, the deadline, mail, audit events."""
    circulation = fresh(w.version.circulation)
    return (count(ValidationRound), circulation.deadline, circulation.original_deadline,
            circulation.ended_early_at, count(OutboxMessage), count(AuditEvent))


# --- the consultation is still open ------------------------------------------------------------

def test_opening_during_the_consultation_asks_to_end_it_and_changes_nothing(client, login, w):
    comment(w, body="Cite the 2023 survey.")
    w.assessment.require_dispositions = False
    db.session.commit()
    before = snapshot(w)
    login(w.people["coordinator"])
    response = client.post(f"{A}/validation", data=form(w))
    assert response.status_code == 200
    page = text_of(response)
    assert "End the consultation and open the round?" in page
    assert "still open until" in page and "14 days remain" in page
    assert "1 comment on this version has no disposition yet" in page
    # Observer, board member and member2 are told; the two active members are asked to sign.
    assert "3 people the version was circulated to are emailed" in page
    assert "2 active board members are emailed to sign off" in page
    fields = confirmation_fields(response)
    assert fields["confirm_end"] == "1" and fields["version_id"] == str(w.version.id)
    assert "End the consultation now and open the round" in response.get_data(as_text=True)
    assert snapshot(w) == before


def test_on_the_deadline_day_the_page_says_it_ends_today(client, login, w):
    w.version.circulation.deadline = w.assessment.today()
    db.session.commit()
    login(w.people["coordinator"])
    response = client.post(f"{A}/validation", data=form(w))
    assert response.status_code == 200
    assert "is still open: it ends today" in text_of(response)
    assert count(ValidationRound) == 0


def test_confirming_ends_the_consultation_and_opens_the_round(client, login, w):
    first = w.version.circulation.deadline
    since = last_mail_id()
    login(w.people["coordinator"])
    response = client.post(f"{A}/validation", data=form(w, confirm=True))
    [round_] = db.session.scalars(db.select(ValidationRound)).all()
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/validation/{round_.id}")
    circulation = fresh(w.version.circulation)
    assert circulation.deadline == w.assessment.today()
    assert circulation.original_deadline == first and circulation.ended_early_at is not None
    [ended] = events("draft.consultation_ended")
    assert ended.actor_id == w.people["coordinator"].id
    assert ended.id < events("validation.opened")[0].id
    told = {m.recipient for m in mail(since, kind="consultation_ended")}
    asked = {m.recipient for m in mail(since, kind="validation_opened")}
    members = {w.people["board_member"].email, w.people["member2"].email}
    assert members <= told and asked == members
    # The version now reads "in validation" and takes no more comments from the board.
    login(w.people["board_member"])
    page = client.get(f"{A}/drafts/{w.draft.id}/v/1")
    assert "The board is validating this version" in text_of(page)
    assert f'/drafts/{w.draft.id}/v/1/comments"' not in page.get_data(as_text=True)


def test_a_consultation_already_over_opens_without_a_confirmation(client, login, w):
    w.version.circulation.deadline = w.assessment.today() - timedelta(days=2)
    db.session.commit()
    login(w.people["coordinator"])
    response = client.post(f"{A}/validation", data=form(w))
    assert response.status_code == 302 and count(ValidationRound) == 1
    assert events("draft.consultation_ended") == []
    assert fresh(w.version.circulation).ended_early_at is None


def test_only_the_coordinator_may_confirm(client, login, w):
    before = snapshot(w)
    for who in ("researcher", "board_member", "observer"):
        login(w.people[who])
        assert client.post(f"{A}/validation", data=form(w, confirm=True)).status_code == 403
    assert snapshot(w) == before


# --- the disposition policy --------------------------------------------------------------------

def test_with_the_policy_on_an_open_comment_refuses_the_round_and_links_it(client, login, w):
    assert w.assessment.require_dispositions     # the default
    open_one = comment(w, body="Cite the 2023 survey.", block_id=w.version.blocks[1]["id"])
    answered = dispose(w, comment(w, "member2", body="Fine."))
    withdrawn = comment(w, "member2", body="Never mind.")
    withdrawn.withdrawn_at = withdrawn.created_at
    db.session.commit()
    before = snapshot(w)
    login(w.people["coordinator"])
    for data in (form(w), form(w, confirm=True)):
        response = client.post(f"{A}/validation", data=data)
        assert response.status_code == 422
        page = text_of(response)
        assert "Every comment must have a disposition before validation" in page
        assert "1 comment on version 1 has none yet" in page
        html = response.get_data(as_text=True)
        assert (f'href="/a/kz-2022/drafts/{w.draft.id}/v/1?comment={open_one.id}'
                f'#c{open_one.id}"') in html
        assert "Version 1, paragraph 2" in page and "Cite the 2023 survey." in page
        assert f"#c{answered.id}" not in html and f"#c{withdrawn.id}" not in html
        assert f'/a/kz-2022/drafts/{w.draft.id}/responses' in html
        assert snapshot(w) == before


def test_a_comment_carried_from_an_earlier_version_counts(client, login, w):
    old = comment(w, body="On version 1.")
    new_version(w.draft, w.assessment, w.people["researcher"], "Policy is sound.\n\nRevised.")
    v2 = circulate(w.draft, w.assessment, w.people["researcher"])
    login(w.people["coordinator"])
    response = client.post(f"{A}/validation", data=form(w, v2, confirm=True))
    assert response.status_code == 422
    assert f'/drafts/{w.draft.id}/v/2?comment={old.id}#c{old.id}"' in response.get_data(
        as_text=True)
    assert count(ValidationRound) == 0
    dispose(w, fresh(old))
    response = client.post(f"{A}/validation", data=form(w, v2, confirm=True))
    assert response.status_code == 302 and count(ValidationRound) == 1


def test_with_the_policy_off_the_round_opens_after_the_confirmation(client, login, w):
    comment(w, body="Cite the 2023 survey.")
    w.assessment.require_dispositions = False
    db.session.commit()
    login(w.people["coordinator"])
    assert client.post(f"{A}/validation", data=form(w)).status_code == 200   # confirmation
    assert count(ValidationRound) == 0
    response = client.post(f"{A}/validation", data=form(w, confirm=True))
    assert response.status_code == 302 and count(ValidationRound) == 1
    assert count(Comment, Comment.disposition.is_(None)) == 1    # it stays, still open


def test_the_index_says_what_opening_does(client, login, w):
    login(w.people["coordinator"])
    page = text_of(client.get(f"{A}/validation"))
    assert "Opening a round ends the version's comment period" in page
    assert "Every comment must have a disposition first" in page


# --- the policy form ---------------------------------------------------------------------------

POLICY = {"gender_min_pct": "40", "gender_max_pct": "60", "undisclosed_max_pct": "20",
          "group_min_members": "1", "group_max_pct": "30"}
LABEL = "Every comment must have a disposition before a validation round opens"


def test_the_coordinator_turns_the_policy_off_and_on(client, login, w):
    login(w.people["coordinator"])
    html = client.get(f"{A}/policy").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="require_dispositions"|'
                     r'<input[^>]*name="require_dispositions"[^>]*checked', html)
    assert LABEL in html
    assert client.post(f"{A}/policy", data=POLICY).status_code == 302
    assert fresh(w.assessment).require_dispositions is False
    [event] = events("policy.updated")
    assert event.changes["require_dispositions"] == [True, False]
    client.post(f"{A}/policy", data={**POLICY, "require_dispositions": "y"})
    assert fresh(w.assessment).require_dispositions is True


def test_others_read_the_policy_but_cannot_change_it(client, login, w):
    login(w.people["researcher"])
    page = client.get(f"{A}/policy")
    assert page.status_code == 200 and LABEL in text_of(page)
    assert client.post(f"{A}/policy", data=POLICY).status_code == 403
    assert fresh(w.assessment).require_dispositions is True
    assert count(Circulation) == 1
