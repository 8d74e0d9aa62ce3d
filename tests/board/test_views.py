"""The board registry, groups, policy, import/export and the balance dashboard over HTTP."""
import base64
import csv
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from mab.assessments.models import BoardStatus, Membership, Role
from mab.audit.models import AuditEvent
from mab.auth.models import Gender, User
from mab.board.models import StakeholderGroup
from mab.board.services import create_default_groups
from mab.extensions import db
from mab.types import utcnow
from mab.notify.models import OutboxMessage
from tests.factories import make_assessment, make_member, make_user, team

A = "/a/kz-2022"
BOM = b"\xef\xbb\xbf"
OTHERS = ["researcher", "board_member", "observer"]


# --- helpers ----------------------------------------------------------------------------------

def setup_board():
    """team() plus the default stakeholder groups; the team's board member sits for Government."""
    assessment, people = team()
    groups = {g.name: g for g in create_default_groups(assessment)}
    own = membership_of(people["board_member"])
    own.group_id = groups["Government"].id
    own.board_status = BoardStatus.ACTIVE
    own.appointed_on = date(2020, 1, 1)
    db.session.commit()
    return assessment, people, groups


def membership_of(user):
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


def add_member(assessment, group, name, gender=None, *, status="active", email=None,
               appointed_on=date(2020, 1, 1), **fields) -> Membership:
    user = make_user(email=email, name=name, gender=Gender(gender) if gender else None)
    membership = Membership(
        assessment=assessment, user=user, role=Role.BOARD_MEMBER, accepted_at=utcnow(),
        group_id=group.id if group is not None else None, board_status=BoardStatus(status),
        nominated_on=date(2019, 12, 1),
        appointed_on=None if status == "nominee" else appointed_on, **fields)
    db.session.add(membership)
    db.session.flush()
    return membership


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def actions():
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def text(response):
    return response.get_data(as_text=True)


def member_links(response):
    return re.findall(r'href="/a/kz-2022/board/(\d+)"', text(response))


