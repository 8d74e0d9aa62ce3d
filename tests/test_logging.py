"""Logs: one JSON line per request and event on stdout, with level, request id and user id."""
import json
import logging
import os
import re

import pytest

from mab.extensions import db
from mab.logging import JsonFormatter, StdoutHandler, level_of
from tests.conftest import make_app
from tests.factories import make_user


pytestmark = pytest.mark.usefixtures("keep_mab_logger_level")


@pytest.fixture
def app_overrides():
    return {"LOG_LEVEL": "INFO"}


def lines(text):
    """Every line printed is one JSON object."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def requests_logged(capsys):
    return [line for line in lines(capsys.readouterr().out) if line.get("event") == "request"]


def test_a_request_is_one_line_with_its_ids_and_outcome(client, capsys):
    capsys.readouterr()
    response = client.get("/login", headers={"X-Request-ID": "edge-7f3a.42"})
    assert response.headers["X-Request-ID"] == "edge-7f3a.42"
    (line,) = requests_logged(capsys)
    assert line["level"] == "INFO" and line["logger"] == "mab.request"
    assert line["request_id"] == "edge-7f3a.42" and line["user_id"] == "-"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/login", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line["time"])


def test_the_signed_in_persons_id_is_logged(client, login, capsys):
    user = login(make_user(email="logged@example.org"))
    db.session.commit()
    capsys.readouterr()
    client.get("/")
    (line,) = requests_logged(capsys)
    assert line["user_id"] == user.id


@pytest.mark.parametrize("given", ["", "has space", "x" * 129, "semi;colon", "new\nline"])
def test_an_unusable_request_id_is_replaced(client, capsys, given):
    capsys.readouterr()
    headers = {"X-Request-ID": given} if "\n" not in given else {}
    response = client.get("/healthz", headers=headers)
    made = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    (line,) = requests_logged(capsys)
    assert line["request_id"] == made


def test_each_request_gets_its_own_id(client, capsys):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second


def test_secret_links_are_not_logged(client, capsys):
    capsys.readouterr()
    client.get("/reset/s3cr3t-t0ken-value")
    out = capsys.readouterr().out
    assert "s3cr3t-t0ken-value" not in out
    assert [line["path"] for line in lines(out) if line.get("event") == "request"] == \
        ["/reset/[token]"]


def test_an_error_is_one_line_with_its_traceback_and_the_request_id(tmp_path, capsys):
    app = make_app(f"sqlite:///{tmp_path / 'e.sqlite'}", LOG_LEVEL="INFO", TESTING=False,
                   PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    capsys.readouterr()
    response = app.test_client().get("/boom", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500 and response.headers["X-Request-ID"] == "req-500"
    logged = lines(capsys.readouterr().out)
    error = next(line for line in logged if line["level"] == "ERROR")
    assert error["request_id"] == "req-500" and "RuntimeError: kaboom" in error["exception"]
    request = next(line for line in logged if line.get("event") == "request")
    assert request["status"] == 500


def test_log_level_chooses_what_is_written(tmp_path, capsys):
    app = make_app(f"sqlite:///{tmp_path / 'w.sqlite'}", LOG_LEVEL="warning")
    capsys.readouterr()
    app.test_client().get("/healthz")
    assert capsys.readouterr().out == ""
    with pytest.raises(ValueError, match="LOG_LEVEL"):
        level_of("chatty")


@pytest.mark.skipif(bool(os.environ.get("LOG_LEVEL")), reason="LOG_LEVEL is set")
def test_quiet_in_tests_unless_log_level_is_set():
    from mab.config import Config, TestConfig
    assert TestConfig.LOG_LEVEL == "WARNING" and Config.LOG_LEVEL == "INFO"


def test_one_handler_however_many_apps(tmp_path):
    for n in range(3):
        make_app(f"sqlite:///{tmp_path / f'{n}.sqlite'}")
    logger = logging.getLogger("mab")
    assert sum(isinstance(h, StdoutHandler) for h in logger.handlers) == 1
    assert logger.propagate is False


def test_extra_fields_and_events_outside_a_request():
    record = logging.LogRecord("mab.worker", logging.INFO, __file__, 1, "job done", None, None)
    record.event, record.job, record.sent = "job", "outbox", 3
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "job done" and (line["event"], line["job"], line["sent"]) == (
        "job", "outbox", 3)
    assert "request_id" not in line and "\n" not in JsonFormatter().format(record)
