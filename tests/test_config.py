import importlib

import pytest

from mab import config
from mab import create_app


class Production(config.ProductionConfig):
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = "sqlite://"


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Production)


def test_production_sets_secure_cookies_and_hsts():
    class P(Production):
        SECRET_KEY = "x" * 32

    app = create_app(P)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["HSTS"]


def test_development_creates_a_secret_key_once_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.setenv("MAB_INSTANCE_PATH", str(tmp_path))
    importlib.reload(config)
    try:
        class Dev(config.DevelopmentConfig):
            SECRET_KEY = None
            SQLALCHEMY_DATABASE_URI = "sqlite://"

        first = create_app(Dev).config["SECRET_KEY"]
        second = create_app(Dev).config["SECRET_KEY"]
        assert first == second and len(first) >= 32
        key_file = tmp_path / "secret_key"
        assert key_file.read_text() == first
        assert oct(key_file.stat().st_mode)[-3:] == "600"
        assert Dev.SQLALCHEMY_DATABASE_URI == "sqlite://"
        assert str(tmp_path) in config.Config.SQLALCHEMY_DATABASE_URI
    finally:
        monkeypatch.delenv("MAB_INSTANCE_PATH")
        importlib.reload(config)


@pytest.mark.parametrize("given,expected", [
    ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////srv/mab.sqlite", "sqlite:////srv/mab.sqlite"),
])
def test_database_url_normalised(monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert config.database_url("sqlite://") == expected


def test_environment_variables_are_read(monkeypatch):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "1000")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    monkeypatch.setenv("MAB_ENV", "production")
    try:
        importlib.reload(config)
        assert config.Config.MAIL_SERVER == "smtp.example.org" and config.Config.MAIL_PORT == 587
        assert config.Config.MAIL_USE_TLS is True and config.Config.MAX_CONTENT_LENGTH == 1000
        assert config.config_from_environment() is config.ProductionConfig
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_trusted_proxy_count_applies_forwarded_for():
    class Proxied(config.TestConfig):
        TRUSTED_PROXY_COUNT = 1

    app = create_app(Proxied)

    @app.get("/ip")
    def ip():
        from flask import request
        return request.remote_addr

    response = app.test_client().get("/ip", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.get_data(as_text=True) == "203.0.113.7"
