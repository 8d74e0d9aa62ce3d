"""Responses that hand a file to the browser (the bytes come from pure modules: mab.csvio).

A large download is a stream: the view returns at once and the body is produced while it is
sent, chunk by chunk (:func:`streamed`), so the first byte leaves in well under a second whatever
the size and a worker never holds the whole file. The request context -- and with it the
database session, the locale and ``g`` -- stays open until the last chunk is sent
(``stream_with_context``); Flask-SQLAlchemy removes the session, and ``mab.boundary`` runs the
request's bookkeeping, only when the stream is closed. An error in the middle is logged with the
request's id and breaks the transfer (the client sees an incomplete download, never a file
that looks whole).
"""
import logging
from collections.abc import Iterable, Iterator

from flask import Response, current_app, request, stream_with_context
from flask_wtf.csrf import generate_csrf

log = logging.getLogger(__name__)

# Given whole as content_type: Flask adds "; charset=utf-8" to a text/* *mimetype* itself, so
# passing it as mimetype would say the charset twice.
CSV_TYPE = "text/csv; charset=utf-8"
ZIP_TYPE = "application/zip"
CHUNK_BYTES = 64 * 1024


def streamed(chunks: Iterable, *, what: str) -> Iterator:
    """``chunks`` sent as they come; the first is made here, in the view, the others while the
    response is sent, inside the request's context (``stream_with_context``).

    With Flask 3.1 the request's teardown has run by then (``mab.boundary``'s bookkeeping, the
    view's session removed): the rest of the stream queries through a new session and must read
    nothing of the objects the view loaded (detached, perhaps expired by the bookkeeping's
    rollback): it is given its queries built and its labels and names made in the view. A
    failure is logged and breaks the transfer.
    """
    iterator = iter(chunks)
    first = next(iterator, None)   # an error before the first byte is an ordinary error page
    rest = stream_with_context(_logged(iterator, what, request.path))

    def send():
        if first is not None:
            yield first   # needs no context: a response never read further holds none
        yield from rest
    return send()


def _logged(chunks: Iterator, what: str, path: str) -> Iterator:
    try:
        yield from chunks
    except GeneratorExit:   # the client went away: nothing to report
        raise
    except Exception:
        log.exception("The %s stopped in the middle (%s)", what, path)
        raise


def buffered(pieces: Iterable[str | bytes], size: int = CHUNK_BYTES) -> Iterator:
    """Small pieces (a template's output) gathered into chunks of about ``size`` characters."""
    held, length = [], 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size:
            yield held[0][:0].join(held)
            held, length = [], 0
    if held:
        yield held[0][:0].join(held)


def attachment(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(data: bytes | Iterable[bytes], filename: str) -> Response:
    """A CSV download (never shown inline): whole bytes, or chunks (``mab.csvio.iter_csv``)
    streamed as they are written."""
    if not isinstance(data, bytes | bytearray):
        data = streamed(data, what="CSV download")
    return Response(data, content_type=CSV_TYPE, headers=attachment(filename))


def html_response(template: str, **context) -> Response:
    """A page rendered while it is sent (Jinja's ``generate``), in chunks of ``CHUNK_BYTES``:
    for a page of every row (the matrix's print view). The CSRF token of the footer's forms is
    made first, while the session cookie can still carry it."""
    generate_csrf()
    app = current_app._get_current_object()
    page = app.jinja_env.get_or_select_template(template)
    app.update_template_context(context)
    return Response(streamed(buffered(page.generate(context)), what=f"page {template}"),
                    content_type="text/html; charset=utf-8")


def zip_response(chunks: Iterable[bytes], filename: str) -> Response:
    """A ZIP download streamed as its members are compressed."""
    return Response(streamed(chunks, what="ZIP download"), content_type=ZIP_TYPE,
                    headers=attachment(filename))
