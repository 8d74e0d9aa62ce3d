"""Domain errors and the error pages, rendered in the site layout, or in a minimal one that
needs no database when the site layout cannot be drawn (the database is down).

Faults of the database and of the upload folder are answered here, once for every view
(issue 17), with a 503 that says what is wrong and that nothing was saved:

- a lock that outlasted the wait (SQLite "database is locked", PostgreSQL lock timeout,
  serialization failure, deadlock): "MAB is busy, your text is kept: send again";
- a read-only database; a database that cannot be reached; an upload folder that cannot be
  written to (:class:`StorageError`).

A write's page shows the posted form again (:func:`kept_form`): the person's text in text boxes,
the rest as it was sent, a fresh CSRF token, sent back to the same address; passwords and files
cannot be kept and are asked for again.
"""
import logging
import re

from flask import Flask, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule refused an action; the message is shown to the user as it is."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class StorageError(Exception):
    """A file could not be written to the upload folder (its row is not stored either)."""


ERRORS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("Your role in this assessment does not allow this.")),
    404: (_l("Page not found"), _l("There is no such page, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("File too large"), _l("The upload is larger than this site accepts. Please send a smaller file.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Please wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Nothing was saved; please try again.")),
    503: (_l("MAB is not available"), _l("MAB cannot answer at the moment. Nothing was saved; please try again in a few minutes.")),
}

# The 503 pages of faults: (title, what happened to a write, what happened to a read).
FAULTS = {
    "busy": (
        _l("MAB is busy, your text is kept: send again"),
        _l("Many changes were being saved at the same moment and yours waited too long. Nothing "
           "was saved yet. Your text is kept below: send it again."),
        _l("Many changes are being saved at the same moment. Please reload this page in a "
           "moment.")),
    "read_only": (
        _l("Changes cannot be saved at the moment"),
        _l("The database is read-only at the moment, so nothing was saved. Your text is kept "
           "below; please tell the site administrator, and send it again once saving works."),
        _l("The database is read-only at the moment, so this page could not be shown. Please "
           "tell the site administrator.")),
    "unavailable": (
        _l("The database cannot be reached"),
        _l("MAB cannot reach its database at the moment, so nothing was saved. Your text is kept "
           "below: send it again in a few minutes."),
        _l("MAB cannot reach its database at the moment. Please try again in a few minutes.")),
    "storage": (
        _l("The file could not be stored"),
        _l("The file could not be stored: the upload folder cannot be written to. Nothing was "
           "saved. Please tell the site administrator."),
        _l("The file could not be read from the upload folder. Please tell the site "
           "administrator.")),
}
RETRY_AFTER = {"busy": "5", "unavailable": "30"}


def error_page(code: int, message=None):
    """The error page for ``code``, in the site layout (a feature's own handler may use it)."""
    title, text = ERRORS[code]
    return _render(code, title, message or text), code


def register(app: Flask) -> None:
    for code in ERRORS:
        app.register_error_handler(code, lambda error, code=code: _error(error, code))
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(StorageError, _storage_error)


def _error(error, code):
    if code == 500:
        _rollback()
    return error_page(code)


# --- faults -----------------------------------------------------------------------------------

_SQLITE_FAULTS = (("database is locked", "busy"), ("database table is locked", "busy"),
                  ("database is busy", "busy"), ("readonly database", "read_only"),
                  ("unable to open database file", "unavailable"),
                  ("disk i/o error", "unavailable"),
                  ("cannot operate on a closed database", "unavailable"))
_PG_BUSY = {"55P03", "40001", "40P01", "57014", "53300"}   # lock/statement timeout, serialization,
_PG_DOWN = {"57P01", "57P02", "57P03"}                     # deadlock, too many connections;
#                                                            shutdown, crash, starting up


def classify(error: BaseException) -> str | None:
    """Pure: "busy", "read_only" or "unavailable" for a database fault a person can only wait
    out or report, None for anything else (a bug: the 500 page)."""
    if getattr(error, "connection_invalidated", False):
        return "unavailable"
    original = getattr(error, "orig", None) or error
    state = getattr(original, "sqlstate", None)
    if state:
        if state in _PG_BUSY:
            return "busy"
        if state == "25006":
            return "read_only"
        if state in _PG_DOWN or state.startswith("08"):
            return "unavailable"
        return None
    module = type(original).__module__ or ""
    if module.startswith("sqlite3"):
        text = str(original).lower()
        return next((kind for words, kind in _SQLITE_FAULTS if words in text), None)
    if module.startswith("psycopg") and type(original).__name__ == "OperationalError":
        return "unavailable"   # no SQLSTATE: the connection itself failed (refused, timed out)
    return None


# Set in a read's WSGI environ by mab.boundary.RetryReads ("first"); "again" asks it to run the
# read once more.
RETRY_KEY = "mab.retry_read"


def _retry_read() -> bool:
    """True when this request is a read's first run, which mab.boundary.RetryReads will run
    once more (the answer given now is thrown away)."""
    if request.environ.get(RETRY_KEY) != "first":
        return False
    request.environ[RETRY_KEY] = "again"
    return True


def _database_error(error):
    kind = classify(error)
    if kind is None:
        raise error   # not a fault of the database's state: the 500 page (and its log)
    _rollback()
    if kind == "unavailable" and getattr(error, "connection_invalidated", False) \
            and _retry_read():
        return "", 503   # thrown away: the read runs once more (boundary.RetryReads)
    log.warning("Database fault (%s) answered with 503: %s", kind,
                str(getattr(error, "orig", None) or error).strip().splitlines()[0][:300])
    return fault_page(kind)


def _storage_error(error):
    _rollback()
    log.error("Upload folder fault answered with 503", exc_info=error)
    return fault_page("storage")


def fault_page(kind: str):
    """The 503 page of a fault: what is wrong, that nothing was saved, and a write's form."""
    title, for_write, for_read = FAULTS[kind]
    kept = kept_form() if request.method not in {"GET", "HEAD", "OPTIONS"} else None
    body = _render(503, title, for_write if kept is not None else for_read, kept=kept,
                   minimal=kind == "unavailable")
    headers = {"Cache-Control": "no-store"}
    if kind in RETRY_AFTER:
        headers["Retry-After"] = RETRY_AFTER[kind]
    return body, 503, headers


# Fields whose short values are still the person's writing (a one-word comment, a name).
TEXT_NAMES = frozenset({"body", "text", "comment", "reply", "response", "message", "quote",
                        "title", "name", "email", "summary", "change_summary", "notes", "note",
                        "reason", "agenda", "minutes", "description", "location", "place"})
_CONTROL_VALUE = re.compile(r"^\S{0,39}$")   # ids, numbers, choices, "y": sent as they were


def kept_form() -> dict:
    """Pure of the request: the posted fields to show again. Text (any value with a space or a
    line break, 40 characters or more, or a field named like :data:`TEXT_NAMES`) in text boxes;
    other values as hidden fields, sent again as they were; passwords and files asked for
    again; the CSRF token replaced by a fresh one (the template's)."""
    fields = []
    for name, value in request.form.items(multi=True):
        if name == "csrf_token":
            continue
        if "password" in name.lower():
            kind = "password"
        elif name in TEXT_NAMES or not _CONTROL_VALUE.match(value):
            kind = "text"
        else:
            kind = "hidden"
        fields.append({"name": name, "value": "" if kind == "password" else value, "kind": kind})
    files = sorted({name for name, upload in request.files.items(multi=True)
                    if upload and upload.filename})
    texts = [f for f in fields if f["kind"] == "text"]
    for number, field in enumerate(texts, start=1):
        field["number"], field["count"] = number, len(texts)
    action = request.script_root + request.path   # the same address, never the Host header's
    if request.query_string:
        action += "?" + request.query_string.decode("latin-1")
    return {"action": action, "fields": fields, "files": files}


# --- rendering that survives a database that is down --------------------------------------------

def _render(code, title, message, *, kept=None, minimal=False):
    """The error page in the site layout; in the minimal layout (no signed-in menu, no
    assessment) when the site layout needs the database and the database fails."""
    context = {"code": code, "title": title, "message": message, "kept": kept}
    if not minimal:
        try:
            return render_template("errors/error.html", layout="base.html", **context)
        except SQLAlchemyError:
            log.warning("The error page's layout needs the database; drawing the minimal one",
                        exc_info=True)
    _forget_database_state()
    return render_template("errors/error.html", layout="errors/minimal.html", **context)


def _rollback() -> None:
    from mab.extensions import db
    try:
        db.session.rollback()
    except Exception:   # noqa: BLE001 - a dead connection; the page is drawn without it
        log.warning("Rollback failed while answering an error", exc_info=True)


def _forget_database_state() -> None:
    """What the rest of the request would load from the database: the person (Flask-Login's
    user, used by the layout and the response's headers) and the assessment."""
    from mab.extensions import login_manager
    _rollback()
    g._login_user = login_manager.anonymous_user()
    g.pop("assessment", None)
    g.pop("membership", None)


def _csrf_error(error):
    return error_page(400, _l("Your form expired or was sent from elsewhere. Please reload the page "
                         "and submit it again."))
