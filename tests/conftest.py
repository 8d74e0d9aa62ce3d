"""Fixtures shared by the whole suite.

The database is SQLite in memory by default; set TEST_DATABASE_URL (a postgresql+psycopg:// URL)
to run every test on PostgreSQL. Under pytest-xdist each worker gets a database of its own
(``<name>_gw0``, ``<name>_gw1``..., created on the same server when missing).

Speed: the schema is built once per session (per database), and each test starts from an empty
database:

- SQLite in memory: the empty schema is kept in a template database and copied over the test
  database with SQLite's backup API before each test (well under a millisecond).
- PostgreSQL: after each test only the tables that hold rows are emptied, and only the
  sequences that moved are restarted.

Tests that use the default configuration (no ``app_overrides``, no ``database_url``) share one
application per worker: its configuration is restored, the rate limiter set back to it, and a new
application context (so a fresh ``g``) pushed for every test. A test that changes the app's setup
(adds a route or a hook) gets it discarded afterwards. Tests that override the configuration, and
the browser tests, get an application of their own, as before.
"""
import logging
import os

import pytest
from flask import current_app, g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_database_url(url: str) -> str:
    """Under xdist, one PostgreSQL database per worker: ``mab_test`` -> ``mab_test_gw0``."""
    if not (url.startswith("postgresql") and XDIST_WORKER):
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{XDIST_WORKER}").render_as_string(
        hide_password=False)


BASE_TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_DATABASE_URL = _worker_database_url(BASE_TEST_DATABASE_URL)
if TEST_DATABASE_URL:
    # config.TestConfig reads it at import: every app built in this worker uses its own database.
    os.environ["TEST_DATABASE_URL"] = TEST_DATABASE_URL

from mab.config import TestConfig  # noqa: E402
from mab import create_app  # noqa: E402
from mab.extensions import db, limiter  # noqa: E402
from tests.factories import sign_in_client  # noqa: E402

ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

_pg_schema_ready: set[str] = set()


def make_app(database_url=None, **overrides):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url or TEST_DATABASE_URL or "sqlite://"

    for key, value in overrides.items():
        setattr(Config, key, value)
    return create_app(Config)


def _create_postgres_database(url: str) -> None:
    """Create the worker's database on the server of TEST_DATABASE_URL when it is missing."""
    target = make_url(url)
    admin = create_engine(make_url(BASE_TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                  {"name": target.database}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def _prepare_schema(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        if url not in _pg_schema_ready:
            if url != BASE_TEST_DATABASE_URL and BASE_TEST_DATABASE_URL.startswith("postgresql"):
                _create_postgres_database(url)
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.create_all()
            _stamp_head()
            _pg_schema_ready.add(url)
    else:
        db.create_all()
        _stamp_head()


_heads: tuple[str, ...] | None = None


def _stamp_head():
    """Record the migrations' head in ``alembic_version``, as ``flask db stamp head`` would: the
    schema ``create_all`` made is the head's (tests/test_migrations.py checks that they agree),
    and a deployed database says so, which ``/readyz`` reads."""
    global _heads
    if _heads is None:
        from mab.health.checks import script_directory
        _heads = tuple(script_directory(current_app).get_heads())
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) "
                          "NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
        conn.execute(text("DELETE FROM alembic_version"))
        for head in _heads:
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                         {"v": head})


def _truncate_postgres():
    """Empty the tables that hold rows and restart the sequences that moved.

    DELETE, children first, is much cheaper than TRUNCATE for the few rows a test leaves; TRUNCATE
    ... CASCADE is the fallback when a DELETE is refused.
    """
    tables = [t.name for t in db.metadata.sorted_tables]
    probe = " UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in tables)
    with db.engine.connect() as conn:
        filled = {row[0] for row in conn.execute(text(probe))}
        conn.rollback()
        if filled:
            try:
                with conn.begin():
                    conn.execute(text("; ".join(
                        f'DELETE FROM "{name}"' for name in reversed(tables) if name in filled)))
            except Exception:
                with conn.begin():
                    conn.execute(text("TRUNCATE " + ", ".join(f'"{name}"' for name in filled)
                                      + " CASCADE"))
        conn.execute(text(
            "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, "
            "false) FROM pg_sequences "
            "WHERE last_value IS NOT NULL AND schemaname = current_schema()"))
        conn.commit()


def _empty_database(app):
    db.session.remove()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        _truncate_postgres()
    else:
        db.drop_all()
    db.engine.dispose()


# --- the shared application ---------------------------------------------------------------------

class _SharedApp:
    """The default-configuration app of this worker, its empty database kept as a template."""

    def __init__(self):
        self.app = make_app(None)
        self.config = dict(self.app.config)
        self.template = None
        with self.app.app_context():
            _prepare_schema(self.app)
            if not ON_POSTGRES:
                import sqlite3
                self.template = sqlite3.connect(":memory:", check_same_thread=False)
                with db.engine.connect() as conn:
                    conn.connection.driver_connection.backup(self.template)
        self.setup = self._setup()

    def _setup(self):
        """What a test could add to the app: routes, hooks, handlers, template filters."""
        app = self.app

        def compact(value):   # Flask's defaultdicts grow empty entries on lookup
            if isinstance(value, dict):
                value = {key: compact(item) for key, item in value.items()}
                return {key: item for key, item in value.items() if item}
            return list(value) if isinstance(value, list) else value

        hooks = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
                 app.url_value_preprocessors, app.url_default_functions,
                 app.template_context_processors, app.error_handler_spec)
        return (sorted((rule.rule, rule.endpoint) for rule in app.url_map.iter_rules()),
                dict(app.view_functions), [compact(h) for h in hooks],
                list(app.teardown_appcontext_funcs), dict(app.jinja_env.filters),
                set(app.jinja_env.globals))

    def begin(self, upload_folder):
        """Called inside the test's app context: configuration and database as new."""
        app = self.app
        app.config.clear()
        app.config.update(self.config)
        app.config["UPLOAD_FOLDER"] = upload_folder
        app._got_first_request = False   # a test may still add a route, as on a new app
        app.test_client_class = None
        limiter.enabled = app.config["RATELIMIT_ENABLED"]
        if app.config["RATELIMIT_ENABLED"]:
            limiter.reset()
        if self.template is not None:
            with db.engine.connect() as conn:
                self.template.backup(conn.connection.driver_connection)

    def end(self):
        db.session.remove()
        if ON_POSTGRES:
            _truncate_postgres()
        return self._setup() == self.setup   # False: the test changed the app; discard it

    def close(self):
        with self.app.app_context():
            db.engine.dispose()
        if self.template is not None:
            self.template.close()


