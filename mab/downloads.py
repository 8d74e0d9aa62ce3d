"""Responses that hand a file to the browser (the bytes come from pure modules: mab.csvio)."""
from flask import Response

# Given whole as content_type: Flask adds "; charset=utf-8" to a text/* *mimetype* itself, so
# passing it as mimetype would say the charset twice.
CSV_TYPE = "text/csv; charset=utf-8"


def csv_response(data: bytes, filename: str) -> Response:
    """A CSV download (never shown inline)."""
    return Response(data, content_type=CSV_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
