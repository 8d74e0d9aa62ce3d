"""The request boundary (mab.boundary): one commit per request, a rollback on any exception, a
refusal turned into the field error or the flash the view declares, and GET never commits."""
from datetime import timedelta

import pytest
from flask import abort, flash, get_flashed_messages, has_request_context, redirect, request
from flask import render_template_string
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import StringField

from mab import boundary
from mab.assessments.models import Role
from mab.auth.models import UserSession
from mab.drafts.models import VersionView
from mab.errors import DomainError
from mab.extensions import db
from mab.framework.models import Framework
from mab.framework.services import BUILTIN_KEY
from tests.drafts.support import A, attach, circulate, make_draft, membership_of, setup
from tests.factories import make_assessment, make_member
from mab.types import utcnow


def frameworks(key=None):
    query = select(func.count(Framework.id))
    if key:
        query = query.where(Framework.key == key)
    return db.session.scalar(query)


def add_framework(key):
    """A stand-in for a service: it writes and flushes, as services do."""
    db.session.add(Framework(key=key, name=key, version="1"))
    db.session.flush()


class NameForm(FlaskForm):
    name = StringField()
    note = StringField()


@pytest.fixture
def commits(app, monkeypatch):
    """Each call of ``db.session.commit``, with the method of the request it ran in."""
    calls = []
    real = db.session.commit

    def spy():
        calls.append(request.method if has_request_context() else None)
        return real()

    monkeypatch.setattr(db.session, "commit", spy)
    return calls


@pytest.fixture
def routes(app):
    """Small views under the boundary, as a feature would write them."""

    @boundary.transactional
    def write():
        add_framework(request.values.get("key", "written"))
        return "ok"

    @boundary.transactional
    def fail():
        add_framework("failed")
        if request.args.get("how") == "abort":
            abort(404)
        raise RuntimeError("a bug in the view")

    @boundary.transactional
    def form_view():
        form = NameForm()
        if form.validate_on_submit():
            with boundary.form_errors(form, "name"):
                add_framework(form.name.data)
                raise DomainError("Refused after a flush.", field=request.args.get("field"))
        html = render_template_string(
            '<input name="name" value="{{ form.name.data or "" }}">'
            '{% for e in form.name.errors %}<p class="name-error">{{ e }}</p>{% endfor %}'
            '{% for e in form.note.errors %}<p class="note-error">{{ e }}</p>{% endfor %}',
            form=form)
        return html, 422 if form.errors else 200

    @boundary.transactional
    def flash_view():
        with boundary.flash_errors():
            add_framework("flashed")
            raise DomainError("Not now.")
        return redirect("/done")

    for name, view in [("write", write), ("fail", fail), ("form", form_view),
                       ("flash", flash_view)]:
        app.add_url_rule(f"/_boundary/{name}", name, view, methods=["GET", "POST"])


def test_a_post_that_returns_normally_commits_once(client, routes, commits):
    assert client.post("/_boundary/write", data={"key": "posted"}).status_code == 200
    assert commits == ["POST"]
    db.session.rollback()
    assert frameworks("posted") == 1


def test_a_get_never_commits_even_if_it_wrote(client, routes, commits):
    assert client.get("/_boundary/write?key=got").status_code == 200
    assert commits == []
    db.session.rollback()   # the end of the request's session, as in production
    assert frameworks("got") == 0


def test_any_exception_rolls_back(client, routes, commits):
    with pytest.raises(RuntimeError):   # TESTING propagates it; in production a 500 page
        client.post("/_boundary/fail")
    assert commits == []
    assert frameworks("failed") == 0
    assert client.post("/_boundary/fail?how=abort").status_code == 404
    assert commits == []
    assert frameworks("failed") == 0


