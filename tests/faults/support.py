"""Helpers of the fault tests: a file database to lock, a scratch PostgreSQL database to restart
or make read-only, a commented draft, and the 503 page's kept form read back."""
import re
import sqlite3
from contextlib import contextmanager
from html import unescape

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from mab.comments.models import Comment
from mab.extensions import db
from tests import postgres
from tests.drafts.support import A, circulate, make_draft, setup


def scratch_postgres():
    """A database of the fault tests' own on the PostgreSQL server (see tests.postgres)."""
    return postgres.scratch_postgres("mab_faults")


def end_backends(url: str) -> int:
    """What a server restart does to the application: every other connection to the database
    is ended (its pooled connections die)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    finally:
        engine.dispose()


def sqlite_path(app) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


@contextmanager
def write_lock(app):
    """Another writer holding SQLite's write lock (``BEGIN IMMEDIATE``) until the block ends."""
    other = sqlite3.connect(sqlite_path(app), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


def circulated():
    """kz-2022 with a circulated draft: (assessment, people, draft, url of its comment form)."""
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"])
    circulate(draft, assessment, people["researcher"])
    return assessment, people, draft, f"{A}/drafts/{draft.id}/v/1"


def comment_count() -> int:
    db.session.expire_all()
    return db.session.query(Comment).count()


def kept_fields(html: str) -> dict:
    """The 503 page's kept form: its action, and its fields by name (textarea or input)."""
    form = re.search(r'<form method="post" action="([^"]*)" class="kept-form"(.*?)</form>', html,
                     re.S)
    assert form, "the page shows no kept form"
    fields = {}
    for name, value in re.findall(r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>',
                                  form.group(2), re.S):
        fields[unescape(name)] = ("textarea", unescape(value.removeprefix("\n")))
    for tag in re.findall(r"<input [^>]*>", form.group(2)):
        name = re.search(r'name="([^"]*)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]*)"', tag).group(1)
        fields[unescape(name)] = (kind, unescape(value.group(1)) if value else "")
    return {"action": unescape(form.group(1)), "fields": fields}