def balance_rows(response):
    """{row name: [cell texts]} of the balance table; '<3' cells read as '&lt;3'."""
    table = re.search(r'<table class="balance-table[^"]*">(.*?)</table>', text(response),
                      re.S).group(1)
    rows = {}
    for name, cells in re.findall(r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', table, re.S):
        rows[name.strip()] = [re.sub(r"<[^>]+>", "", c).strip()
                              for c in re.findall(r'<td class="num"[^>]*>(.*?)</td>', cells, re.S)]
    return rows


def read_csv(response):
    assert response.data.startswith(BOM)
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def hidden(response, name):
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', text(response))
    assert match, f"no hidden {name} field"
    return match.group(1)


def member_form(groups, **changes):
    data = {"name": "Айгерим Серикова", "email": "Aigerim@Gov.kz", "language": "ru",
            "status": "active", "group_id": str(groups["Government"].id),
            "organisation": "Министерство цифрового развития", "position": "Директор",
            "term_start": "2024-01-01", "term_end": "2026-12-31", "gender": "woman",
            "coi_declaration": "", "coi_declared_on": "", "notes": "Recommended by the ministry"}
    data.update(changes)
    return data


def edit_form(membership, **changes):
    data = {"group_id": str(membership.group_id), "organisation": membership.organisation,
            "position": membership.position,
            "term_start": membership.term_start.isoformat() if membership.term_start else "",
            "term_end": membership.term_end.isoformat() if membership.term_end else "",
            "gender": membership.user.gender or "", "coi_declaration": membership.coi_declaration,
            "coi_declared_on": "", "notes": membership.notes}
    data.update(changes)
    return data


# --- registry ---------------------------------------------------------------------------------

class TestRegistry:
    def _board(self):
        assessment, people, groups = setup_board()
        add_member(assessment, groups["Academia"], "Айгерим Серикова", "woman",
                   email="aigerim@uni.kz", organisation="Astana IT University")
        add_member(assessment, groups["Civil society"], "Болат Қасымов", "man",
                   email="bolat@ngo.kz", organisation="Internet Society KZ")
        add_member(assessment, groups["Academia"], "Dana Nominee", "woman", status="nominee",
                   email="dana@uni.kz")
        add_member(assessment, groups["Media and journalists"], "Erlan Former", None,
                   status="stepped_down", email="erlan@media.kz", stepped_down_on=date(2023, 1, 1))
        db.session.commit()
        return assessment, people, groups

    @pytest.mark.parametrize("role", ["coordinator", "researcher", "board_member", "observer"])
    def test_every_role_sees_the_roster(self, client, login, role):
        assessment, people, groups = self._board()
        login(people[role])
        page = client.get(f"{A}/board")
        assert page.status_code == 200
        body = text(page)
        for name in ("Айгерим Серикова", "Болат Қасымов", "Dana Nominee", "Erlan Former"):
            assert name in body
        assert "5 members match." in body
        assert "Active: 3" in body and "Nominees: 1" in body and "Stepped down: 1" in body
        assert "Astana IT University" in body
        assert "researcher@example.org" not in body   # the team section shows names only

    def test_only_the_coordinator_sees_emails_and_genders(self, client, login):
        assessment, people, groups = self._board()
        login(people["coordinator"])
        body = text(client.get(f"{A}/board"))
        assert "aigerim@uni.kz" in body and '<th scope="col">Gender</th>' in body
        assert '<td data-label="Gender">Woman</td>' in body
        assert 'href="/a/kz-2022/board/new"' in body and 'href="/a/kz-2022/board/import"' in body
        for role in OTHERS:
            login(people[role])
            body = text(client.get(f"{A}/board"))
            assert "aigerim@uni.kz" not in body and "bolat@ngo.kz" not in body
            assert '<th scope="col">Gender</th>' not in body and '<td data-label="Gender">Woman</td>' not in body
            assert 'name="gender"' not in body
            assert "/board/new" not in body and "/board/import" not in body

    def test_filter_by_group_and_status(self, client, login):
        assessment, people, groups = self._board()
        login(people["board_member"])
        body = text(client.get(f"{A}/board?group={groups['Academia'].id}"))
        assert "Айгерим Серикова" in body and "Dana Nominee" in body
        assert "Болат Қасымов" not in body and "2 members match." in body
        body = text(client.get(f"{A}/board?status=nominee"))
        assert "Dana Nominee" in body and "Айгерим Серикова" not in body
        body = text(client.get(f"{A}/board?status=stepped_down&group={groups['Academia'].id}"))
        assert "0 members match." in body and "No member matches these filters." in body
        # An unknown status is ignored rather than an error.
        assert "5 members match." in text(client.get(f"{A}/board?status=retired"))

    def test_search_by_name_and_organisation(self, client, login):
        assessment, people, groups = self._board()
        login(people["observer"])
        body = text(client.get(f"{A}/board?q=Қасым"))
        assert "Болат Қасымов" in body and "1 member matches." in body
        body = text(client.get(f"{A}/board?q=astana it"))
        assert "Айгерим Серикова" in body and "Болат Қасымов" not in body

    def test_only_the_coordinator_can_search_emails(self, client, login):
        assessment, people, groups = self._board()
        login(people["coordinator"])
        assert "1 member matches." in text(client.get(f"{A}/board?q=bolat@ngo"))
        for role in OTHERS:
            login(people[role])
            body = text(client.get(f"{A}/board?q=bolat@ngo"))
            assert "0 members match." in body and "Болат Қасымов" not in body

    def test_gender_filter_only_for_the_coordinator(self, client, login):
        assessment, people, groups = self._board()
        login(people["coordinator"])
        body = text(client.get(f"{A}/board?gender=woman"))
        assert "Айгерим Серикова" in body and "Dana Nominee" in body
        assert "Болат Қасымов" not in body and "2 members match." in body
        body = text(client.get(f"{A}/board?gender=unrecorded"))
        assert "Erlan Former" in body and "Айгерим Серикова" not in body
        for role in OTHERS:
            login(people[role])
            body = text(client.get(f"{A}/board?gender=woman"))
            assert "Болат Қасымов" in body and "5 members match." in body

    def test_pagination(self, client, login):
        assessment, people, groups = setup_board()
        for i in range(30):
            add_member(assessment, groups["Academia"], f"Member {i:02d}", "woman")
        db.session.commit()
        login(people["coordinator"])
        first = client.get(f"{A}/board")
        assert len(member_links(first)) == 25
        assert "Page 1 of 2" in text(first) and "31 members match." in text(first)
        second = client.get(f"{A}/board?page=2")
        assert len(member_links(second)) == 6
        assert not set(member_links(first)) & set(member_links(second))
        assert "Page 2 of 2" in text(second)
        # Filters carry over into the page links.
        filtered = text(client.get(f"{A}/board?group={groups['Academia'].id}&status=active"))
        assert "30 members match." in filtered
        assert re.search(r'href="[^"]*page=2[^"]*"', filtered)
        link = re.search(r'href="([^"]*page=2[^"]*)"', filtered).group(1).replace("&amp;", "&")
        assert f"group={groups['Academia'].id}" in link and "status=active" in link
        assert client.get(f"{A}/board?page=99").status_code == 200


class TestMemberPage:
    def _member(self):
        assessment, people, groups = setup_board()
        other = add_member(assessment, groups["Academia"], "Айгерим Серикова", "woman",
                           email="aigerim@uni.kz", notes="Prefers Russian",
                           coi_declaration="Works for a telecom regulator")
        own = membership_of(people["board_member"])
        own.notes = "Secret note about the member"
        people["board_member"].gender = Gender.MAN
        db.session.commit()
        return assessment, people, other, own

    def test_coordinator_sees_personal_fields_and_notes(self, client, login):
        assessment, people, other, own = self._member()
        login(people["coordinator"])
        body = text(client.get(f"{A}/board/{other.id}"))
        assert "aigerim@uni.kz" in body and "<dt>Gender</dt><dd>Woman" in body
        assert "Prefers Russian" in body and "Works for a telecom regulator" in body
        assert f'href="/a/kz-2022/board/{other.id}/edit"' in body
        assert "Record stepping down" in body

    @pytest.mark.parametrize("role", OTHERS)
    def test_others_see_no_personal_field(self, client, login, role):
        assessment, people, other, own = self._member()
        login(people[role])
        page = client.get(f"{A}/board/{other.id}")
        assert page.status_code == 200
        body = text(page)
        assert "Айгерим Серикова" in body and "Works for a telecom regulator" in body
        assert "aigerim@uni.kz" not in body and "<dt>Gender</dt>" not in body
        assert "Woman" not in body and "Prefers Russian" not in body
        assert "/edit" not in body and "step-down" not in body

    def test_a_member_sees_their_own_email_and_gender_but_not_the_notes(self, client, login):
        assessment, people, other, own = self._member()
        login(people["board_member"])
        body = text(client.get(f"{A}/board/{own.id}"))
        assert "board_member@example.org" in body and "<dt>Gender</dt><dd>Man" in body
        assert "Secret note about the member" not in body

    def test_a_membership_that_is_not_on_the_board_is_404(self, client, login):
        assessment, people, other, own = self._member()
        login(people["coordinator"])
        researcher = membership_of(people["researcher"])
        assert client.get(f"{A}/board/{researcher.id}").status_code == 404
        assert client.get(f"{A}/board/{researcher.id}/edit").status_code == 404
        assert client.get(f"{A}/board/999999").status_code == 404


# --- adding, editing, stepping down ------------------------------------------------------------

class TestAddMember:
    def test_add_creates_the_membership_queues_the_invitation_and_audits(self, client, login):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        before = len(actions())
        response = client.post(f"{A}/board/new", data=member_form(groups))
        assert response.status_code == 302
        user = db.session.scalar(select(User).where(User.email == "aigerim@gov.kz"))
        membership = membership_of(user)
        assert response.headers["Location"].endswith(f"{A}/board/{membership.id}")
        assert membership.role == Role.BOARD_MEMBER and membership.assessment_id == assessment.id
        assert membership.board_status == BoardStatus.ACTIVE
        assert membership.group_id == groups["Government"].id
        assert membership.organisation == "Министерство цифрового развития"
        assert (membership.term_start, membership.term_end) == (date(2024, 1, 1), date(2026, 12, 31))
        assert membership.appointed_on == date(2024, 1, 1)    # the start of the term
        assert membership.notes == "Recommended by the ministry"
        assert user.name == "Айгерим Серикова" and user.language == "ru"
        assert user.gender == Gender.WOMAN and user.gender_recorded_by_coordinator
        assert user.password_hash is None
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert (mail.kind, mail.recipient, mail.assessment_id) == (
            "invitation", "aigerim@gov.kz", assessment.id)
        assert "/invite/" in mail.body_text and "Hello" not in mail.body_text   # in Russian
        assert actions()[before:] == ["membership.invited", "board.gender_recorded",
                                      "board.member_added"]
        page = client.get(response.headers["Location"])
        assert "has been added to the board and invited by email" in text(page)

    def test_a_nominee_is_not_dated_as_appointed_until_appointed(self, client, login):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        client.post(f"{A}/board/new", data=member_form(groups, status="nominee", term_start="",
                                                       term_end=""))
        membership = membership_of(db.session.scalar(
            select(User).where(User.email == "aigerim@gov.kz")))
        assert membership.board_status == BoardStatus.NOMINEE
        local_today = datetime.now(ZoneInfo(assessment.timezone)).date()   # Asia/Almaty
        assert membership.nominated_on == local_today and membership.appointed_on is None
        body = text(client.get(f"{A}/board/{membership.id}"))
        assert "Appoint to the board" in body
        response = client.post(f"{A}/board/{membership.id}/appoint", data={"on": "2024-05-01"})
        assert response.status_code == 302
        db.session.refresh(membership)
        assert membership.board_status == BoardStatus.ACTIVE
        assert membership.appointed_on == date(2024, 5, 1)
        assert actions()[-1] == "board.member_appointed"
        client.post(f"{A}/board/{membership.id}/appoint", data={"on": "2024-06-01"},
                    follow_redirects=True)
        db.session.refresh(membership)
        assert membership.appointed_on == date(2024, 5, 1)   # only a nominee can be appointed

    def test_an_existing_account_is_added_and_told(self, client, login):
        assessment, people, groups = setup_board()
        other = make_assessment(slug="other")
        known = make_member(other, Role.RESEARCHER, email="known@example.org", gender=Gender.MAN)
        db.session.commit()
        login(people["coordinator"])
        response = client.post(f"{A}/board/new", data=member_form(
            groups, email="KNOWN@example.org", gender="woman"))
        assert response.status_code == 302
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert mail.kind == "added_to_assessment" and mail.recipient == "known@example.org"
        db.session.refresh(known)
        assert known.gender == Gender.MAN   # the person's own description is not overwritten

    @pytest.mark.parametrize("changes,message", [
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"email": ""}, "This field is required."),
        ({"name": ""}, "This field is required."),
        ({"group_id": ""}, "This field is required."),
        ({"group_id": "999999"}, "Not a valid choice."),
        ({"term_end": "2023-12-31"}, "The term cannot end before it starts."),
        ({"term_start": "01/02/2024"}, "Not a valid date value."),
        ({"gender": "female"}, "Not a valid choice."),
        ({"email": "observer@example.org"}, "observer@example.org is already part of this "
                                            "assessment."),
    ])
    def test_bad_input_re_renders_with_the_input_kept_and_nothing_saved(
            self, client, login, changes, message):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        users, memberships, events = count(User), count(Membership), len(actions())
        response = client.post(f"{A}/board/new", data=member_form(groups, **changes))
        assert response.status_code == 422
        body = text(response)
        assert message in body and 'aria-invalid="true"' in body
        assert 'value="Министерство цифрового развития"' in body
        assert "Recommended by the ministry" in body
        if "name" not in changes:
            assert 'value="Айгерим Серикова"' in body
        assert (count(User), count(Membership), len(actions())) == (users, memberships, events)
        assert count(OutboxMessage) == 0

    def test_a_group_of_another_assessment_is_not_a_choice(self, client, login):
        assessment, people, groups = setup_board()
        other = make_assessment(slug="other")
        foreign = create_default_groups(other)[0]
        db.session.commit()
        login(people["coordinator"])
        response = client.post(f"{A}/board/new", data=member_form(groups, group_id=str(foreign.id)))
        assert response.status_code == 422 and "Not a valid choice." in text(response)
        assert count(OutboxMessage) == 0

    def test_retired_groups_are_not_offered(self, client, login):
        assessment, people, groups = setup_board()
        groups["Academia"].retired = True
        db.session.commit()
        login(people["coordinator"])
        body = text(client.get(f"{A}/board/new"))
        assert ">Government</option>" in body and ">Academia</option>" not in body
        response = client.post(f"{A}/board/new", data=member_form(
            groups, group_id=str(groups["Academia"].id)))
        assert response.status_code == 422


