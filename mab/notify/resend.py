"""Sending again a message whose link only its addressee may see (invitation, password reset)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mab.assessments.models import Membership
from mab.assessments.services import resend_invitation
from mab.auth.models import User
from mab.auth.services import request_password_reset
from mab.errors import DomainError
from mab.extensions import db
from mab.notify.models import OutboxMessage


def resend_secret_message(message: OutboxMessage, *, actor) -> None:
    """A fresh link by email to the same person: nobody but them ever reads it."""
    if message.kind == "password_reset":
        request_password_reset(message.recipient)
        return
    if message.kind == "invitation" and message.assessment_id is not None:
        membership = db.session.scalar(
            select(Membership).join(Membership.user)
            .where(Membership.assessment_id == message.assessment_id,
                   User.email == message.recipient))
        if membership is None:
            raise DomainError(_l("This person is no longer part of the assessment."))
        resend_invitation(membership, actor=actor)
        return
    raise DomainError(_l("This message cannot be sent again."))
