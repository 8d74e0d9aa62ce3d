"""Writing mail to the outbox, and delivering it by SMTP."""
import base64
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import select

from mab.extensions import db
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
        context = {"recipient": to, "assessment": assessment, "base_url": _base_url(), **context}
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


def _base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email: ``BASE_URL`` and the route's path (never the request host)."""
    return _base_url() + url_for(endpoint, **values)


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="mab.local", idstring=f"outbox-{message.id}")
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments or []:
        maintype, _, subtype = attachment["content_type"].partition("/")
        email.add_attachment(base64.b64decode(attachment["data"]), maintype=maintype,
                             subtype=subtype.split(";")[0], filename=attachment["filename"])
    return email


def _connect(config):
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"],
                                timeout=config["MAIL_TIMEOUT"],
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                            timeout=config["MAIL_TIMEOUT"])
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


def deliver_outbox(limit: int = 200) -> dict:
    """Send the messages that are due; record each failure with its error and next attempt.

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
    smtp = None
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
                if smtp is None and connect_error is None:
                    try:
                        smtp = _connect(config)
                    except (OSError, smtplib.SMTPException) as exc:
                        connect_error = exc
                if connect_error is not None:
                    raise connect_error
                smtp.send_message(build_email(message, config["MAIL_DEFAULT_SENDER"]))
            except (OSError, smtplib.SMTPException) as exc:
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
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
    return counts


def retry_message(message: OutboxMessage) -> None:
    """Put a failed message back in the queue for the next delivery run."""
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = utcnow()
