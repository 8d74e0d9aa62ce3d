"""The request boundary: one transaction per request, in the spirit of Indico's ``RH.process()``.

A view under :func:`transactional` (``assessment_view`` applies it to every assessment view)
runs as one unit of work:

- it returns normally: the boundary commits once, for a POST (PUT, PATCH, DELETE); a GET, HEAD
  or OPTIONS never commits (what it may have changed is dropped with the session);
- it raises anything (``abort(404)`` included): the boundary rolls back and lets it go on.

Views and services never commit or roll back. Audit events and outbox rows written by a service
are flushed in the same session, so they commit with the action or not at all.

A refused action (:class:`mab.errors.DomainError`) is turned into what the view declares, with
one of these blocks around the service call; each rolls back first, so nothing the service
flushed survives::

    with boundary.form_errors(form, "title"):       # the field error; the view re-renders (422)
        meeting = services.schedule_meeting(...)
        flash(_("The meeting is scheduled."), "success")
        return redirect(...)
    return render_template(...), 422 if form.errors else 200

    with boundary.flash_errors():                   # a flash; the view redirects
        services.cancel_meeting(...)
        flash(_("The meeting is cancelled."), "success")
    return redirect(...)

    with boundary.domain_errors(EditConflict) as failed:   # anything else: look at failed.error
        ...

Bookkeeping that a page may write while it is read ("who opened this version", a session's
"last seen") goes through :func:`bookkeeping`: its own short transaction, apart from the
request's, whose failure is logged and never turns the read into an error.

Faults (issue 17):

- on SQLite a write request takes the write lock first (``BEGIN IMMEDIATE``, :func:`begin_write`)
  and waits its turn for it (``DATABASE_BUSY_TIMEOUT_MS``) before it reads anything; a lock that
  outlasts the wait becomes the 503 "busy" page that keeps the person's text (mab.errors);
- a read (GET, HEAD) that meets a connection dropped by a database restart is run once more, on
  a fresh connection (:class:`RetryReads`);
- a file written for a row that is then not stored (the request rolls back) is removed
  (:func:`remove_on_rollback`).
"""
import logging
from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

from flask import flash, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from mab.errors import RETRY_KEY, DomainError
from mab.extensions import db

log = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def transactional(view):
    """Run ``view`` as one unit of work: commit once on a normal return (never for a read),
    roll back on any exception."""
    if getattr(view, "__boundary__", False):
        return view

    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            if request.method not in READ_METHODS:
                begin_write()
            response = view(*args, **kwargs)
            if request.method not in READ_METHODS:
                db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        return response

    wrapped.__boundary__ = True
    return wrapped


