import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from mab.auth.models import AccountToken, User
from mab.extensions import db
from mab.notify.models import OutboxMessage
from mab.types import utcnow
from tests.factories import PASSWORD, make_assessment, make_member, make_user, sign_in_client

LINK = re.compile(r"http://localhost(/\S+)")


def last_link(recipient):
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                 .order_by(OutboxMessage.id.desc())).first()
    assert message is not None, f"no message to {recipient}"
    return LINK.search(message.body_text).group(1)


def post_login(client, email, password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


class TestLogin:
    def test_login_is_case_insensitive_and_lands_on_the_only_assessment(self, client):
        assessment = make_assessment(slug="kz-2022")
        make_member(assessment, email="aigerim@example.org")
        db.session.commit()
        response = post_login(client, "  Aigerim@Example.ORG ")
        assert response.status_code == 302
        assert client.get("/").headers["Location"].endswith("/a/kz-2022/")

    def test_wrong_password_and_unknown_email_get_the_same_answer(self, client):
        make_user(email="known@example.org")
        db.session.commit()
        wrong = post_login(client, "known@example.org", "not-the-password")
        unknown = post_login(client, "nobody@example.org", "not-the-password")
        assert wrong.status_code == unknown.status_code == 200
        message = b"The email or password is not correct."
        assert message in wrong.data and message in unknown.data
        assert b'value="known@example.org"' in wrong.data   # input kept

    def test_inactive_user_cannot_log_in(self, client):
        make_user(email="gone@example.org", active=False)
        db.session.commit()
        assert post_login(client, "gone@example.org").status_code == 200

    def test_invited_user_without_password_cannot_log_in(self, client):
        make_user(email="invited@example.org", password=None)
        db.session.commit()
        assert post_login(client, "invited@example.org", "").status_code == 200

    def test_remember_me_sets_a_cookie(self, client):
        make_user(email="r@example.org")
        db.session.commit()
        response = post_login(client, "r@example.org", remember="y")
        assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))

    def test_logout_only_by_post(self, client, login):
        login(make_user())
        db.session.commit()
        assert client.get("/logout").status_code == 405
        assert client.post("/logout").status_code == 302
        assert client.get("/account").status_code == 302

    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                        "/\\evil.example", "javascript:alert(1)",
                                        "http:/evil.example"])
    def test_open_redirects_refused(self, client, target):
        make_user(email="n@example.org")
        db.session.commit()
        response = post_login(client, "n@example.org", next=target)
        assert response.headers["Location"] == "/"

    def test_local_next_is_followed(self, client):
        make_user(email="n@example.org")
        db.session.commit()
        response = post_login(client, "n@example.org", next="/account")
        assert response.headers["Location"] == "/account"

    def test_pages_need_login(self, client):
        response = client.get("/account")
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


class TestThrottling:
    @pytest.fixture
    def app_overrides(self):
        return {"RATELIMIT_ENABLED": True}

    def test_five_failures_per_address_then_429(self, client):
        make_user(email="t@example.org")
        db.session.commit()
        for _ in range(5):
            assert post_login(client, "t@example.org", "wrong-password").status_code == 200
        response = post_login(client, "t@example.org", PASSWORD)
        assert response.status_code == 429
        assert b"Too many attempts" in response.data
        assert b'name="email"' in response.data   # the form is still there

    def test_per_account_limit_across_addresses(self, client):
        make_user(email="t@example.org")
        db.session.commit()
        for i in range(5):
            client.post("/login", data={"email": "t@example.org", "password": "wrong"},
                        environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})
        response = client.post("/login", data={"email": "T@example.org", "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": "10.0.0.99"})
        assert response.status_code == 429

    def test_successful_logins_do_not_count(self, client):
        make_user(email="ok@example.org")
        db.session.commit()
        for _ in range(7):
            assert post_login(client, "ok@example.org").status_code == 302
            client.post("/logout")