class TestEditMember:
    def _member(self):
        assessment, people, groups = setup_board()
        membership = add_member(assessment, groups["Academia"], "Айгерим Серикова", "woman",
                                organisation="Old org", term_start=date(2022, 1, 1),
                                term_end=date(2025, 12, 31), notes="Old note")
        membership.user.gender_recorded_by_coordinator = True
        db.session.commit()
        return assessment, people, groups, membership

    def test_edit_saves_and_audits(self, client, login):
        assessment, people, groups, membership = self._member()
        login(people["coordinator"])
        page = client.get(f"{A}/board/{membership.id}/edit")
        assert page.status_code == 200 and 'value="Old org"' in text(page)
        response = client.post(f"{A}/board/{membership.id}/edit", data=edit_form(
            membership, organisation="Новая организация", group_id=str(groups["Government"].id),
            notes="New note", gender="another"))
        assert response.status_code == 302
        db.session.refresh(membership)
        assert membership.organisation == "Новая организация"
        assert membership.group_id == groups["Government"].id and membership.notes == "New note"
        assert membership.user.gender == Gender.ANOTHER
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "board.member_updated"))
        assert event.changes["organisation"] == ["Old org", "Новая организация"]
        assert actions()[-1] == "board.gender_recorded"

    def test_bad_input_keeps_the_input_and_saves_nothing(self, client, login):
        assessment, people, groups, membership = self._member()
        login(people["coordinator"])
        events = len(actions())
        response = client.post(f"{A}/board/{membership.id}/edit", data=edit_form(
            membership, organisation="Новая организация", term_end="2021-01-01", notes="New note",
            gender="man"))
        assert response.status_code == 422
        body = text(response)
        assert "The term cannot end before it starts." in body
        assert 'value="Новая организация"' in body and "New note" in body
        db.session.refresh(membership)
        assert membership.organisation == "Old org" and membership.notes == "Old note"
        assert membership.term_end == date(2025, 12, 31)
        assert membership.user.gender == Gender.WOMAN
        assert len(actions()) == events

    def test_a_gender_the_person_described_is_not_editable(self, client, login):
        assessment, people, groups, membership = self._member()
        membership.user.gender_recorded_by_coordinator = False
        db.session.commit()
        login(people["coordinator"])
        assert 'name="gender"' not in text(client.get(f"{A}/board/{membership.id}/edit"))
        data = edit_form(membership, gender="man")
        assert client.post(f"{A}/board/{membership.id}/edit", data=data).status_code == 302
        db.session.refresh(membership)
        assert membership.user.gender == Gender.WOMAN
        assert "board.gender_recorded" not in actions()


    def test_a_retired_group_stays_offered_to_its_members_only(self, client, login):
        assessment, people, groups, membership = self._member()
        groups["Academia"].retired = True
        groups["Media and journalists"].retired = True
        db.session.commit()
        login(people["coordinator"])
        body = text(client.get(f"{A}/board/{membership.id}/edit"))
        assert ">Academia</option>" in body and ">Media and journalists</option>" not in body
        assert client.post(f"{A}/board/{membership.id}/edit", data=edit_form(
            membership, position="Dean")).status_code == 302
        response = client.post(f"{A}/board/{membership.id}/edit", data=edit_form(
            membership, group_id=str(groups["Media and journalists"].id)))
        assert response.status_code == 422 and "Not a valid choice." in text(response)
        db.session.refresh(membership)
        assert membership.group_id == groups["Academia"].id and membership.position == "Dean"


