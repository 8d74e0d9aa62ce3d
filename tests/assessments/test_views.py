import pytest
from sqlalchemy import select

from mab.assessments.models import Assessment, Membership, Role
from mab.audit.models import AuditEvent
from mab.auth.models import User
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.factories import make_assessment, make_member, make_user, team

NEW = {"title": "Uzbekistan IUI assessment", "slug": "uz-2025", "country": "Uzbekistan",
       "year": "2025", "timezone": "Asia/Tashkent", "languages": ["ru", "en"],
       "coordinator_email": "Coord@Example.uz", "coordinator_name": "Dilnoza"}


class TestAdmin:
    def test_site_admin_creates_assessment_and_invites_coordinator(self, client, login):
        login(make_user(is_site_admin=True))
        db.session.commit()
        response = client.post("/admin/assessments", data=NEW)
        assert response.status_code == 302
        assessment = db.session.scalar(select(Assessment).where(Assessment.slug == "uz-2025"))
        assert assessment.timezone == "Asia/Tashkent" and assessment.language_list == ["ru", "en"]
        assert (assessment.gender_min_pct, assessment.gender_max_pct) == (40, 60)
        membership = db.session.scalars(select(Membership)).one()
        assert membership.role == Role.COORDINATOR and membership.user.email == "coord@example.uz"
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert mail.recipient == "coord@example.uz" and "/invite/" in mail.body_text
        assert mail.assessment_id == assessment.id
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["assessment.created", "groups.defaults_created", "membership.invited"]
        page = client.get("/admin/assessments")
        assert b"Uzbekistan IUI assessment" in page.data and b"coord@example.uz" in page.data

    @pytest.mark.parametrize("field,value,message", [
        ("timezone", "Asia/Nowhere", b"Unknown timezone"),
        ("slug", "UZ 2025!", b"lowercase letters"),
        ("slug", "admin", b"reserved"),
        ("year", "1800", b"Number must be between"),
        ("coordinator_email", "not-an-email", b"Invalid email"),
    ])
    def test_bad_input_re_renders_with_errors_and_input_kept(self, client, login, field, value,
                                                              message):
        login(make_user(is_site_admin=True))
        db.session.commit()
        response = client.post("/admin/assessments", data={**NEW, field: value})
        assert response.status_code == 422
        assert message in response.data
        assert b"Uzbekistan IUI assessment" in response.data   # the rest of the input is kept
        assert db.session.scalar(select(db.func.count()).select_from(Assessment)) == 0
        assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 0

    def test_duplicate_slug_refused_and_nothing_half_saved(self, client, login):
        make_assessment(slug="uz-2025")
        login(make_user(is_site_admin=True))
        db.session.commit()
        response = client.post("/admin/assessments", data=NEW)
        assert response.status_code == 422 and b"exists already" in response.data
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
        assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 0

    def test_non_admins_are_refused(self, client, login):
        assessment, people = team()
        login(people["coordinator"])
        assert client.get("/admin/assessments").status_code == 403
        assert client.post("/admin/assessments", data=NEW).status_code == 403
        assert db.session.scalar(select(db.func.count()).select_from(Assessment)) == 1