@pytest.mark.parametrize("field", ["name", "note", "no_such_field"])
def test_a_refusal_after_a_flush_becomes_a_field_error_and_keeps_the_input(
        client, routes, commits, field):
    response = client.post(f"/_boundary/form?field={field}", data={"name": "Ваш ввод"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Ваш ввод"' in html
    shown_under = "note" if field == "note" else "name"   # an unknown field: the declared one
    assert f'<p class="{shown_under}-error">Refused after a flush.</p>' in html
    assert frameworks("Ваш ввод") == 0   # the flushed row is rolled back, not committed
    assert commits == ["POST"]            # the boundary's commit, of nothing


def test_a_refusal_becomes_a_flash_and_the_work_is_rolled_back(client, routes):
    response = client.post("/_boundary/flash")
    assert response.status_code == 302 and response.location.endswith("/done")
    with client.session_transaction() as session:
        assert [m for _c, m in session["_flashes"]] == ["Not now."]
    assert frameworks("flashed") == 0


def test_domain_errors_keeps_the_refusal_and_lets_other_errors_through(app):
    with app.test_request_context("/"):
        with boundary.domain_errors() as outcome:
            add_framework("kept-out")
            raise DomainError("No.", field="x")
        assert not outcome and outcome.error.field == "x"
        assert frameworks("kept-out") == 0
        with boundary.domain_errors() as outcome:
            pass
        assert outcome and outcome.error is None
        with pytest.raises(ValueError), boundary.flash_errors():
            raise ValueError("not a refusal")
        assert get_flashed_messages() == []


def test_every_view_that_accepts_a_write_runs_inside_the_boundary(app):
    outside = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not (rule.methods - boundary.READ_METHODS):
            continue
        if not getattr(app.view_functions[rule.endpoint], "__boundary__", False):
            outside.append(rule.endpoint)
    assert outside == []


def test_bookkeeping_failures_are_logged_and_swallowed(app, caplog):
    def broken(session):
        raise RuntimeError("database is locked")

    boundary.bookkeeping(broken, what="a test record")   # outside a request: at once
    assert "a test record" in caplog.text
    with app.test_request_context("/"):
        boundary.bookkeeping(lambda session: add(session, "later"), what="queued")
        assert frameworks("later") == 0                     # in a request: when it ends
    assert frameworks("later") == 1


def add(session, key):
    session.add(Framework(key=key, name=key, version="1"))


# --- GET requests of the main pages never commit ---------------------------------------------

def test_the_main_pages_never_commit_on_get(client, login, commits):
    assessment, people = setup()
    author = people["researcher"]
    draft = make_draft(assessment, author)
    attach(draft.versions[-1], assessment, author)
    circulate(draft, assessment, author)
    bare = make_assessment(slug="bare-2023")          # no framework chosen yet
    make_member(bare, Role.COORDINATOR, user=people["coordinator"])
    db.session.commit()
    assert frameworks(BUILTIN_KEY) == 1

    pages = [f"{A}/", f"{A}/people", f"{A}/board", f"{A}/groups", f"{A}/policy",
             f"{A}/balance", f"{A}/drafts", f"{A}/drafts/{draft.id}",
             f"{A}/drafts/{draft.id}/v/1", f"{A}/drafts/{draft.id}/diff", f"{A}/framework",
             f"{A}/meetings", f"{A}/meetings/new", f"{A}/validation", f"{A}/drafts/new",
             "/", "/account", "/outbox", "/a/bare-2023/framework"]
    opened = 0
    for who in ("coordinator", "researcher", "board_member", "observer"):
        session_row = login(people[who])
        # "Last seen" is due for a refresh: the touch happens, in its own transaction.
        session_row.last_seen_at = utcnow() - timedelta(minutes=10)
        db.session.commit()
        commits.clear()
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 302, 403, 404), (who, url, response.status_code)
        assert commits == [], (who, commits)
        db.session.expire_all()
        seen = db.session.get(UserSession, session_row.id).last_seen_at
        assert utcnow() - seen < timedelta(minutes=1), who
        if who in ("board_member", "observer"):
            opened += 1
            assert db.session.scalar(select(func.count(VersionView.id))) == opened
            assert db.session.scalar(select(VersionView.id).where(
                VersionView.membership_id == membership_of(people[who], assessment).id))


def test_the_catalogue_page_offers_the_builtin_framework_without_committing(
        client, login, commits):
    bare = make_assessment(slug="bare-2023")
    coordinator = make_member(bare, Role.COORDINATOR, email="c@example.org")
    db.session.commit()
    login(coordinator)
    assert frameworks(BUILTIN_KEY) == 0
    commits.clear()
    html = client.get("/a/bare-2023/framework").get_data(as_text=True)
    assert commits == []
    assert frameworks(BUILTIN_KEY) == 1
    assert "ROAM-X 2018" in html