class TestStepDown:
    def _member(self):
        assessment, people, groups = setup_board()
        membership = add_member(assessment, groups["Academia"], "Айгерим Серикова", "woman",
                                appointed_on=date(2022, 2, 1))
        db.session.commit()
        return assessment, people, membership

    def test_step_down_keeps_the_row_and_its_history(self, client, login):
        assessment, people, membership = self._member()
        login(people["coordinator"])
        response = client.post(f"{A}/board/{membership.id}/step-down",
                               data={"on": "2024-03-01", "reason": "Moved abroad",
                                     "confirm": "1"}, follow_redirects=True)
        assert response.status_code == 200
        assert "has stepped down; the record is kept" in text(response)
        db.session.refresh(membership)
        assert membership.board_status == BoardStatus.STEPPED_DOWN
        assert membership.stepped_down_on == date(2024, 3, 1)
        assert membership.group_id is not None and membership.appointed_on == date(2022, 2, 1)
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "board.member_stepped_down"))
        assert event.changes["reason"] == "Moved abroad" and event.changes["on"] == "2024-03-01"
        assert "Record stepping down" not in text(response)
        listed = text(client.get(f"{A}/board?status=stepped_down"))
        assert "Айгерим Серикова" in listed
        # Still counted on the dates she served.
        assert "2 members on" in text(client.get(f"{A}/balance?on=2024-02-29"))
        assert "1 member on" in text(client.get(f"{A}/balance?on=2024-03-01"))

    def test_step_down_refusals_leave_the_status(self, client, login):
        assessment, people, membership = self._member()
        login(people["coordinator"])
        url = f"{A}/board/{membership.id}/step-down"
        body = text(client.post(url, data={"on": "2021-01-01"}, follow_redirects=True))
        assert "The date cannot be before the appointment." in body
        body = text(client.post(url, data={"on": ""}, follow_redirects=True))
        assert "Give the date on which the member stepped down." in body
        db.session.refresh(membership)
        assert membership.board_status == BoardStatus.ACTIVE and membership.stepped_down_on is None
        client.post(url, data={"on": "2024-03-01", "confirm": "1"})
        body = text(client.post(url, data={"on": "2024-04-01", "confirm": "1"},
                                follow_redirects=True))
        assert "This member has already stepped down." in body
        db.session.refresh(membership)
        assert membership.stepped_down_on == date(2024, 3, 1)
        assert actions().count("board.member_stepped_down") == 1

    def test_a_nominee_can_withdraw_before_the_nomination_date(self, client, login):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        client.post(f"{A}/board/new", data=member_form(groups, status="nominee", term_start="",
                                                       term_end=""))
        membership = db.session.scalar(select(Membership).where(
            Membership.board_status == BoardStatus.NOMINEE))
        response = client.post(f"{A}/board/{membership.id}/step-down",
                               data={"on": "2024-01-01", "confirm": "1"})
        assert response.status_code == 302
        db.session.refresh(membership)
        assert membership.board_status == BoardStatus.STEPPED_DOWN
        assert membership.stepped_down_on == date(2024, 1, 1)
        # Never appointed: never counted, whatever the date (only the team's member served).
        assert "1 member on" in text(client.get(f"{A}/balance?on=2023-12-31"))


# --- groups and policy --------------------------------------------------------------------------

GROUP = {"name": "Парламент", "description": "Members of parliament", "min_members": "1",
         "position": "20"}


