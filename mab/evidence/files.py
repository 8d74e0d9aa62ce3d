"""Files kept beside a row (a source's document, a follow-up update's evidence): checked as
draft attachments are (type by content, size limit with a named reason), stored under
UPLOAD_FOLDER with a random key, and served only by an authorised view, as a download."""
import hashlib
import secrets
from pathlib import Path

from flask import Response, current_app, send_file

from mab.drafts.files import check_upload
from mab.drafts.services import store_file
from mab.evidence.models import StoredFile


def _path(key: str) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / key[:2] / key


def attach(row: StoredFile, filename: str, data: bytes) -> None:
    """Check and store the upload, and describe it on ``row`` (raises RejectedFile saying why).
    The file is removed again if the request's transaction rolls back."""
    name, content_type = check_upload(filename, data,
                                      max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"])
    key = secrets.token_hex(16)
    store_file(_path(key), data)
    row.file_name, row.file_type, row.file_size = name, content_type, len(data)
    row.file_sha256, row.file_key = hashlib.sha256(data).hexdigest(), key


def download(row: StoredFile) -> Response:
    """The file as a download that no browser renders in the page (the caller authorises)."""
    response = send_file(_path(row.file_key), mimetype=row.file_type, as_attachment=True,
                         download_name=row.file_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
