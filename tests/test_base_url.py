"""Issue 14 item 3: BASE_URL is the one source of every absolute link. With BASE_URL set to one
address and requests arriving with another Host header, each place that prints an absolute
link (emails, the calendar-feed address on /account, the comment-matrix CSV, the certificate)
names BASE_URL and never the Host header."""
import csv
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import current_app

from mab.auth.sessions import start_session
from mab.assessments.models import Role
from mab.assessments.services import invite_person
from mab.extensions import db
from mab.links import absolute_url
from tests.factories import make_user
from tests.records import last_mail_id, mail

BASE = "https://mab.example.org"
EVIL = "evil.example.com"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app_overrides():
    return {"BASE_URL": BASE}


def evil_get(client, url, **kwargs):
    return client.get(url, base_url=f"http://{EVIL}", **kwargs)


def sign_in_on_evil(client, user):
    """The session cookie for the Host the requests come with (tests.factories signs in on
    localhost, whose cookie a request to another host would not carry)."""
    row = start_session(user, user_agent="pytest")
    db.session.commit()
    with client.session_transaction(base_url=f"http://{EVIL}") as session:
        session["_user_id"] = row.token
        session["_fresh"] = True


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def assert_only_base(text: str, *, at_least=1):
    assert EVIL not in text
    links = links_in(text)
    assert len([u for u in links if u.startswith(BASE + "/")]) >= at_least, links
    # Every absolute link MAB wrote is on BASE_URL (the only other ones are W3C namespaces).
    assert all(u.startswith(BASE + "/") or "w3.org" in u for u in links), links


# --- emails ------------------------------------------------------------------------------------

def test_an_email_queued_in_a_request_to_another_host_links_to_base_url(client):
    make_user(email="reset-me@example.org")
    db.session.commit()
    since = last_mail_id()
    response = client.post("/reset", data={"email": "reset-me@example.org"},
                           base_url=f"http://{EVIL}")
    assert response.status_code == 302
    [message] = mail(since)
    for body in (message.body_text, message.body_html):
        assert_only_base(body)
        assert f"{BASE}/reset/" in body


def test_invitation_and_added_notice_link_to_base_url(app):
    from tests.factories import make_assessment
    assessment = make_assessment(slug="kz-2022")
    coordinator = make_user(email="coordinator@example.org")
    known = make_user(email="known@example.org")
    db.session.commit()
    db.session.refresh(assessment)
    since = last_mail_id()
    with app.test_request_context("/", base_url=f"http://{EVIL}"):
        invite_person(assessment, email="new@example.org", name="New Person",
                      role=Role.BOARD_MEMBER, actor=coordinator)
        invite_person(assessment, email=known.email, name="", role=Role.OBSERVER,
                      actor=coordinator)
    db.session.commit()
    messages = mail(since)
    assert len(messages) == 2
    for message in messages:
        for body in (message.body_text, message.body_html):
            assert_only_base(body)
    assert f"{BASE}/a/kz-2022" in messages[1].body_text


# --- the calendar-feed address on /account ---------------------------------------------------

def test_the_feed_address_on_the_account_page_is_on_base_url(client):
    user = make_user(email="feed@example.org")
    db.session.commit()
    sign_in_on_evil(client, user)
    page = evil_get(client, "/account")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    [feed] = re.findall(r'id="feed-link" readonly value="([^"]+)"', html)
    assert re.fullmatch(re.escape(BASE) + r"/calendar/[^/]+\.ics", feed), feed
    assert EVIL not in html


# --- the comment-matrix CSV ------------------------------------------------------------------

def test_the_comments_csv_links_are_on_base_url(app, client):
    from tests.comments.support import comment, world
    with app.test_request_context("/"):
        w = world(other=False)
        made = comment(w, body="A first comment.")
        second = comment(w, "member2", body="Another.")
    sign_in_on_evil(client, w.people["coordinator"])
    response = evil_get(client, "/a/kz-2022/comments.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert EVIL not in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    link_column = [name for name in rows[0] if name and "link" in name.lower()]
    assert len(link_column) == 1, list(rows[0])
    links = sorted(row[link_column[0]] for row in rows)
    version = f"{BASE}/a/kz-2022/drafts/{w.draft.id}/v/1"
    assert links == sorted([f"{version}?comment={made.id}#c{made.id}",
                            f"{version}?comment={second.id}#c{second.id}"])


# --- the certificate -------------------------------------------------------------------------

def test_the_certificate_prints_its_address_on_base_url(app, client):
    from tests.validation.support import close, open_round, sign, world
    with app.test_request_context("/"):
        w = world(other=False)
        round_ = open_round(w)
        sign(w, round_, "board_member")
        sign(w, round_, "member2")
        close(w, round_)
    sign_in_on_evil(client, w.people["coordinator"])
    page = evil_get(client, f"/a/kz-2022/validation/{round_.id}/certificate")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    address = f"{BASE}/a/kz-2022/validation/{round_.id}/certificate"
    assert f"<code>{address}</code>" in html    # as text: the printed certificate has no links
    assert_only_base(html)


# --- the builder -------------------------------------------------------------------------------

def test_absolute_url_works_without_a_request_and_keeps_a_path_prefix(app, monkeypatch):
    assert absolute_url("auth.account") == f"{BASE}/account"
    monkeypatch.setitem(current_app.config, "BASE_URL", "https://example.org/mab/")
    assert absolute_url("auth.account") == "https://example.org/mab/account"
    assert (absolute_url("drafts.version", slug="kz", draft_id=3, number=2, _anchor="c9")
            == "https://example.org/mab/a/kz/drafts/3/v/2#c9")
    with app.test_request_context("/", base_url=f"http://{EVIL}/other"):
        assert absolute_url("auth.account") == "https://example.org/mab/account"


@pytest.mark.parametrize("value", ["", "example.org", "/mab", "ftp://example.org"])
def test_a_base_url_that_is_not_absolute_is_refused_with_its_value(app, monkeypatch, value):
    monkeypatch.setitem(current_app.config, "BASE_URL", value)
    with pytest.raises(RuntimeError, match="BASE_URL must be an absolute"):
        absolute_url("auth.account")


# --- make run ----------------------------------------------------------------------------------

def _make_run(*args, env_base=None) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BASE_URL", "HOST", "PORT")}
    if env_base:
        env["BASE_URL"] = env_base
    out = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    return [line for line in out.splitlines() if " run --host " in line]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_sets_base_url_from_host_and_port_unless_given():
    [line] = _make_run("PORT=5105")
    assert line.startswith("BASE_URL='http://127.0.0.1:5105' ") and line.endswith("--port 5105")
    [line] = _make_run("PORT=5105", "HOST=localhost")
    assert line.startswith("BASE_URL='http://localhost:5105' ")
    [line] = _make_run("PORT=5105", "BASE_URL=https://mab.example.org")
    assert line.startswith("BASE_URL='https://mab.example.org' ")
    [line] = _make_run("PORT=5105", env_base="https://from-env.example.org")
    assert line.startswith("BASE_URL='https://from-env.example.org' ")
