"""Logs on standard output: one JSON line per request and per notable event.

Every record of the ``mab`` logger tree (``app.logger``, ``mab.boundary``, ``mab.worker`` ...)
is written as one JSON object on one line, which log collectors (journald, Docker, Loki, an
ELK stack) read without a parsing rule::

    {"time": "2027-01-21T06:00:00.123Z", "level": "INFO", "logger": "mab.request",
     "event": "request", "request_id": "5f0c...", "user_id": 7, "method": "GET",
     "path": "/a/kz-2022/meetings", "status": 200, "duration_ms": 12.4}

The request id comes from the ``X-Request-ID`` header when a proxy sent a sane one (letters,
digits, ``.-_:``, at most 128 characters), else it is made here; it is returned in the
``X-Request-ID`` response header and carried by every line logged while the request runs.
Secret links are never logged: a ``<token>`` in the path is written as ``[token]``; the query
string is left out (it may hold search terms about people).

``LOG_LEVEL`` (default ``INFO``; ``WARNING`` under the test configuration unless the variable is
set) chooses what is written. :func:`configure` may run many times (tests build many apps): the
one handler is kept, never doubled.
"""
import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import datetime, timezone

from flask import Flask, g, has_request_context, request

ROOT_LOGGER = "mab"
REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Attributes every LogRecord has; anything else given with ``extra=`` is written as a field.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName"}

request_log = logging.getLogger("mab.request")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the request's ids and any
    ``extra`` fields; an exception as its traceback text (escaped, so still one line)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc)
                            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
        }
        if "event" in vars(record):
            line["event"] = record.event
        message = record.getMessage()
        if message:
            line["message"] = message
        line.update(_request_fields())
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(line, ensure_ascii=False, default=str)


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stdout`` is at the time (so pytest's capture sees it too)."""

    def __init__(self):
        super().__init__(sys.stdout)

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, value):   # StreamHandler.__init__ sets it; the property wins
        pass


def configure(app: Flask) -> None:
    """Install the stdout handler on the ``mab`` logger (once) and the request hooks."""
    logger = logging.getLogger(ROOT_LOGGER)
    handler = next((h for h in logger.handlers if isinstance(h, StdoutHandler)), None)
    if handler is None:
        handler = StdoutHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(level_of(app.config.get("LOG_LEVEL") or "INFO"))
    logger.propagate = False   # the root logger (Alembic's, gunicorn's) must not repeat it
    app.before_request(_start)
    app.after_request(_finish)


def level_of(name) -> int:
    if isinstance(name, int):
        return name
    level = logging.getLevelName(str(name).strip().upper())
    if not isinstance(level, int):
        raise ValueError(f"LOG_LEVEL {name!r} is not a logging level (DEBUG, INFO, WARNING, "
                         "ERROR, CRITICAL)")
    return level


def request_id() -> str:
    """The current request's id ("-" outside a request)."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
    return g.request_id


def _start():
    g.request_started = time.perf_counter()
    g.pop("request_id", None)   # a new request (tests may reuse one app context)
    request_id()


def _finish(response):
    response.headers[REQUEST_ID_HEADER] = request_id()
    if request_log.isEnabledFor(logging.INFO):
        started = g.get("request_started")
        duration = (time.perf_counter() - started) * 1000 if started is not None else None
        request_log.info("", extra={
            "event": "request", "method": request.method, "path": _safe_path(),
            "status": response.status_code,
            "duration_ms": round(duration, 1) if duration is not None else None})
    return response


def _request_fields() -> dict:
    """Only inside a request being served (not a CLI's ``test_request_context``)."""
    if not has_request_context() or "request_started" not in g:
        return {}
    return {"request_id": request_id(), "user_id": _user_id()}


def _user_id():
    """The signed-in person's id, if Flask-Login loaded one for this request (never a query)."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return "-"
    return getattr(user, "id", "-")


def _safe_path() -> str:
    path = request.path
    token = (request.view_args or {}).get("token")
    if isinstance(token, str) and token:
        path = path.replace(token, "[token]")
    return path
