"""Signed links: RSVP from an email (per invitation) and the personal calendar feed (per user)."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def rsvp_token(invitation) -> str:
    return _serializer("mab-rsvp").dumps([invitation.id, invitation.meeting_id])


def read_rsvp_token(token: str) -> tuple[int, int] | None:
    try:
        invitation_id, meeting_id = _serializer("mab-rsvp").loads(token)
        return int(invitation_id), int(meeting_id)
    except (BadSignature, ValueError, TypeError):
        return None


def calendar_token(user) -> str:
    return _serializer("mab-calendar").dumps([user.id, user.calendar_version])


def read_calendar_token(token: str) -> tuple[int, int] | None:
    try:
        user_id, version = _serializer("mab-calendar").loads(token)
        return int(user_id), int(version)
    except (BadSignature, ValueError, TypeError):
        return None