class TestGroups:
    @pytest.mark.parametrize("role", ["coordinator", "researcher", "board_member", "observer"])
    def test_every_role_sees_the_groups_and_counts(self, client, login, role):
        assessment, people, groups = setup_board()
        add_member(assessment, groups["Academia"], "A", "woman")
        add_member(assessment, groups["Academia"], "B", "man")
        db.session.commit()
        login(people[role])
        page = client.get(f"{A}/groups")
        assert page.status_code == 200
        body = text(page)
        assert "National IGF community" in body
        assert re.search(r"Academia.*?</td>\s*<td[^>]*>1</td>\s*<td[^>]*>2</td>", body, re.S)
        editable = f'href="/a/kz-2022/groups/{groups["Academia"].id}"' in body
        assert editable == (role == "coordinator")
        assert ("Add a group" in body) == (role == "coordinator")

    def test_add_a_group(self, client, login):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        response = client.post(f"{A}/groups", data=GROUP)
        assert response.status_code == 302
        group = db.session.scalar(select(StakeholderGroup).where(StakeholderGroup.name == "Парламент"))
        assert (group.assessment_id, group.description, group.min_members, group.position) == (
            assessment.id, "Members of parliament", 1, 20)
        assert actions()[-1] == "groups.created"

    @pytest.mark.parametrize("changes,message", [
        ({"name": "government "}, "A group with this name exists already."),
        ({"name": ""}, "This field is required."),
        ({"min_members": "-1"}, "Number must be between 0 and 100."),
        ({"position": "x"}, "Not a valid integer value."),
    ])
    def test_bad_group_re_renders_with_the_input_kept(self, client, login, changes, message):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        before = count(StakeholderGroup)
        response = client.post(f"{A}/groups", data={**GROUP, **changes})
        assert response.status_code == 422
        body = text(response)
        assert message in body and "Members of parliament" in body
        assert count(StakeholderGroup) == before and actions()[-1] == "groups.defaults_created"

    def test_rename_and_retire(self, client, login):
        assessment, people, groups = setup_board()
        group = groups["Government"]
        login(people["coordinator"])
        page = client.get(f"{A}/groups/{group.id}")
        assert page.status_code == 200 and 'value="Government"' in text(page)
        response = client.post(f"{A}/groups/{group.id}", data={
            "name": "Государственный сектор", "description": "", "min_members": "2",
            "position": "1"})
        assert response.status_code == 302
        db.session.refresh(group)
        assert (group.name, group.min_members, group.retired) == ("Государственный сектор", 2, False)
        assert membership_of(people["board_member"]).group_id == group.id
        assert actions()[-1] == "groups.updated"
        client.post(f"{A}/groups/{group.id}", data={
            "name": "Государственный сектор", "description": "", "min_members": "2",
            "position": "1", "retired": "y"})
        db.session.refresh(group)
        assert group.retired
        assert "retired" in text(client.get(f"{A}/groups"))

    def test_renaming_onto_another_group_is_refused(self, client, login):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        response = client.post(f"{A}/groups/{groups['Government'].id}", data={
            "name": "Academia", "description": "", "min_members": "1", "position": "1"})
        assert response.status_code == 422 and "exists already" in text(response)
        assert 'value="Academia"' in text(response)
        db.session.refresh(groups["Government"])
        assert groups["Government"].name == "Government"

    def test_a_group_with_members_cannot_be_deleted(self, client, login):
        assessment, people, groups = setup_board()
        group = groups["Government"]
        login(people["coordinator"])
        page = text(client.get(f"{A}/groups"))
        assert f"/groups/{group.id}/delete" not in page
        assert f"/groups/{groups['Academia'].id}/delete" in page
        response = client.post(f"{A}/groups/{group.id}/delete", follow_redirects=True)
        assert response.status_code == 200
        assert ("“Government” has 1 member and cannot be deleted. Rename it, or retire it so "
                "it no longer counts.") in text(response)
        assert db.session.get(StakeholderGroup, group.id) is not None
        assert "groups.deleted" not in actions()

    def test_a_group_whose_members_stepped_down_is_kept_too(self, client, login):
        assessment, people, groups = setup_board()
        add_member(assessment, groups["Media and journalists"], "Gone", status="stepped_down",
                   stepped_down_on=date(2021, 1, 1))
        db.session.commit()
        login(people["coordinator"])
        client.post(f"{A}/groups/{groups['Media and journalists'].id}/delete")
        assert db.session.get(StakeholderGroup, groups["Media and journalists"].id) is not None

    def test_an_empty_group_can_be_deleted(self, client, login):
        assessment, people, groups = setup_board()
        group_id = groups["Academia"].id
        login(people["coordinator"])
        response = client.post(f"{A}/groups/{group_id}/delete", data={"confirm": "1"},
                               follow_redirects=True)
        assert "The group has been deleted." in text(response)
        assert db.session.get(StakeholderGroup, group_id) is None
        assert actions()[-1] == "groups.deleted"

    def test_a_group_of_another_assessment_is_404(self, client, login):
        assessment, people, groups = setup_board()
        other = make_assessment(slug="other")
        foreign = create_default_groups(other)[0]
        db.session.commit()
        login(people["coordinator"])
        assert client.get(f"{A}/groups/{foreign.id}").status_code == 404
        assert client.post(f"{A}/groups/{foreign.id}", data=GROUP).status_code == 404
        assert client.post(f"{A}/groups/{foreign.id}/delete").status_code == 404
        assert db.session.get(StakeholderGroup, foreign.id).name == "Government"


POLICY = {"gender_min_pct": "35", "gender_max_pct": "65", "undisclosed_max_pct": "10",
          "group_min_members": "2", "group_max_pct": "25"}


class TestPolicy:
    def test_coordinator_saves_the_policy(self, client, login):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        response = client.post(f"{A}/policy", data=POLICY)
        assert response.status_code == 302
        db.session.refresh(assessment)
        assert (assessment.gender_min_pct, assessment.gender_max_pct,
                assessment.undisclosed_max_pct, assessment.group_min_members,
                assessment.group_max_pct) == (35, 65, 10, 2, 25)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "policy.updated"))
        assert event.changes["gender_min_pct"] == [40, 35]

    @pytest.mark.parametrize("low,high", [("60", "60"), ("70", "50")])
    def test_the_band_must_be_ordered(self, client, login, low, high):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        response = client.post(f"{A}/policy", data={**POLICY, "gender_min_pct": low,
                                                    "gender_max_pct": high})
        assert response.status_code == 422
        body = text(response)
        assert "The highest share must be above the lowest share." in body
        assert f'value="{low}"' in body and f'value="{high}"' in body and 'value="25"' in body
        db.session.refresh(assessment)
        assert (assessment.gender_min_pct, assessment.gender_max_pct,
                assessment.group_max_pct) == (40, 60, 30)
        assert "policy.updated" not in actions()

    @pytest.mark.parametrize("field,value", [("gender_max_pct", "101"), ("group_max_pct", "0"),
                                             ("undisclosed_max_pct", ""),
                                             ("group_min_members", "-1")])
    def test_out_of_range_values_are_refused(self, client, login, field, value):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        response = client.post(f"{A}/policy", data={**POLICY, field: value})
        assert response.status_code == 422 and 'aria-invalid="true"' in text(response)
        db.session.refresh(assessment)
        assert assessment.gender_min_pct == 40

    @pytest.mark.parametrize("role", OTHERS)
    def test_others_read_the_policy_but_cannot_change_it(self, client, login, role):
        assessment, people, groups = setup_board()
        login(people[role])
        page = client.get(f"{A}/policy")
        assert page.status_code == 200 and "40%–60%" in text(page)
        assert "<form method=\"post\" novalidate" not in text(page)
        assert client.post(f"{A}/policy", data=POLICY).status_code == 403
        db.session.refresh(assessment)
        assert assessment.gender_min_pct == 40


# --- the balance dashboard -----------------------------------------------------------------------

def balance_board():
    """Now: women 3 (Academia 1, Civil society 2), men 6 (Government 3, Civil society 3).

    On 2021-01-01 a Media man, since stepped down, also served; three women are nominees.
    """
    assessment, people, groups = setup_board()
    people["board_member"].gender = Gender.MAN
    groups["Civil society"].name = "Гражданское общество"
    groups["Civil society"].names = {}   # renamed, with no name in another language
    add_member(assessment, groups["Government"], "Алексей", "man")
    add_member(assessment, groups["Government"], "Борис", "man")
    add_member(assessment, groups["Academia"], "Айгерим", "woman")
    for name in ("Дана", "Жанар"):
        add_member(assessment, groups["Civil society"], name, "woman")
    for name in ("Ерлан", "Марат", "Нурлан"):
        add_member(assessment, groups["Civil society"], name, "man")
    add_member(assessment, groups["Media and journalists"], "Олжас", "man",
               status="stepped_down", stepped_down_on=date(2021, 6, 1))
    for name in ("Сауле", "Томирис", "Умит"):
        add_member(assessment, groups["Private sector"], name, "woman", status="nominee")
    db.session.commit()
    return assessment, people, groups


