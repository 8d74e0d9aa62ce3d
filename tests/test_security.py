import re

import pytest
from sqlalchemy import select

from mab.assessments.models import Membership
from mab.csvio import safe_cell
from mab.extensions import db
from mab.markdown import render_markdown
from mab.meetings.tokens import calendar_token
from mab.security import safe_next
from tests.factories import PASSWORD, make_user, team
from tests.validation.support import make_meeting


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_no_inline_script_or_external_resource_in_pages(client, login):
    assessment, people = team()
    login(people["coordinator"])
    for path in ("/a/kz-2022/", "/a/kz-2022/people", "/account", "/outbox"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert not re.search(r"""(src|href)=["'](https?:)?//""", html), path
        assert not re.search(r"<[^>]+\son\w+=", html), path


class TestWithCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_post_without_token_is_refused(self, client):
        make_user(email="c@example.org")
        db.session.commit()
        response = client.post("/login", data={"email": "c@example.org", "password": PASSWORD})
        assert response.status_code == 400
        assert b"Your form expired" in response.data

    def test_post_with_token_works(self, client):
        make_user(email="c@example.org")
        db.session.commit()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"email": "c@example.org", "password": PASSWORD,
                                                "csrf_token": token})
        assert response.status_code == 302

    def test_logout_and_language_need_the_token(self, client, login):
        login(make_user())
        db.session.commit()
        assert client.post("/logout").status_code == 400
        assert client.post("/language", data={"language": "ru"}).status_code == 400


class TestProduction:
    @pytest.fixture
    def app_overrides(self):
        return {"HSTS": True, "SESSION_COOKIE_SECURE": True}

    def test_hsts_and_secure_cookie(self, client):
        response = client.get("/login")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        assert "Secure" in response.headers["Set-Cookie"]


class TestUploadLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"MAX_CONTENT_LENGTH": 1024}

    def test_oversized_request_gets_friendly_413(self, client):
        response = client.post("/login", data={"email": "x" * 4096, "password": "y"})
        assert response.status_code == 413
        assert b"File too large" in response.data and b'id="main"' in response.data


@pytest.mark.parametrize("code,path", [(404, "/no/such/page"), (405, "/logout")])
def test_error_pages_in_the_layout(client, code, path):
    response = client.get(path)
    assert response.status_code == code
    assert b'class="skip-link"' in response.data and response.data.count(b"<h1") == 1


def test_500_page_in_the_layout(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500 and b"Something went wrong" in response.data


@pytest.mark.parametrize("target,expected", [
    ("/a/kz-2022/", "/a/kz-2022/"), ("/account?x=1", "/account?x=1"),
    ("https://evil.example", None), ("//evil.example", None), ("/\\evil", None),
    ("javascript:alert(1)", None), ("", None), (None, None), (" /ok", "/ok"),
])
def test_safe_next(target, expected):
    assert safe_next(target) == expected


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    '<p style="background:url(javascript:alert(1))">x</p>',
])
def test_markdown_is_sanitised(payload):
    html = str(render_markdown(payload))
    assert "<script" not in html and "javascript:" not in html
    assert "onerror" not in html and "<iframe" not in html and "style=" not in html


def test_markdown_keeps_formatting():
    html = str(render_markdown("**bold** and [link](https://unesco.org)\n\n- one\n- two"))
    assert "<strong>bold</strong>" in html and "<li>one</li>" in html
    assert 'href="https://unesco.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_passwords_are_hashed(app, request_context):
    from mab.auth.services import set_password
    user = make_user(password=None)
    set_password(user, "steppe-wind-2022")
    assert "steppe-wind-2022" not in user.password_hash
    assert user.password_hash.split(":")[0] in {"pbkdf2", "scrypt"}


# --- caching and CSV formulas (issue 11, item 5) ------------------------------------------------

def test_the_csv_neutraliser_covers_leading_white_space_tab_and_carriage_return():
    dangerous = ["=1+1", "+7 701", "-2", "@SUM(A1)", " =1+1", "  +7", " -1", " @SUM(A1)",
                 "\t=1", "\r=1", "\n=1", "\u00a0=HYPERLINK(\"http://x\")", " \t =1", "\tplain",
                 "\rplain"]
    for value in dangerous:
        assert safe_cell(value) == "'" + value, repr(value)
    for value in ("Ольга = Olga", "a-b", " plain", "1 - 2", "", "e@mail.org"):
        assert safe_cell(value) == value, repr(value)


def test_every_csv_export_neutralises_a_cell_with_leading_white_space(client, login):
    assessment, people = team()
    membership = db.session.scalar(select(Membership).where(
        Membership.user_id == people["board_member"].id))
    membership.organisation = " =HYPERLINK(\"http://x\")"
    db.session.commit()
    login(people["observer"])
    body = client.get("/a/kz-2022/board.csv").get_data(as_text=True)
    assert "' =HYPERLINK" in body


def no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


def test_signed_in_pages_and_errors_are_not_stored(client, login):
    assessment, people = team()
    login(people["coordinator"])
    for path in ("/", "/a/kz-2022/", "/a/kz-2022/audit", "/account", "/outbox",
                 "/a/kz-2022/nothing-here", "/a/uz-2099/"):
        response = client.get(path)
        assert no_store(response), path
        assert "Expires" not in response.headers, path


def test_exports_are_not_stored_even_without_a_session(client, login):
    assessment, people = team()
    meeting = make_meeting(assessment)
    login(people["observer"])
    for path in ("/a/kz-2022/board.csv", "/a/kz-2022/comments.csv", "/a/kz-2022/annex.zip",
                 f"/a/kz-2022/meetings/{meeting.id}.ics", f"/a/kz-2022/meetings/{meeting.id}/print",
                 "/a/kz-2022/annex"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path
    client.post("/logout")
    client.delete_cookie("session")
    client.delete_cookie("remember_token")
    feed = client.get(f"/calendar/{calendar_token(people['observer'])}.ics")
    # The calendar feed is polled by calendar programs: kept privately for a few minutes and
    # revalidated with its ETag (issue 14), never by a shared cache.
    assert feed.status_code == 200 and feed.cache_control.private
    assert feed.cache_control.max_age == 300 and not feed.cache_control.public


def test_static_files_stay_cacheable_and_anonymous_public_pages_are_left_alone(client, login):
    assessment, people = team()
    anonymous = client.get("/static/css/mab.css")
    assert anonymous.status_code == 200 and not no_store(anonymous)
    anonymous.close()
    assert not no_store(client.get("/login"))
    # A page opened with a secret link is personal even without a session.
    assert no_store(client.get("/reset/not-a-real-token"))
    login(people["coordinator"])
    signed_in = client.get("/static/css/mab.css")
    assert not no_store(signed_in)        # the same file for everyone: nothing personal in it
    signed_in.close()
    assert no_store(client.get("/login"))
