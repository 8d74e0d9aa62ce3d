"""Writing mail to the outbox, and delivering it through Flask-Mail."""
import base64
import ipaddress
import smtplib
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Attachment, BadHeaderError
from sqlalchemy import select

from mab.assessments.models import Assessment
from mab.extensions import db
from mab.links import absolute_url, base_parts
from mab.notify.mail import OutboxEmail, SMTPConnection, calendar_method
from mab.notify.models import OutboxMessage, OutboxStatus
from mab.notify.rules import gives_up, next_attempt
from mab.types import utcnow


def queue_email(*, to, template: str, subject: str, assessment=None, attachments=None,
                language: str | None = None, secret: bool = False, **context) -> OutboxMessage:
    """Render ``templates/email/<template>.txt|.html`` in the recipient's language and queue it.

    ``to`` is a User or an address; ``subject`` is a lazy or plain string rendered in the same
    language. ``secret`` marks a message whose link sets a password or claims an account: the
    outbox page never shows that link to anyone else. The caller's transaction commits the message together with the action behind it.
    """
    address = getattr(to, "email", to)
    locale = language or getattr(to, "language", None) or "en"
    with force_locale(locale):
        context = {"recipient": to, "assessment": assessment, "base_url": _base_url(),
                   "reader_tz": reader_timezone(to, assessment), **context}
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
        subject_text = str(subject)
    message = OutboxMessage(
        assessment_id=assessment.id if assessment is not None else None,
        kind=template, recipient=address, subject=subject_text, secret=secret,
        body_text=text, body_html=html,
        attachments=[{"filename": a["filename"], "content_type": a["content_type"],
                      "data": base64.b64encode(a["data"]).decode("ascii")}
                     for a in (attachments or [])],
        status=OutboxStatus.PENDING, next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def reader_timezone(to, assessment=None) -> str:
    """The zone an email gives times in: the recipient's own when set on their account, else the
    assessment's (the email names the assessment's zone beside it when the two differ)."""
    return (getattr(to, "timezone", None) or (assessment.timezone if assessment is not None
                                               else None) or "UTC")


def _base_url() -> str:
    scheme, host, prefix = base_parts(current_app.config["BASE_URL"])
    return f"{scheme}://{host}{prefix}"


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email: ``BASE_URL`` and the route's path (never the request host;
    mab.links.absolute_url, the one builder of absolute links)."""
    return absolute_url(endpoint, **values)


def message_domain(config, sender_address: str) -> str:
    """The right-hand side of Message-IDs: BASE_URL's host when it is a real name, else the
    sender's domain (``localhost`` or an IP address would say nothing about who sent it)."""
    host = urlsplit(config["BASE_URL"]).hostname or ""
    if "." in host and not _is_ip(host):
        return host
    return sender_address.rpartition("@")[2] or "localhost"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def from_name(configured: str, assessment_title: str | None) -> str:
    """The From display name: "<assessment title> (MAB)" for an assessment's mail, so a person in
    several assessments sees which one writes; the configured name alone otherwise."""
    if not assessment_title:
        return configured
    title = assessment_title if len(assessment_title) <= 60 else assessment_title[:59] + "…"
    return f"{title} ({configured})" if configured else title


def build_email(message: OutboxMessage, config) -> OutboxEmail:
    """The Flask-Mail message for an outbox row (see mab/notify/mail.py for the MIME layout)."""
    sender = config["MAIL_DEFAULT_SENDER"]
    name, address = parseaddr(sender)
    title = None
    if message.assessment_id is not None:
        assessment = db.session.get(Assessment, message.assessment_id)
        title = assessment.title if assessment is not None else None
    created = int(message.created_at.timestamp()) if message.created_at else 0
    calendar, calendar_filename, attachments = None, "invite.ics", []
    for item in message.attachments or []:
        data = base64.b64decode(item["data"])
        if calendar is None and item["content_type"].startswith("text/calendar") \
                and calendar_method(data):
            # An iTIP message (METHOD:REQUEST or CANCEL inside): the calendar alternative.
            calendar, calendar_filename = data, item["filename"]
        else:
            attachments.append(Attachment(item["filename"], item["content_type"], data))
    return OutboxEmail(
        subject=message.subject, recipients=[message.recipient], sender=sender,
        body=message.body_text, html=message.body_html or None, attachments=attachments,
        from_name=from_name(name, title),
        # The same ID on every attempt, so a client that got a retried message twice merges them.
        message_id=f"<mab.outbox.{message.id}.{created}@{message_domain(config, address)}>",
        calendar=calendar, calendar_filename=calendar_filename)


def deliver_outbox(limit: int = 200) -> dict:
    """Send the messages that are due through Flask-Mail, over one SMTP connection; record each
    failure with its error and next attempt.

    Commits after every message, so a crash never re-sends what was delivered nor forgets a
    failure. Returns counts: sent, failed (will retry), gave_up, waiting (not yet due).
    """
    config = current_app.config
    counts = {"sent": 0, "failed": 0, "gave_up": 0}
    if not config["MAIL_SERVER"]:
        counts["unsent_no_server"] = db.session.scalar(
            select(db.func.count()).select_from(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING))
        return counts
    state = current_app.extensions["mail"]
    connection = None
    connect_error = None
    try:
        for _ in range(limit):
            # One message per transaction, locked so a second worker skips it.
            message = db.session.scalar(
                select(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.PENDING,
                       OutboxMessage.next_attempt_at <= utcnow())
                .order_by(OutboxMessage.id).limit(1).with_for_update(skip_locked=True))
            if message is None:
                break
            try:
                if connection is None and connect_error is None:
                    try:
                        connection = SMTPConnection(state, timeout=config["MAIL_TIMEOUT"])
                        connection.__enter__()
                    except (OSError, smtplib.SMTPException) as exc:
                        connection, connect_error = None, exc
                if connect_error is not None:
                    raise connect_error
                connection.send(build_email(message, config))
            # ValueError too (e.g. an address that cannot be encoded): recorded on its message
            # like any failure, so one bad message never blocks the queue behind it.
            except (OSError, smtplib.SMTPException, BadHeaderError, ValueError) as exc:
                if isinstance(exc, smtplib.SMTPServerDisconnected) and connection is not None:
                    connection.host = None   # reconnect for the next message
                    connection = None
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if gives_up(message.attempts, config["OUTBOX_MAX_ATTEMPTS"]):
                    message.status = OutboxStatus.FAILED
                    counts["gave_up"] += 1
                else:
                    message.next_attempt_at = next_attempt(utcnow(), message.attempts)
                    counts["failed"] += 1
            else:
                message.attempts += 1
                message.status = OutboxStatus.SENT
                message.sent_at = utcnow()
                message.last_error = None
                counts["sent"] += 1
            db.session.commit()
    finally:
        if connection is not None:
            connection.__exit__(None, None, None)
    return counts


def retry_message(message: OutboxMessage) -> None:
    """Put a failed message back in the queue for the next delivery run."""
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = utcnow()
