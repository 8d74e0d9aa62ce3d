"""Configuration classes, read from environment variables.

``create_app()`` picks ``ProductionConfig`` when ``MAB_ENV=production`` (or ``FLASK_ENV``-free
deployments under gunicorn set it), ``DevelopmentConfig`` otherwise. Every setting can be given
in the environment; see the table in README.md.
"""
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent     # the checkout, when MAB runs from its source tree


def _default_instance() -> Path:
    """Where the database and uploads live: ``instance/`` of the checkout in development,
    ``./instance`` of the working folder when MAB is installed from a wheel."""
    if (SOURCE_ROOT / "pyproject.toml").is_file():
        return SOURCE_ROOT / "instance"
    return Path.cwd() / "instance"


INSTANCE_DIR = Path(os.environ.get("MAB_INSTANCE_PATH") or _default_instance())


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL") or default
    # Heroku-style URLs name the old driver; MAB uses psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(f"sqlite:///{INSTANCE_DIR / 'mab.sqlite'}")
    # A pooled connection is checked before use (one that died with a database restart is
    # replaced), and a read that meets a dropped connection is run once more (mab.boundary).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # How long a write waits for a lock held by another request before the person is told "MAB
    # is busy, your text is kept: send again" (503): SQLite's busy timeout, PostgreSQL's
    # lock_timeout. 10 s outlasts a burst of writers (a write holds SQLite's lock for well under a
    # second) and stays far below gunicorn's 30 s worker timeout and a proxy's read timeout.
    DATABASE_BUSY_TIMEOUT_MS = _int("DATABASE_BUSY_TIMEOUT_MS", 10_000)

    # Outgoing mail. Without MAIL_SERVER messages wait in the outbox (see /outbox).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "MAB <no-reply@localhost>")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 20)
    # Flask-Mail reads the MAIL_* names above as they are. The outbox decides what is sent (no
    # MAIL_SERVER: everything waits), so Flask-Mail never drops mail silently, not even in tests.
    MAIL_SUPPRESS_SEND = False
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 10)

    # The public address. Every absolute link (emails, the calendar-feed address, the CSV link
    # column, the certificate) is built on it, never on the request's Host header (mab/links.py);
    # `make run` sets it from HOST and PORT unless it is given.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 25 * 1024 * 1024)
    ATTACHMENT_MAX_BYTES = _int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT = os.environ.get("LOGIN_LIMIT", "5 per minute")
    TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 0)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Server-side sessions (mab/auth/sessions.py): idle time and maximum age of a signed-in device.
    SESSION_IDLE_HOURS = _int("SESSION_IDLE_HOURS", 12)
    SESSION_MAX_DAYS = _int("SESSION_MAX_DAYS", 30)
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * SESSION_MAX_DAYS
    WTF_CSRF_TIME_LIMIT = None  # tied to the session; a long form must not expire mid-typing

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("en", "ru", "kk")

    INVITATION_DAYS = _int("INVITATION_DAYS", 7)
    RESET_HOURS = _int("RESET_HOURS", 1)
    HSTS = False
    PAGE_SIZE = 50
    PASSWORD_HASH_METHOD = "scrypt"

    # Logs: one JSON line per request and event on stdout (mab/logging.py).
    LOG_LEVEL = os.environ.get("LOG_LEVEL") or "INFO"


class DevelopmentConfig(Config):
    pass


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = "https"
    HSTS = _bool("HSTS", True)


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = ""
    BASE_URL = "http://localhost"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast in tests only
    LOG_LEVEL = os.environ.get("LOG_LEVEL") or "WARNING"   # quiet unless asked for


def config_from_environment():
    env = os.environ.get("MAB_ENV", "development").lower()
    return ProductionConfig if env == "production" else DevelopmentConfig