class TestBalance:
    @pytest.mark.parametrize("role,status", [("coordinator", 200), ("researcher", 200),
                                             ("board_member", 200), ("observer", 403)])
    def test_who_sees_the_balance(self, client, login, role, status):
        assessment, people, groups = balance_board()
        login(people[role])
        assert client.get(f"{A}/balance").status_code == status
        assert client.get(f"{A}/balance.csv").status_code == status
        nav = text(client.get(f"{A}/board"))
        assert (f'href="{A}/balance"' in nav) == (status == 200)

    def test_figures_and_remedies_today(self, client, login):
        assessment, people, groups = balance_board()
        login(people["coordinator"])
        body = text(client.get(f"{A}/balance"))
        assert "9 members on" in body
        # 3 of 9 women (33.3 %): one more woman reaches 40 %.
        assert "Women hold 3 of 9 seats held by members who disclosed their gender (33.3%), " \
               "below 40%." in body
        assert "Add 1 woman." in body
        assert "Гражданское общество holds 55.6% of seats, above the 30% limit." in body
        assert "No active member from Private sector." in body
        assert "Include the 3 current nominees (projection)" in body

    def test_as_of_a_past_date(self, client, login):
        assessment, people, groups = balance_board()
        login(people["coordinator"])
        page = client.get(f"{A}/balance?on=2021-01-01")
        body = text(page)
        assert "10 members on" in body and 'value="2021-01-01"' in body
        assert "Women hold 3 of 10 seats" in body and "Add 2 women." in body
        assert balance_rows(page)["Media and journalists"] == ["0", "1", "0", "0", "1"]
        assert balance_rows(client.get(f"{A}/balance"))["Media and journalists"] == [
            "0", "0", "0", "0", "0"]
        # Before anyone was appointed.
        assert "0 members on" in text(client.get(f"{A}/balance?on=2019-01-01"))
        assert "The board has no active member." in text(client.get(f"{A}/balance?on=2019-01-01"))
        # A date that is not one is ignored: today.
        assert "9 members on" in text(client.get(f"{A}/balance?on=yesterday"))

    def test_a_term_that_ended_yesterday_does_not_count(self, client, login):
        assessment, people, groups = balance_board()
        member = db.session.scalar(select(Membership).join(Membership.user).where(
            User.name == "Алексей"))
        member.term_end = date(2023, 6, 30)
        db.session.commit()
        login(people["coordinator"])
        assert "9 members on" in text(client.get(f"{A}/balance?on=2023-06-30"))
        assert "8 members on" in text(client.get(f"{A}/balance?on=2023-07-01"))

    def test_projection_with_the_nominees(self, client, login):
        assessment, people, groups = balance_board()
        login(people["coordinator"])
        page = client.get(f"{A}/balance?projection=y")
        body = text(page)
        assert "12 members on" in body and "projection with the nominees appointed" in body
        assert "Women 50%, men 50% of members who disclosed their gender: within 40%–60%." in body
        assert "Add 1 woman." not in body and "No active member from Private sector." not in body
        assert balance_rows(page)["Private sector"] == ["3", "0", "0", "0", "3"]
        assert 'name="projection" value="y" checked' in body
        csv_link = re.search(r'href="([^"]*balance.csv[^"]*)"', body).group(1)
        assert "projection=y" in csv_link

    def test_coordinator_sees_every_number(self, client, login):
        assessment, people, groups = balance_board()
        login(people["coordinator"])
        page = client.get(f"{A}/balance")
        rows = balance_rows(page)
        assert rows["Academia"] == ["1", "0", "0", "0", "1"]
        assert rows["Гражданское общество"] == ["2", "3", "0", "0", "5"]
        assert rows["Government"] == ["0", "3", "0", "0", "3"]
        assert rows["Total"] == ["3", "6", "0", "0", "9"]
        assert "&lt;3" not in text(page)

    @pytest.mark.parametrize("role", ["researcher", "board_member"])
    def test_small_cells_are_suppressed_beyond_the_coordinator(self, client, login, role):
        assessment, people, groups = balance_board()
        login(people[role])
        page = client.get(f"{A}/balance")
        rows = balance_rows(page)
        # A row with a cell of 1 or 2 hides every gender cell (zeros beside it would tell).
        assert rows["Academia"][:4] == ["*"] * 4 and rows["Academia"][4] == "1"
        assert rows["Гражданское общество"][:4] == ["*"] * 4
        assert rows["Government"][:2] == ["0", "3"]
        assert rows["Total"] == ["3", "6", "0", "0", "9"]
        assert "Cells with fewer than 3 people are not shown" in text(page)
        assert "Women: 3" in text(page)   # the chart legend, 3 or more

    def test_research_team_balance(self, client, login):
        assessment, people, groups = balance_board()
        people["researcher"].gender = Gender.WOMAN
        for name in ("R1", "R2", "R3"):
            make_member(assessment, Role.RESEARCHER, name=name, gender=Gender.MAN)
        db.session.commit()
        login(people["coordinator"])
        section = text(client.get(f"{A}/balance")).split('id="research-heading"')[1]
        assert "Woman: 1 · Man: 3" in section
        login(people["board_member"])
        section = text(client.get(f"{A}/balance")).split('id="research-heading"')[1]
        plain = re.sub(r"<[^>]+>", "", section)
        assert "Woman" not in plain and "4 researchers; the gender balance is not shown" in plain

    def test_without_researchers(self, client, login):
        assessment, people, groups = balance_board()
        db.session.delete(membership_of(people["researcher"]))
        db.session.commit()
        login(people["coordinator"])
        assert "No researcher yet." in text(client.get(f"{A}/balance"))

    def test_policy_changes_the_checks(self, client, login):
        assessment, people, groups = balance_board()
        assessment.gender_min_pct, assessment.gender_max_pct = 30, 70
        db.session.commit()
        login(people["coordinator"])
        body = text(client.get(f"{A}/balance"))
        assert "Add 1 woman." not in body and "within 30%–70%" in body

    def test_an_empty_board(self, client, login):
        assessment, people = team()
        create_default_groups(assessment)
        db.session.delete(membership_of(people["board_member"]))
        db.session.commit()
        login(people["coordinator"])
        page = client.get(f"{A}/balance")
        assert page.status_code == 200
        assert "The board has no active member." in text(page) and "0 members on" in text(page)
        assert balance_rows(page)["Total"] == ["0", "0", "0", "0", "0"]


# --- exports ---------------------------------------------------------------------------------