class TestAccess:
    PAGES = ["/a/kz-2022/", "/a/kz-2022/people"]

    @pytest.mark.parametrize("path", PAGES)
    def test_outsiders_get_404_as_for_a_missing_assessment(self, client, login, path):
        assessment, people = team()
        login(people["outsider"])
        assert client.get(path).status_code == 404
        assert client.get(path.replace("kz-2022", "no-such")).status_code == 404

    def test_site_admin_without_membership_sees_nothing_inside(self, client, login):
        assessment, people = team()
        login(people["admin"])
        assert client.get("/a/kz-2022/").status_code == 404

    @pytest.mark.parametrize("role", ["coordinator", "researcher", "board_member", "observer"])
    def test_every_role_sees_home_and_team(self, client, login, role):
        assessment, people = team()
        login(people[role])
        home = client.get("/a/kz-2022/")
        assert home.status_code == 200 and assessment.title.encode() in home.data
        assert client.get("/a/kz-2022/people").status_code == 200

    @pytest.mark.parametrize("role", ["researcher", "board_member", "observer"])
    def test_only_the_coordinator_invites(self, client, login, role):
        assessment, people = team()
        login(people[role])
        response = client.post("/a/kz-2022/people", data={
            "email": "x@example.org", "name": "X", "role": "coordinator", "language": "en"})
        assert response.status_code == 403
        assert db.session.scalar(select(User).where(User.email == "x@example.org")) is None
        assert b"Invite a person" not in client.get("/a/kz-2022/people").data

    def test_emails_shown_only_to_the_coordinator(self, client, login):
        assessment, people = team()
        login(people["board_member"])
        assert b"observer@example.org" not in client.get("/a/kz-2022/people").data
        login(people["coordinator"])
        assert b"observer@example.org" in client.get("/a/kz-2022/people").data

    def test_coordinator_of_one_assessment_cannot_invite_into_another(self, client, login):
        assessment, people = team()
        other = make_assessment(slug="other")
        make_member(other, "board_member")
        db.session.commit()
        login(people["coordinator"])
        response = client.post("/a/other/people", data={
            "email": "x@example.org", "name": "X", "role": "observer", "language": "en"})
        assert response.status_code == 404

    def test_user_with_several_assessments_picks_one(self, client, login):
        assessment, people = team()
        other = make_assessment(slug="kz-2025", title="Kazakhstan follow-up")
        make_member(other, "researcher", user=people["board_member"])
        db.session.commit()
        login(people["board_member"])
        page = client.get("/")
        assert page.status_code == 200
        assert b"/a/kz-2022/" in page.data and b"/a/kz-2025/" in page.data


class TestInvitations:
    def test_inviting_an_existing_account_adds_it_without_a_token(self, client, login):
        assessment, people = team()
        other = make_assessment(slug="other")
        known = make_member(other, "researcher", email="known@example.org")
        db.session.commit()
        login(people["coordinator"])
        assert client.post("/a/kz-2022/people", data={
            "email": "KNOWN@example.org", "name": "", "role": "researcher",
            "language": "en"}).status_code == 302
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert mail.kind == "added_to_assessment" and "/invite/" not in mail.body_text
        assert {m.assessment.slug for m in known.memberships} == {"kz-2022", "other"}

    def test_inviting_a_member_twice_is_refused(self, client, login):
        assessment, people = team()
        login(people["coordinator"])
        response = client.post("/a/kz-2022/people", data={
            "email": "observer@example.org", "name": "", "role": "researcher", "language": "en"})
        assert response.status_code == 422 and b"already part of this assessment" in response.data

    def test_invitation_is_in_the_invitees_language(self, client, login):
        assessment, people = team()
        login(people["coordinator"])
        client.post("/a/kz-2022/people", data={"email": "ru@example.org", "name": "Ольга",
                                               "role": "board_member", "language": "ru"})
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert "Ольга" in mail.body_text
        assert "Hello" not in mail.body_text   # rendered in Russian

    def test_resend_invitation(self, client, login):
        assessment, people = team()
        pending = make_member(assessment, "board_member", password=None, email="p@example.org")
        db.session.commit()
        login(people["coordinator"])
        membership = db.session.scalar(select(Membership).where(Membership.user_id == pending.id))
        response = client.post(f"/a/kz-2022/people/{membership.id}/resend")
        assert response.status_code == 302
        assert db.session.scalars(select(OutboxMessage.recipient)).all() == ["p@example.org"]
        own = db.session.scalar(select(Membership).where(
            Membership.user_id == people["board_member"].id))
        client.post(f"/a/kz-2022/people/{own.id}/resend")
        assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 1

    def test_home_tells_the_coordinator_about_pending_invitations(self, client, login):
        assessment, people = team()
        make_member(assessment, "board_member", password=None)
        db.session.commit()
        login(people["coordinator"])
        assert b"1 person has not accepted the invitation yet." in client.get("/a/kz-2022/").data