_shared: _SharedApp | None = None


@pytest.fixture
def app_overrides():
    """Override in a test module to change the configuration of ``app``."""
    return {}


@pytest.fixture
def database_url():
    return None


@pytest.fixture
def app(app_overrides, database_url, tmp_path):
    global _shared
    uploads = str(tmp_path / "uploads")
    if app_overrides or database_url:
        app = make_app(database_url, UPLOAD_FOLDER=uploads, **app_overrides)
        with app.app_context():
            _prepare_schema(app)
            if app.config["RATELIMIT_ENABLED"]:
                limiter.reset()
            try:
                yield app
            finally:
                _empty_database(app)
        return

    for attempt in (1, 2):
        if _shared is None:
            _shared = _SharedApp()
        shared = _shared
        context = shared.app.app_context()
        context.push()
        try:
            shared.begin(uploads)
            break
        except Exception:   # e.g. a connection left inside a transaction: take a new app
            context.pop()
            _shared = None
            shared.close()
            if attempt == 2:
                raise
    keep = False
    try:
        yield shared.app
    finally:
        try:
            keep = shared.end()
        finally:
            context.pop()
            if not keep:
                _shared = None
                shared.close()


class Client(FlaskClient):
    """Each request starts with a fresh ``g`` and unloaded rows, as in production, and its body
    is read whole unless the test asks for ``buffered=False``.

    The ``app`` fixture keeps one application context pushed (so tests can use the models), and
    Flask reuses it for test requests; without this, ``g`` would leak from one request into the
    next.
    """

    def open(self, *args, **kwargs):
        for name in list(g.__dict__):
            delattr(g, name)
        db.session.expire_all()
        # A streamed body (an export) is read to its end and closed, as a server does, unless
        # the test reads it itself (buffered=False): a body left half-read would keep its
        # database cursor open until collected, on a connection by then serving another test.
        kwargs.setdefault("buffered", True)
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


@pytest.fixture
def demo(app):
    """The demo data (``flask seed``) committed: its assessment kz-2022."""
    from sqlalchemy import select

    from mab.assessments.models import Assessment
    from mab.demo import seed
    with app.test_request_context("/"):
        seed()
    db.session.commit()
    return db.session.scalar(select(Assessment).where(Assessment.slug == "kz-2022"))


@pytest.fixture
def keep_mab_logger_level():
    """Apps built with LOG_LEVEL set the ``mab`` logger's level; the next tests stay quiet."""
    logger = logging.getLogger("mab")
    level = logger.level
    yield
    logger.setLevel(level)