class TestExports:
    def test_balance_csv_for_the_coordinator(self, client, login):
        assessment, people, groups = balance_board()
        login(people["coordinator"])
        response = client.get(f"{A}/balance.csv?on=2021-01-01")
        assert response.mimetype == "text/csv"
        assert 'filename="kz-2022-balance-2021-01-01.csv"' in response.headers["Content-Disposition"]
        rows = read_csv(response)
        assert rows[0] == ["group", "woman", "man", "another", "undisclosed", "total"]
        assert ["Гражданское общество", "2", "3", "0", "0", "5"] in rows
        assert ["Academia", "1", "0", "0", "0", "1"] in rows
        assert ["Media and journalists", "0", "1", "0", "0", "1"] in rows
        assert rows[-1] == ["total", "3", "7", "0", "0", "10"]
        assert response.data.count(b"\r\n") == len(rows)

    def test_balance_csv_suppressed_for_a_board_member(self, client, login):
        assessment, people, groups = balance_board()
        login(people["board_member"])
        rows = read_csv(client.get(f"{A}/balance.csv"))
        assert ["Academia", *["suppressed"] * 4, "1"] in rows
        assert ["Гражданское общество", *["suppressed"] * 4, "5"] in rows
        projected = read_csv(client.get(f"{A}/balance.csv?projection=y"))
        assert ["Private sector", "3", "0", "0", "0", "3"] in projected

    def test_board_csv_for_the_coordinator(self, client, login):
        assessment, people, groups = balance_board()
        member = db.session.scalar(select(Membership).join(Membership.user).where(
            User.name == "Айгерим"))
        member.organisation, member.notes = "=HYPERLINK(\"http://evil\")", "Confidential"
        member.user.email = "aigerim@uni.kz"
        db.session.commit()
        login(people["coordinator"])
        response = client.get(f"{A}/board.csv")
        assert 'filename="kz-2022-board.csv"' in response.headers["Content-Disposition"]
        rows = read_csv(response)
        assert rows[0] == ["name", "email", "gender", "language", "group", "organisation",
                           "position", "status", "term_start", "term_end", "appointed_on",
                           "stepped_down_on", "coi_declaration", "notes"]
        row = next(r for r in rows if r[0] == "Айгерим")
        assert row[1:5] == ["aigerim@uni.kz", "woman", "en", "Academia"]
        assert row[5] == "'=HYPERLINK(\"http://evil\")"
        assert row[7] == "active" and row[10] == "2020-01-01" and row[-1] == "Confidential"
        assert len(rows) == 1 + 13
        former = next(r for r in rows if r[0] == "Олжас")
        assert former[7] == "stepped_down" and former[11] == "2021-06-01"

    @pytest.mark.parametrize("role", ["researcher", "observer"])
    def test_board_csv_without_personal_columns(self, client, login, role):
        assessment, people, groups = balance_board()
        member = db.session.scalar(select(Membership).join(Membership.user).where(
            User.name == "Айгерим"))
        member.notes = "Confidential"
        db.session.commit()
        login(people[role])
        response = client.get(f"{A}/board.csv")
        assert response.status_code == 200
        rows = read_csv(response)
        assert rows[0] == ["name", "group", "organisation", "position", "status", "term_start",
                           "term_end", "appointed_on", "stepped_down_on", "coi_declaration"]
        assert ["Айгерим", "Academia"] == next(r for r in rows if r[0] == "Айгерим")[:2]
        content = response.data.decode("utf-8-sig")
        assert "@" not in content and "Confidential" not in content
        assert "woman" not in content and ",man," not in content

    def test_board_member_cannot_export_the_board(self, client, login):
        assessment, people, groups = balance_board()
        login(people["board_member"])
        assert client.get(f"{A}/board.csv").status_code == 403
        assert 'href="/a/kz-2022/board.csv" hidden' in text(client.get(f"{A}/board"))


# --- import -------------------------------------------------------------------------------------

CLEAN = ("email,name,group,organisation,gender,status,language\n"
         "aigerim@gov.kz,Айгерим Серикова,Government,Министерство,woman,active,ru\n"
         "bolat@ngo.kz,Болат Қасымов,academia,Қоғамдық қор,man,nominee,kk\n")