class TestInvitation:
    def test_coordinator_invites_person_who_accepts_and_is_logged_in(self, client, login):
        assessment = make_assessment(slug="kz-2022")
        coordinator = make_member(assessment, "coordinator")
        db.session.commit()
        login(coordinator)
        response = client.post("/a/kz-2022/people", data={
            "email": "New.Member@Example.org", "name": "Saule", "role": "board_member",
            "language": "ru"})
        assert response.status_code == 302
        client.post("/logout")

        link = last_link("new.member@example.org")
        assert link.startswith("/invite/")
        page = client.get(link)
        assert page.status_code == 200 and b"new.member@example.org" in page.data
        assert "lang=ru" in link   # the page opens in the language of the email
        client.post("/language", data={"language": "en", "next": link})   # the footer's choice
        weak = client.post(link, data={"name": "Saule K.",
                                       "password": "password123", "confirm": "password123"})
        assert weak.status_code == 200 and b"common" in weak.data
        assert b'value="Saule K."' in weak.data   # input kept
        client.post("/language", data={"language": "kk", "next": link})   # the account's, too
        done = client.post(link, data={"name": "Saule K.", "language": "kk",
                                       "password": "steppe-wind-2022", "confirm": "steppe-wind-2022"})
        assert done.status_code == 302
        user = db.session.scalar(select(User).where(User.email == "new.member@example.org"))
        assert user.name == "Saule K." and user.language == "kk" and user.has_account
        assert client.get("/").headers["Location"].endswith("/a/kz-2022/")   # logged in

        client.post("/logout")
        reused = client.get(link.replace("lang=ru", "lang=en"))   # the page in English
        assert reused.status_code == 400 and b"already been used" in reused.data

    def test_expired_invitation(self, client, login):
        assessment = make_assessment(slug="kz-2022")
        login(make_member(assessment, "coordinator"))
        db.session.commit()
        client.post("/a/kz-2022/people", data={"email": "late@example.org", "name": "",
                                               "role": "observer", "language": "en"})
        client.post("/logout")
        for row in db.session.scalars(select(AccountToken)):
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        response = client.get(last_link("late@example.org"))
        assert response.status_code == 400 and b"expired" in response.data

    def test_invitation_link_valid_for_seven_days(self, client, login):
        assessment = make_assessment(slug="kz-2022")
        login(make_member(assessment, "coordinator"))
        db.session.commit()
        client.post("/a/kz-2022/people", data={"email": "x@example.org", "name": "",
                                               "role": "observer", "language": "en"})
        row = db.session.scalars(select(AccountToken)).one()
        assert timedelta(days=6, hours=23) < row.expires_at - row.created_at <= timedelta(days=7)

    def test_mismatched_confirmation_keeps_input(self, client, login):
        assessment = make_assessment(slug="kz-2022")
        login(make_member(assessment, "coordinator"))
        db.session.commit()
        client.post("/a/kz-2022/people", data={"email": "m@example.org", "name": "Marat",
                                               "role": "researcher", "language": "en"})
        client.post("/logout")
        response = client.post(last_link("m@example.org"), data={
            "name": "Marat S.", "language": "en", "password": "steppe-wind-2022",
            "confirm": "steppe-wind-2021"})
        assert b"The two passwords differ." in response.data and b"Marat S." in response.data


class TestPasswordReset:
    def test_same_answer_whether_or_not_the_address_exists(self, client):
        make_user(email="known@example.org")
        db.session.commit()
        known = client.post("/reset", data={"email": "known@example.org"}, follow_redirects=True)
        unknown = client.post("/reset", data={"email": "nobody@example.org"}, follow_redirects=True)
        # The CSRF token carries a timestamp; the two pages may straddle a second.
        def page(response, address):
            text = response.data.replace(address, b"X")
            return re.sub(rb'name="csrf_token" value="[^"]+"', b"", text)
        assert page(known, b"known") == page(unknown, b"nobody")
        recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
        assert recipients == ["known@example.org"]

    def test_reset_end_to_end_single_use_and_one_hour(self, client):
        make_user(email="known@example.org")
        db.session.commit()
        client.post("/reset", data={"email": "KNOWN@example.org"})
        row = db.session.scalars(select(AccountToken)).one()
        assert timedelta(minutes=59) < row.expires_at - row.created_at <= timedelta(hours=1)
        link = last_link("known@example.org")
        response = client.post(link, data={"password": "new-steppe-pass-1",
                                           "confirm": "new-steppe-pass-1"})
        assert response.status_code == 302
        assert post_login(client, "known@example.org", "new-steppe-pass-1").status_code == 302
        client.post("/logout")
        assert post_login(client, "known@example.org", PASSWORD).status_code == 200
        assert client.get(link).status_code == 400

    def test_reset_signs_out_other_sessions(self, app, login):
        user = make_user(email="known@example.org")
        db.session.commit()
        other = app.test_client()
        sign_in_client(other, user)
        assert other.get("/account").status_code == 200
        client = app.test_client()
        client.post("/reset", data={"email": "known@example.org"})
        client.post(last_link("known@example.org"),
                    data={"password": "new-steppe-pass-1", "confirm": "new-steppe-pass-1"})
        assert other.get("/account").status_code == 302


class TestAccount:
    def test_update_profile(self, client, login):
        user = login(make_user(email="p@example.org"))
        db.session.commit()
        response = client.post("/account", data={"name": "Gulnara A.", "language": "kk",
                                                 "gender": "woman"})
        assert response.status_code == 302
        db.session.refresh(user)
        assert (user.name, user.language, user.gender) == ("Gulnara A.", "kk", "woman")

    def test_unknown_gender_value_refused(self, client, login):
        login(make_user())
        db.session.commit()
        response = client.post("/account", data={"name": "X", "language": "en", "gender": "robot"})
        assert response.status_code == 422

    def test_password_change_needs_current_password(self, client, login):
        user = login(make_user(email="p@example.org"))
        db.session.commit()
        bad = client.post("/account/password", data={
            "current_password": "wrong", "password": "another-good-pass-9",
            "confirm": "another-good-pass-9"})
        assert bad.status_code == 422 and b"current password is not correct" in bad.data
        good = client.post("/account/password", data={
            "current_password": PASSWORD, "password": "another-good-pass-9",
            "confirm": "another-good-pass-9"})
        assert good.status_code == 302
        assert client.get("/account").status_code == 200   # this session survives
        client.post("/logout")
        assert post_login(client, "p@example.org", "another-good-pass-9").status_code == 302
        assert user.password_hash.startswith("pbkdf2:") or user.password_hash.startswith("scrypt:")