def begin_write() -> None:
    """SQLite: start a write request's transaction with ``BEGIN IMMEDIATE``. It waits its turn
    for the write lock (up to the busy timeout) before the view reads anything, so what the view
    checks and what it writes are one serialized unit, and a request that must wait does so
    before doing any work. Without it Python's sqlite3 begins a deferred transaction at the
    first INSERT or UPDATE, after the view's checks ran outside any transaction; and a deferred
    transaction that has read is refused its upgrade at once ("database is locked", whatever the
    timeout) when another writer committed meanwhile. PostgreSQL needs nothing."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    if not raw.in_transaction:   # the session may already have written (a test's own flush)
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Outcome:
    """How a guarded block ended: ``error`` is the refusal it raised, or None."""

    error: Exception | None = None

    def __bool__(self) -> bool:
        return self.error is None


@contextmanager
def domain_errors(*kinds: type[Exception]):
    """Catch a refusal (``DomainError`` unless ``kinds`` say otherwise) raised inside the block,
    roll back what the block wrote, and keep the error in ``outcome.error``."""
    outcome = Outcome()
    try:
        yield outcome
    except (kinds or (DomainError,)) as error:
        db.session.rollback()
        outcome.error = error


@contextmanager
def form_errors(form, field: str):
    """A ``DomainError`` inside the block becomes an error of the form's field named by the
    error (``DomainError(message, field=...)``), else of ``field``; the work is rolled back."""
    with domain_errors() as outcome:
        yield outcome
    if outcome.error is not None:
        add_field_error(form, outcome.error.field or field, outcome.error.message, default=field)


@contextmanager
def flash_errors(category: str = "error"):
    """A ``DomainError`` inside the block becomes a flash message; the work is rolled back."""
    with domain_errors() as outcome:
        yield outcome
    if outcome.error is not None:
        flash(str(outcome.error.message), category)


def add_field_error(form, name: str, message, *, default: str | None = None) -> None:
    """Show ``message`` under the field ``name`` (or ``default`` when the form has no such
    field); the form then counts as failed (``form.errors``)."""
    field = form._fields.get(name) or form._fields[default or name]
    field.errors = [*field.errors, message]


def bookkeeping(write: Callable[[Session], object], *, what: str, now: bool = False) -> None:
    """Run ``write(session)`` in its own short transaction, committed apart from the request's.

    For what a read records on the side ("who opened what", "last seen"): it is idempotent, may
    run concurrently, and its failure (a busy SQLite file, a lost race) is logged and swallowed.

    In a request it runs when the request ends (:func:`register`'s teardown), once the response
    is built and the request's own transaction is over: a request never holds two connections
    at once (sixty readers at once must not wait on each other for a second one), and the page
    is not reloaded because of it. ``now=True`` runs it at once, for a page that shows what it
    writes; a read request's transaction is ended first (it keeps nothing), for the same reason.
    """
    if has_request_context() and not now:
        g.setdefault("_bookkeeping", []).append((write, what))
        return
    if now and has_request_context() and request.method in READ_METHODS:
        db.session.rollback()
    _run(write, what)


def _run(write, what) -> bool:
    session = Session(db.engine, expire_on_commit=False)
    try:
        with session.begin():
            write(session)
    except Exception:   # noqa: BLE001 - bookkeeping never fails the page
        log.warning("Bookkeeping not recorded: %s", what, exc_info=True)
        return False
    finally:
        session.close()
    return True


def _finish_request(exc=None) -> None:
    pending = g.pop("_bookkeeping", None)
    if not pending:
        return
    try:   # the request's work is committed or dropped by now: free its connection
        db.session.rollback()
    except Exception:   # noqa: BLE001 - a dead connection: the bookkeeping takes another
        log.warning("Rollback before bookkeeping failed", exc_info=True)
    for write, what in pending:
        _run(write, what)


def register(app) -> None:
    """Run the bookkeeping a request queued when it ends; run a read once more after a dropped
    connection; remove the files of rows that were not stored."""
    app.teardown_request(_finish_request)
    app.wsgi_app = RetryReads(app.wsgi_app)
    _listen_for_files()


# --- a read after a database restart ------------------------------------------------------------

class RetryReads:
    """WSGI middleware: a GET or HEAD whose connection was dropped under it (the database
    restarted: the pooled connection is dead) runs once more, from the start, on a fresh
    connection. Reads change nothing, so running one twice is safe; a write is never repeated
    (its person gets the 503 page with their text, see mab.errors)."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD", "GET") not in {"GET", "HEAD"}:
            return self.wsgi_app(environ, start_response)
        first = dict(environ)
        first[RETRY_KEY] = "first"
        started = []

        def hold(status, headers, exc_info=None):
            started[:] = [status, headers, exc_info]
            return lambda data: None   # MAB never writes through write()

        body = self.wsgi_app(first, hold)
        if first.get(RETRY_KEY) != "again":
            start_response(*started)
            return body
        if hasattr(body, "close"):
            body.close()
        log.warning("A read met a dropped database connection; running it once more")
        environ[RETRY_KEY] = "retried"
        return self.wsgi_app(environ, start_response)


# --- files of rows that were not stored --------------------------------------------------------

FILES_KEY = "mab.files_if_rolled_back"


def remove_on_rollback(path: Path, session: Session | None = None) -> None:
    """Remove ``path`` if the transaction that stores its row is rolled back (a refusal, a
    database error, a failed commit); keep it once committed."""
    (session or db.session()).info.setdefault(FILES_KEY, []).append(Path(path))


def _forget_files(session) -> None:
    session.info.pop(FILES_KEY, None)


def _remove_files(session, transaction) -> None:
    """The outermost transaction ended (after_commit has taken its files): rolled back, or
    closed without a commit."""
    if transaction.parent is not None:
        return
    for path in session.info.pop(FILES_KEY, []):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.warning("Could not remove %s, whose row was not stored", path, exc_info=True)


def _listen_for_files() -> None:
    if not event.contains(Session, "after_commit", _forget_files):
        event.listen(Session, "after_commit", _forget_files)
        event.listen(Session, "after_transaction_end", _remove_files)


def _insert(session: Session, model, values: dict):
    """The dialect's INSERT (PostgreSQL or SQLite), which knows ``ON CONFLICT``."""
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    return insert(model).values(**values)


def insert_if_absent(session: Session, model, values: dict, *, unique: tuple[str, ...]) -> None:
    """``INSERT ... ON CONFLICT (unique) DO NOTHING``: a row that exists already, or that a
    concurrent request inserts first, is left as it is (PostgreSQL and SQLite)."""
    session.execute(_insert(session, model, values).on_conflict_do_nothing(index_elements=unique))


def upsert(session: Session, model, values: dict, *, unique: tuple[str, ...]) -> None:
    """``INSERT ... ON CONFLICT (unique) DO UPDATE``: the row gets ``values`` whether it existed
    or a concurrent request inserted it first (PostgreSQL and SQLite)."""
    statement = _insert(session, model, values)
    session.execute(statement.on_conflict_do_update(
        index_elements=unique,
        set_={name: statement.excluded[name] for name in values if name not in unique}))
