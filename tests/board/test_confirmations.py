"""Recording a step-down, deleting a group and importing a board ask first (issue 13 item 4):
the POST without ``confirm=1`` names the consequences with their figures and changes nothing
(no row, no audit event, no mail, no session ended); the confirmed POST acts."""
import html
from datetime import date

from sqlalchemy import func, select

from mab.assessments.models import BoardStatus, Membership
from mab.audit.models import AuditEvent
from mab.auth.models import User
from mab.auth.sessions import UserSession
from mab.board.models import StakeholderGroup
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.board.test_views import CLEAN, add_member, hidden, setup_board, upload
from tests.confirming import confirmation_fields, post_confirmed
from tests.factories import make_user

A = "/a/kz-2022"


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def snapshot():
    """Every table a confirmed action writes to, counted; and every membership's status."""
    return (count(Membership), count(User), count(StakeholderGroup), count(AuditEvent),
            count(OutboxMessage), count(UserSession),
            sorted(db.session.execute(select(Membership.id, Membership.board_status,
                                             Membership.stepped_down_on)).all()))


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# --- stepping down ------------------------------------------------------------------------------

def _only_academic():
    assessment, people, groups = setup_board()
    membership = add_member(assessment, groups["Academia"], "Айгерим Серикова", "woman",
                            appointed_on=date(2022, 2, 1))
    db.session.commit()
    return assessment, people, groups, membership


class TestStepDown:
    def test_the_first_post_names_the_balance_after_and_changes_nothing(self, client, login):
        _assessment, people, _groups, membership = _only_academic()
        login(people["coordinator"])
        before = snapshot()
        url = f"{A}/board/{membership.id}/step-down"
        response = client.post(url, data={"on": "2024-03-01", "reason": "Moved abroad"})
        assert response.status_code == 200
        body = page(response)
        assert "Record that Айгерим Серикова stepped down?" in body
        assert "Айгерим Серикова is recorded as having stepped down on" in body
        assert "they are signed out" in body
        assert "Academia will then have 0 active members (its minimum is 1)." in body
        assert "New balance problem: No active member from Academia." in body
        assert "Their comments and earlier decisions stay in the record." in body
        fields = confirmation_fields(response)
        assert fields == {"on": "2024-03-01", "reason": "Moved abroad", "confirm": "1"}
        assert snapshot() == before

    def test_confirming_records_it_with_the_values_shown(self, client, login):
        _assessment, people, _groups, membership = _only_academic()
        login(people["coordinator"])
        response = post_confirmed(client, f"{A}/board/{membership.id}/step-down",
                                  {"on": "2024-03-01", "reason": "Moved abroad"},
                                  follow_redirects=True)
        assert "has stepped down; the record is kept" in page(response)
        db.session.refresh(membership)
        assert membership.board_status == BoardStatus.STEPPED_DOWN
        assert membership.stepped_down_on == date(2024, 3, 1)
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "board.member_stepped_down"))
        assert event.changes["reason"] == "Moved abroad"

    def test_a_second_member_of_the_group_keeps_it_counted(self, client, login):
        assessment, people, groups, membership = _only_academic()
        add_member(assessment, groups["Academia"], "Второй Член", "man")
        db.session.commit()
        login(people["coordinator"])
        body = page(client.post(f"{A}/board/{membership.id}/step-down", data={"on": "2024-03-01"}))
        assert "Academia will then have 1 active member (its minimum is 1)." in body
        assert "No active member from Academia" not in body
        # She was the only woman: what the balance would newly lack is named.
        assert "New balance problem: Women hold 0 of 1 seats" in body

    def test_a_nominee_withdrawing_does_not_change_the_balance(self, client, login):
        assessment, people, groups = setup_board()
        nominee = add_member(assessment, groups["Academia"], "Номинант", status="nominee")
        db.session.commit()
        login(people["coordinator"])
        before = snapshot()
        body = page(client.post(f"{A}/board/{nominee.id}/step-down", data={"on": "2024-03-01"}))
        assert "Номинант is not serving on that date: the balance does not change." in body
        assert snapshot() == before

    def test_a_refused_date_gets_no_confirmation_page(self, client, login):
        _assessment, people, _groups, membership = _only_academic()
        login(people["coordinator"])
        before = snapshot()
        response = client.post(f"{A}/board/{membership.id}/step-down", data={"on": "2021-01-01"},
                               follow_redirects=True)
        assert "The date cannot be before the appointment." in page(response)
        assert 'class="card confirm"' not in page(response)
        assert snapshot() == before

    def test_others_are_refused(self, client, login):
        _assessment, people, _groups, membership = _only_academic()
        login(people["researcher"])
        before = snapshot()
        url = f"{A}/board/{membership.id}/step-down"
        assert client.post(url, data={"on": "2024-03-01"}).status_code == 403
        assert client.post(url, data={"on": "2024-03-01", "confirm": "1"}).status_code == 403
        assert snapshot() == before


