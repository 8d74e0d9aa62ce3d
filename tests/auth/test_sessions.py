"""Issue 11, finding 3: sessions that end. A cookie copied before an ending is replayed after it
and must meet the sign-in page."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from mab.auth.models import UserSession
from mab.auth.sessions import describe_device, is_live
from mab.extensions import db
from mab.types import utcnow
from tests.factories import PASSWORD, make_assessment, make_member, make_user, team

FIREFOX_ANDROID = ("Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0")
CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/126.0.0.0 Safari/537.36")


def sign_in(app, email, *, remember=False, agent=CHROME_WINDOWS):
    client = app.test_client()
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data, headers={"User-Agent": agent})
    assert response.status_code == 302, response.data
    return client


def copy_cookies(source, app):
    """A second browser holding the same cookies (what a thief would replay)."""
    thief = app.test_client()
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def signed_out(client) -> bool:
    response = client.get("/account")
    return response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.fixture
def person(app, client):   # client: every test_client() clears g per request
    assessment = make_assessment(slug="kz-2022")
    user = make_member(assessment, email="aigerim@example.org")
    db.session.commit()
    return user


class TestRules:
    def test_describe_device(self):
        assert describe_device(FIREFOX_ANDROID).browser == "Firefox"
        assert describe_device(FIREFOX_ANDROID).system == "Android"
        assert describe_device(CHROME_WINDOWS) == describe_device(CHROME_WINDOWS)
        assert (describe_device(CHROME_WINDOWS).browser,
                describe_device(CHROME_WINDOWS).system) == ("Chrome", "Windows")
        edge = CHROME_WINDOWS + " Edg/126.0.0.0"
        assert describe_device(edge).browser == "Edge"
        assert describe_device("").browser == describe_device("curl/8").system == ""

    def test_is_live(self):
        now = utcnow()
        idle, max_age = timedelta(hours=12), timedelta(days=30)
        row = SimpleNamespace(created_at=now - timedelta(days=1), last_seen_at=now, ended_at=None)
        assert is_live(row, now, idle, max_age)
        row.last_seen_at = now - timedelta(hours=12)
        assert not is_live(row, now, idle, max_age)                # idle too long
        row.last_seen_at, row.created_at = now, now - timedelta(days=30)
        assert not is_live(row, now, idle, max_age)                # too old
        row.created_at, row.ended_at = now, now
        assert not is_live(row, now, idle, max_age)                # ended


class TestReplay:
    def test_logout_ends_the_copied_session_cookie(self, app, person):
        client = sign_in(app, "aigerim@example.org")
        thief = copy_cookies(client, app)
        assert thief.get("/account").status_code == 200
        client.post("/logout")
        assert signed_out(thief)

    def test_logout_ends_the_copied_remember_cookie(self, app, person):
        client = sign_in(app, "aigerim@example.org", remember=True)
        remember = client.get_cookie("remember_token").value
        thief = app.test_client()
        thief.set_cookie("remember_token", remember)               # no session cookie at all
        assert thief.get("/account").status_code == 200            # the cookie works ...
        client.post("/logout")
        thief = app.test_client()
        thief.set_cookie("remember_token", remember)
        assert signed_out(thief)                                   # ... until logout

    def test_sign_out_this_session_from_another_device(self, app, person):
        laptop = sign_in(app, "aigerim@example.org")
        phone = sign_in(app, "aigerim@example.org", agent=FIREFOX_ANDROID)
        stolen = copy_cookies(phone, app)
        page = laptop.get("/account").get_data(as_text=True)
        assert "Firefox on Android" in page and "Chrome on Windows" in page
        phone_row = db.session.scalar(select(UserSession).where(
            UserSession.user_agent == FIREFOX_ANDROID))
        assert laptop.post(f"/account/sessions/{phone_row.id}/end").status_code == 302
        assert signed_out(stolen) and signed_out(phone)
        assert laptop.get("/account").status_code == 200

    def test_sign_out_all_other_sessions(self, app, person):
        devices = [sign_in(app, "aigerim@example.org") for _ in range(3)]
        copies = [copy_cookies(d, app) for d in devices[1:]]
        devices[0].post("/account/sessions/end-others")
        assert all(signed_out(c) for c in copies)
        assert devices[0].get("/account").status_code == 200

    def test_cannot_end_someone_elses_session(self, app, person):
        other = make_member(make_assessment(), email="other@example.org")
        db.session.commit()
        victim = sign_in(app, "other@example.org")
        attacker = sign_in(app, "aigerim@example.org")
        row = db.session.scalar(select(UserSession).where(UserSession.user_id == other.id))
        assert attacker.post(f"/account/sessions/{row.id}/end").status_code == 404
        assert victim.get("/account").status_code == 200

    def test_idle_sessions_expire(self, app, person):
        client = sign_in(app, "aigerim@example.org")
        thief = copy_cookies(client, app)
        row = db.session.scalars(select(UserSession)).one()
        row.last_seen_at = utcnow() - timedelta(hours=12, minutes=1)
        db.session.commit()
        assert signed_out(thief)

    def test_idle_time_is_configurable_and_use_keeps_it_alive(self, app, person):
        app.config["SESSION_IDLE_HOURS"] = 1
        client = sign_in(app, "aigerim@example.org")
        row = db.session.scalars(select(UserSession)).one()
        row.last_seen_at = utcnow() - timedelta(minutes=50)
        db.session.commit()
        assert client.get("/account").status_code == 200           # refreshes "last seen"
        db.session.refresh(row)
        assert utcnow() - row.last_seen_at < timedelta(minutes=1)
        row.last_seen_at = utcnow() - timedelta(minutes=61)
        db.session.commit()
        assert signed_out(client)

    def test_sessions_reach_a_maximum_age(self, app, person):
        client = sign_in(app, "aigerim@example.org", remember=True)
        row = db.session.scalars(select(UserSession)).one()
        row.created_at = utcnow() - timedelta(days=30, minutes=1)
        db.session.commit()
        assert signed_out(copy_cookies(client, app))

    def test_password_change_keeps_this_device_and_ends_the_others(self, app, person):
        client = sign_in(app, "aigerim@example.org")
        other = sign_in(app, "aigerim@example.org")
        thief = copy_cookies(other, app)
        response = client.post("/account/password", data={
            "current_password": PASSWORD, "password": "another-steppe-pass-9",
            "confirm": "another-steppe-pass-9"})
        assert response.status_code == 302
        assert client.get("/account").status_code == 200
        assert signed_out(thief) and signed_out(other)

    def test_stepping_down_ends_the_members_sessions(self, app, client, login):
        assessment, people = team()
        member = people["board_member"]
        db.session.commit()
        member_client = sign_in(app, member.email)
        stolen = copy_cookies(member_client, app)
        membership = member.memberships[0]
        login(people["coordinator"])
        response = client.post(f"/a/kz-2022/board/{membership.id}/step-down",
                               data={"on": assessment.today().isoformat(), "confirm": "1"})
        assert response.status_code == 302
        assert signed_out(stolen) and signed_out(member_client)

    def test_disabling_an_account_ends_its_sessions(self, app, client, login, person):
        admin = make_user(email="admin@example.org", is_site_admin=True)
        db.session.commit()
        victim = sign_in(app, "aigerim@example.org")
        stolen = copy_cookies(victim, app)
        login(admin)
        page = client.get("/admin/accounts?q=aigerim").get_data(as_text=True)
        assert "aigerim@example.org" in page and "admin@example.org" not in page
        assert client.post(f"/admin/accounts/{person.id}/active",
                           data={"active": "0"}).status_code == 302
        assert signed_out(stolen) and signed_out(victim)
        assert app.test_client().post("/login", data={
            "email": "aigerim@example.org", "password": PASSWORD}).status_code == 200
        client.post(f"/admin/accounts/{person.id}/active", data={"active": "1"})
        assert sign_in(app, "aigerim@example.org").get("/account").status_code == 200


class TestAccountsPage:
    def test_only_the_site_admin(self, app, client, login, person):
        login(person)
        assert client.get("/admin/accounts").status_code == 403
        assert client.post(f"/admin/accounts/{person.id}/active",
                           data={"active": "0"}).status_code == 403
        db.session.refresh(person)
        assert person.active

    def test_admin_cannot_disable_themself(self, app, client, login):
        admin = login(make_user(email="admin@example.org", is_site_admin=True))
        db.session.commit()
        client.post(f"/admin/accounts/{admin.id}/active", data={"active": "0"})
        db.session.refresh(admin)
        assert admin.active

    def test_bad_value_changes_nothing(self, app, client, login, person):
        login(make_user(email="admin@example.org", is_site_admin=True))
        db.session.commit()
        client.post(f"/admin/accounts/{person.id}/active", data={"active": "maybe"})
        db.session.refresh(person)
        assert person.active
