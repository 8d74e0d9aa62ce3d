"""Fixtures shared by the whole suite.

The database is SQLite in memory by default; set TEST_DATABASE_URL (a postgresql+psycopg:// URL)
to run every test on PostgreSQL. There the schema is built once and emptied after each test.
"""
import os

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import text

from config import TestConfig
from mab import create_app
from mab.extensions import db, limiter
from tests.factories import sign_in_client

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

_pg_schema_ready = False


def make_app(database_url=None, **overrides):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url or TEST_DATABASE_URL or "sqlite://"

    for key, value in overrides.items():
        setattr(Config, key, value)
    return create_app(Config)


def _prepare_schema(app):
    global _pg_schema_ready
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        if not _pg_schema_ready:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.create_all()
            _pg_schema_ready = True
    else:
        db.create_all()


def _empty_database(app):
    db.session.remove()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    else:
        db.drop_all()
    db.engine.dispose()


@pytest.fixture
def app_overrides():
    """Override in a test module to change the configuration of ``app``."""
    return {}


@pytest.fixture
def database_url():
    return None


@pytest.fixture
def app(app_overrides, database_url, tmp_path):
    app = make_app(database_url, UPLOAD_FOLDER=str(tmp_path / "uploads"), **app_overrides)
    with app.app_context():
        _prepare_schema(app)
        if app.config["RATELIMIT_ENABLED"]:
            limiter.reset()
        try:
            yield app
        finally:
            _empty_database(app)


class Client(FlaskClient):
    """Each request starts with a fresh ``g`` and unloaded rows, as in production.

    The ``app`` fixture keeps one application context pushed (so tests can use the models), and
    Flask reuses it for test requests; without this, ``g`` would leak from one request into the
    next.
    """

    def open(self, *args, **kwargs):
        for name in list(g.__dict__):
            delattr(g, name)
        db.session.expire_all()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Sign a user in by session, without the login form."""

    def _login(user):
        sign_in_client(client, user)
        return user

    return _login


@pytest.fixture
def request_context(app):
    with app.test_request_context("/"):
        yield