def upload(client, content, filename="board.csv"):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    return client.post(f"{A}/board/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


class TestImport:
    def test_the_form(self, client, login):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        page = client.get(f"{A}/board/import")
        assert page.status_code == 200 and 'enctype="multipart/form-data"' in text(page)
        assert "email,name,group,organisation" in text(page)

    @pytest.mark.parametrize("content,messages", [
        ("email,name\na@example.org,A\n",
         ["Line 1: Missing column(s): group."]),
        ("email,name,group\nnot-an-email,A,Government\n",
         ["Line 2: “not-an-email” is not a valid email address."]),
        ("email,name,group\na@example.org,A,Government\nb@example.org,B,Parliament\n",
         ["Line 3: Unknown stakeholder group “Parliament”."]),
        ("email,name,group,gender\na@example.org,A,Government,женщина\n",
         ["Line 2: Unknown gender value “женщина”"]),
        ("email,name,group\na@example.org,A,Government\nA@example.org,B,Academia\n",
         ["Line 3: a@example.org appears twice in the file (also on line 2)."]),
        ("email,name,group\nok@example.org,A,Government\nobserver@example.org,B,Academia\n",
         ["Line 3: observer@example.org is already part of this assessment."]),
        ("email,name,group\nbad,A,Nowhere\nok@example.org,B,Government\nworse,C,Government\n",
         ["Line 2: “bad” is not a valid email address.", "Line 2: Unknown stakeholder group",
          "Line 4: “worse” is not a valid email address."]),
    ])
    def test_a_bad_file_imports_nothing_and_shows_the_lines(self, client, login, content,
                                                            messages):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        users, memberships, events = count(User), count(Membership), len(actions())
        response = upload(client, content)
        assert response.status_code == 422
        body = text(response)
        assert "Nothing was imported: please correct the file" in body
        for message in messages:
            assert message in body
        assert 'name="payload"' not in body
        assert (count(User), count(Membership), len(actions())) == (users, memberships, events)
        assert count(OutboxMessage) == 0

    def test_a_file_that_is_not_utf8(self, client, login):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        response = upload(client, "email,name,group\na@example.org,Ольга,Government\n"
                          .encode("cp1251"))
        assert response.status_code == 422 and "not UTF-8" in text(response)

    @pytest.mark.parametrize("filename", ["board.xlsx", "board"])
    def test_only_csv_files(self, client, login, filename):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        response = upload(client, CLEAN, filename)
        assert response.status_code == 422
        assert "The file must be a CSV file (.csv)." in text(response)

    def test_no_file(self, client, login):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        response = client.post(f"{A}/board/import", data={}, content_type="multipart/form-data")
        assert response.status_code == 422 and "Choose a CSV file." in text(response)

    @pytest.mark.parametrize("bom", [b"", BOM])
    def test_clean_file_preview_then_confirm(self, client, login, bom):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        users, events = count(User), len(actions())
        preview = upload(client, bom + CLEAN.replace("\n", "\r\n").encode("utf-8"))
        assert preview.status_code == 200
        body = text(preview)
        assert "Preview: 2 members will be added" in body and "Nothing has been saved yet." in body
        assert "Айгерим Серикова" in body and "Болат Қасымов" in body and "Nominee" in body
        assert f'action="{A}/board/import/confirm"' in body
        # Nothing saved by the preview.
        assert (count(User), len(actions()), count(OutboxMessage)) == (users, events, 0)

        response = client.post(f"{A}/board/import/confirm", data={
            "payload": hidden(preview, "payload"), "digest": hidden(preview, "digest"),
            "confirm": "1"}, follow_redirects=True)
        assert response.status_code == 200
        assert "2 members imported and invited." in text(response)
        aigerim = membership_of(db.session.scalar(select(User).where(User.email == "aigerim@gov.kz")))
        bolat = membership_of(db.session.scalar(select(User).where(User.email == "bolat@ngo.kz")))
        assert (aigerim.group_id, aigerim.board_status, aigerim.organisation) == (
            groups["Government"].id, BoardStatus.ACTIVE, "Министерство")
        assert aigerim.user.name == "Айгерим Серикова" and aigerim.user.gender == Gender.WOMAN
        assert aigerim.user.language == "ru"
        assert (bolat.group_id, bolat.board_status, bolat.appointed_on) == (
            groups["Academia"].id, BoardStatus.NOMINEE, None)
        assert sorted(db.session.scalars(select(OutboxMessage.recipient))) == [
            "aigerim@gov.kz", "bolat@ngo.kz"]
        assert actions()[events:].count("board.member_added") == 2

    def test_confirming_twice_imports_once(self, client, login):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        preview = upload(client, CLEAN)
        data = {"payload": hidden(preview, "payload"), "digest": hidden(preview, "digest"),
                "confirm": "1"}
        assert client.post(f"{A}/board/import/confirm", data=data).status_code == 302
        again = client.post(f"{A}/board/import/confirm", data=data)
        assert again.status_code == 422
        assert "aigerim@gov.kz is already part of this assessment." in text(again)
        assert count(OutboxMessage) == 2

    @pytest.mark.parametrize("tamper", ["digest", "payload"])
    def test_a_tampered_preview_is_refused(self, client, login, tamper):
        assessment, people, groups = setup_board()
        login(people["coordinator"])
        preview = upload(client, CLEAN)
        data = {"payload": hidden(preview, "payload"), "digest": hidden(preview, "digest"),
                "confirm": "1"}
        if tamper == "digest":
            data["digest"] = "0" * 64
        else:
            data["payload"] = base64.b64encode(
                CLEAN.replace("Government", "Academia").encode()).decode()
        assert client.post(f"{A}/board/import/confirm", data=data).status_code == 400
        assert client.post(f"{A}/board/import/confirm", data={}).status_code == 400
        assert count(Membership) == 5 and count(OutboxMessage) == 0


# --- access ------------------------------------------------------------------------------------

def urls(people, groups):
    own = membership_of(people["board_member"]).id
    group = groups["Academia"].id
    reads = [f"{A}/board", f"{A}/board/{own}", f"{A}/board.csv", f"{A}/groups", f"{A}/policy",
             f"{A}/balance", f"{A}/balance.csv"]
    gets = [f"{A}/board/new", f"{A}/board/{own}/edit", f"{A}/board/import",
            f"{A}/groups/{group}"]
    posts = [f"{A}/board/new", f"{A}/board/{own}/edit", f"{A}/board/{own}/step-down",
             f"{A}/board/{own}/appoint", f"{A}/board/import", f"{A}/board/import/confirm",
             f"{A}/groups", f"{A}/groups/{group}", f"{A}/groups/{group}/delete", f"{A}/policy"]
    return reads, gets, posts


WRITE_DATA = {**POLICY, **GROUP, "on": "2024-01-01", "payload": "eA==", "digest": "x",
              "email": "new@example.org", "name": "New", "language": "en", "status": "active",
              "group_id": "", "organisation": "Changed"}


class TestAccess:
    @pytest.mark.parametrize("role", OTHERS)
    def test_every_write_is_refused_to_everyone_but_the_coordinator(self, client, login, role):
        assessment, people, groups = setup_board()
        reads, gets, posts = urls(people, groups)
        data = {**WRITE_DATA, "group_id": str(groups["Academia"].id)}
        login(people[role])
        events, users = len(actions()), count(User)
        for url in gets:
            assert client.get(url).status_code == 403, url
        for url in posts:
            assert client.post(url, data=data).status_code == 403, url
        assert (len(actions()), count(User), count(StakeholderGroup)) == (events, users, 9)
        db.session.refresh(assessment)
        assert assessment.gender_min_pct == 40
        own = membership_of(people["board_member"])
        assert own.board_status == BoardStatus.ACTIVE and own.organisation == ""

    def test_the_coordinator_may_use_every_page(self, client, login):
        assessment, people, groups = setup_board()
        reads, gets, posts = urls(people, groups)
        login(people["coordinator"])
        for url in reads + gets:
            assert client.get(url).status_code == 200, url

    @pytest.mark.parametrize("who", ["other_coordinator", "outsider", "admin"])
    def test_people_outside_the_assessment_get_404_everywhere(self, client, login, who):
        assessment, people, groups = setup_board()
        other = make_assessment(slug="other")
        people["other_coordinator"] = make_member(other, Role.COORDINATOR)
        create_default_groups(other)
        db.session.commit()
        reads, gets, posts = urls(people, groups)
        login(people[who])
        for url in reads + gets:
            assert client.get(url).status_code == 404, url
        for url in posts:
            assert client.post(url, data=WRITE_DATA).status_code == 404, url
        assert count(OutboxMessage) == 0 and count(Membership) == 6

    def test_the_coordinator_of_another_assessment_cannot_reach_its_members(self, client, login):
        assessment, people, groups = setup_board()
        other = make_assessment(slug="other")
        coordinator = make_member(other, Role.COORDINATOR)
        db.session.commit()
        login(coordinator)
        own = membership_of(people["board_member"]).id
        assert client.get(f"/a/other/board/{own}").status_code == 404
        assert client.get(f"/a/other/board/{own}/edit").status_code == 404
        assert client.post(f"/a/other/board/{own}/step-down",
                           data={"on": "2024-01-01"}).status_code == 404
        assert membership_of(people["board_member"]).board_status == BoardStatus.ACTIVE

    def test_anonymous_visitors_are_sent_to_sign_in(self, client):
        assessment, people, groups = setup_board()
        response = client.get(f"{A}/board")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
