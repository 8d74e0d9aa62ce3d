"""The board import preview, signed (itsdangerous) so that confirming imports exactly the file
that was previewed, in the same assessment, within a day."""
import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

PREVIEW_MAX_AGE = 24 * 3600   # seconds


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="mab-board-import")


def _fingerprint(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()


def sign_preview(payload: str, assessment_id: int) -> str:
    """The digest the confirmation form carries beside the (base64) file it previewed."""
    return _serializer().dumps([assessment_id, _fingerprint(payload)])


def preview_is_genuine(payload: str, digest: str, assessment_id: int, *,
                       max_age: int = PREVIEW_MAX_AGE) -> bool:
    try:
        signed_for, fingerprint = _serializer().loads(digest, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return False
    return signed_for == assessment_id and hmac.compare_digest(str(fingerprint),
                                                               _fingerprint(payload))
