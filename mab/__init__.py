"""MAB: the Multistakeholder Advisory Board workspace."""
import os
import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from mab import logging as mab_logging
from mab.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

HERE = Path(__file__).resolve().parent   # templates, static files and migrations ship inside


def create_app(config_class=None) -> Flask:
    from mab.config import config_from_environment

    config_class = config_class or config_from_environment()
    app = Flask(__name__, instance_path=_instance_path())
    app.config.from_object(config_class)
    mab_logging.configure(app)   # first: its request hooks time the whole request
    _ensure_secret_key(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["TRUSTED_PROXY_COUNT"]:
        n = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)

    from mab import i18n, models  # noqa: F401  (models: the whole schema for Alembic)

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(HERE / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    login_manager.init_app(app)
    mail.init_app(app)

    from mab import boundary, errors, security, templating
    from mab.assessments.views import bp as assessments_bp
    from mab.audit.views import bp as audit_bp
    from mab.auth.views import bp as auth_bp
    from mab.board.views import bp as board_bp
    from mab.cli import cli
    from mab.comments.views import bp as comments_bp
    from mab.drafts.views import bp as drafts_bp
    from mab.framework.views import bp as framework_bp
    from mab.health.views import bp as health_bp
    from mab.meetings.views import bp as meetings_bp
    from mab.notify.views import bp as notify_bp
    from mab.reports.views import bp as reports_bp
    from mab.validation.views import bp as validation_bp

    # Each feature's blueprint lives in its views module; only the factory imports views.
    for bp in (auth_bp, assessments_bp, notify_bp, board_bp, meetings_bp, framework_bp,
               drafts_bp, comments_bp, validation_bp, audit_bp, reports_bp, health_bp):
        app.register_blueprint(bp)
    from mab.editions.views import bp as editions_bp   # the translators' pages (issue 18)
    app.register_blueprint(editions_bp)
    from mab.editions.exchange_views import bp as exchange_bp   # XLIFF and CSV (issue 18)
    app.register_blueprint(exchange_bp)
    # Evidence and recommendations (issue 19).
    from mab.evidence.coverage_views import bp as coverage_bp
    from mab.evidence.views import bp as evidence_bp
    from mab.recommendations.followup_views import bp as followup_bp
    from mab.recommendations.views import bp as recommendations_bp
    from mab.recommendations.workshop_views import bp as workshop_bp
    for bp in (evidence_bp, coverage_bp, recommendations_bp, workshop_bp, followup_bp):
        app.register_blueprint(bp)
    # Releases and the public site (issue 20).
    from mab.releases.public_views import bp as public_bp
    from mab.releases.views import bp as releases_bp
    for bp in (releases_bp, public_bp):
        app.register_blueprint(bp)
    from mab.drafts.word_views import bp as word_import_bp   # Word import (issue 20)
    app.register_blueprint(word_import_bp)
    from mab.report.views import bp as report_bp   # the assembled report (issue 20)
    app.register_blueprint(report_bp)
    from mab.report.export_views import bp as report_export_bp   # DOCX and open data (issue 20)
    app.register_blueprint(report_export_bp)
    app.cli.add_command(cli)
    errors.register(app)
    boundary.register(app)
    security.register(app)
    i18n.register(app)
    templating.register(app)
    return app


def _instance_path() -> str:
    from mab.config import INSTANCE_DIR
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


def _engine_options(config) -> dict:
    """The engine's options with the wait for a lock (``DATABASE_BUSY_TIMEOUT_MS``): SQLite's
    busy timeout (the driver's ``timeout``), PostgreSQL's ``lock_timeout``. A wait that outlasts
    it becomes the 503 "busy" page (mab.errors), never a 500."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = config["SQLALCHEMY_DATABASE_URI"]
    wait_ms = int(config.get("DATABASE_BUSY_TIMEOUT_MS") or 0)
    connect_args = dict(options.get("connect_args") or {})
    if url.startswith("sqlite"):
        connect_args.setdefault("timeout", wait_ms / 1000)
    elif url.startswith("postgresql") and wait_ms:
        given = connect_args.get("options", "")
        if "lock_timeout" not in given:
            connect_args["options"] = f"{given} -c lock_timeout={wait_ms}".strip()
    options["connect_args"] = connect_args
    return options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on and WAL for concurrent readers (the busy timeout: ``_engine_options``)."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode")
    if cursor.fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