def test_stepping_down_names_the_open_round_and_whether_the_decision_counts(client, login):
    from tests.validation.support import open_round, sign, world

    w = world(other=False)
    round_ = open_round(w)
    sign(w, round_, "board_member")
    login(w.people["coordinator"])
    signed = w.m("board_member")
    body = page(client.post(f"{A}/board/{signed.id}/step-down",
                            data={"on": w.assessment.today().isoformat()}))
    assert ("Their decision in the open validation round on “Policy findings” (version 1) will "
            "no longer count.") in body
    waiting = w.m("member2")
    body = page(client.post(f"{A}/board/{waiting.id}/step-down",
                            data={"on": w.assessment.today().isoformat()}))
    assert ("They will no longer be awaited in the open validation round on “Policy findings” "
            "(version 1).") in body


# --- deleting a group ---------------------------------------------------------------------------

class TestDeleteGroup:
    def test_the_first_post_names_what_goes_and_changes_nothing(self, client, login):
        _assessment, people, groups = setup_board()
        group = groups["Academia"]
        login(people["coordinator"])
        before = snapshot()
        response = client.post(f"{A}/groups/{group.id}/delete")
        assert response.status_code == 200
        body = page(response)
        assert "Delete the group “Academia”?" in body
        assert "“Academia” has no members: it is deleted for good." in body
        assert f"The balance will no longer ask for {group.min_members} member" in body
        assert "The audit log keeps its name." in body
        assert confirmation_fields(response) == {"confirm": "1"}
        assert snapshot() == before

    def test_confirming_deletes(self, client, login):
        _assessment, people, groups = setup_board()
        group_id = groups["Academia"].id
        login(people["coordinator"])
        response = post_confirmed(client, f"{A}/groups/{group_id}/delete", follow_redirects=True)
        assert "The group has been deleted." in page(response)
        assert db.session.get(StakeholderGroup, group_id) is None

    def test_a_group_with_members_is_refused_without_a_confirmation_page(self, client, login):
        _assessment, people, groups = setup_board()
        login(people["coordinator"])
        before = snapshot()
        for data in ({}, {"confirm": "1"}):
            response = client.post(f"{A}/groups/{groups['Government'].id}/delete", data=data,
                                   follow_redirects=True)
            assert "“Government” has 1 member and cannot be deleted." in page(response)
            assert 'class="card confirm"' not in page(response)
        assert snapshot() == before

    def test_others_are_refused(self, client, login):
        _assessment, people, groups = setup_board()
        login(people["observer"])
        before = snapshot()
        url = f"{A}/groups/{groups['Academia'].id}/delete"
        assert client.post(url).status_code == 403
        assert client.post(url, data={"confirm": "1"}).status_code == 403
        assert snapshot() == before


# --- importing a board --------------------------------------------------------------------------

class TestImport:
    def test_the_preview_names_who_is_added_and_emailed(self, client, login):
        setup_board()
        make_user(email="bolat@ngo.kz")          # has an account already: told, not invited
        db.session.commit()
        login(db.session.scalar(select(User).where(User.email == "coordinator@example.org")))
        before = snapshot()
        preview = upload(client, CLEAN)
        assert preview.status_code == 200
        body = page(preview)
        assert "2 people will be added to the board." in body
        assert "1 of them as a nominee (not yet counted in the balance)." in body
        assert "1 invitation to create an account will be emailed." in body
        assert "1 person who already has an account will be emailed that they were added." in body
        assert snapshot() == before

    def test_the_signed_preview_without_confirm_imports_nothing(self, client, login):
        _assessment, people, _groups = setup_board()
        login(people["coordinator"])
        preview = upload(client, CLEAN)
        data = {"payload": hidden(preview, "payload"), "digest": hidden(preview, "digest")}
        before = snapshot()
        again = client.post(f"{A}/board/import/confirm", data=data)
        assert again.status_code == 200
        assert "2 people will be added to the board." in page(again)
        assert "2 invitations to create an account will be emailed." in page(again)
        assert snapshot() == before
        done = client.post(f"{A}/board/import/confirm", data={**data, "confirm": "1"})
        assert done.status_code == 302
        assert count(OutboxMessage) == 2 and count(Membership) == before[0] + 2
