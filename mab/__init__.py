"""MAB: the Multistakeholder Advisory Board workspace."""
import os
import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from mab.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class=None) -> Flask:
    from config import config_from_environment

    config_class = config_class or config_from_environment()
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"), instance_path=_instance_path())
    app.config.from_object(config_class)
    _ensure_secret_key(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["TRUSTED_PROXY_COUNT"]:
        n = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)

    from mab import i18n, models  # noqa: F401  (models: the whole schema for Alembic)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    login_manager.init_app(app)

    from mab import (
        assessments,
        audit,
        auth,
        board,
        boundary,
        comments,
        drafts,
        errors,
        framework,
        meetings,
        notify,
        reports,
        security,
        templating,
        validation,
    )
    from mab.cli import cli

    # Each feature's blueprint, from its package (mab.board.bp is mab.board.views.bp).
    for feature in (auth, assessments, notify, board, meetings, framework, drafts, comments,
                    validation, audit, reports):
        app.register_blueprint(feature.bp)
    app.cli.add_command(cli)
    errors.register(app)
    boundary.register(app)
    security.register(app)
    i18n.register(app)
    templating.register(app)
    return app


def _instance_path() -> str:
    from config import INSTANCE_DIR
    return str(INSTANCE_DIR)


def _ensure_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.config["ENV_NAME"] == "production":
        raise RuntimeError("SECRET_KEY must be set in production (MAB_ENV=production).")
    # Development: create one once under instance/ and keep it, so sessions survive restarts.
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        os.chmod(path, 0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, WAL for concurrent readers, and a wait instead of 'database is locked'."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode")
    if cursor.fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
