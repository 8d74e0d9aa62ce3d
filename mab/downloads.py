"""Responses that hand a file to the browser (the bytes come from pure modules: mab.csvio)."""
from flask import Response


def csv_response(data: bytes, filename: str) -> Response:
    """A CSV download (never shown inline)."""
    return Response(data, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
