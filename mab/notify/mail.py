"""Flask-Mail, shaped for MAB's outbox: the MIME layout calendar programs expect, a timeout and
verified TLS on the connection.

Flask-Mail sends (``Connection``, its SMTP settings, its ``email_dispatched`` signal); two small
subclasses fill what it cannot express:

``OutboxEmail`` (a ``flask_mail.Message``) builds the MIME tree with Python's ``email`` package,
because Flask-Mail always puts the alternatives in a ``multipart/mixed`` and can give no
alternative part a parameter such as ``method=``. The layout of an invitation, update or
cancellation is the one Google Calendar, Yahoo and Thunderbird send, which Outlook, Gmail,
Thunderbird and Apple Mail all recognise as an invitation::

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8
        text/html; charset=utf-8
        text/calendar; method=REQUEST|CANCEL; charset=UTF-8      <- what clients act on
      application/ics; name=meeting.ics (attachment)            <- the same bytes, to save

* RFC 5545 section 8.1 (the ``text/calendar`` registration) and RFC 6047 section 2.4: the
  ``method`` parameter MUST be present and equal the ``METHOD`` inside the body; the method
  therefore comes from the iCalendar body itself, never from what the caller labelled.
* [MS-OXCMAIL] 2.1.3.3.8.2: Exchange/Outlook writes a meeting message as ``multipart/alternative``
  of text/plain, text/html and text/calendar, and reads the text/calendar alternative.
* Clients that look for the invitation among the attachments only (older Apple Mail and
  Outlook for Mac) find it in the attached copy; that copy is ``application/ics`` as in Gmail's
  own invitations, so no client shows two invitations for one message.

Any other attachment goes after the alternatives in the ``multipart/mixed``; a message without
attachments is a plain ``multipart/alternative`` of text and HTML.
"""
import re
import smtplib
import ssl
from datetime import datetime, timezone
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime, parseaddr

from flask_mail import Connection, Message

# 7bit: bodies go base64 or quoted-printable, so a relay without 8BITMIME passes them unchanged;
# headers with non-ASCII text are RFC 2047 encoded words (the SMTP policy's utf8=False).
MAIL_POLICY = policy.SMTP.clone(cte_type="7bit")

_METHOD_RE = re.compile(rb"^METHOD:([A-Za-z-]+)\r?$", re.MULTILINE)


def calendar_method(data: bytes) -> str | None:
    """The iTIP method of an iCalendar stream (``REQUEST``, ``CANCEL``...), or None."""
    match = _METHOD_RE.search(data)
    return match.group(1).decode("ascii").upper() if match else None


class OutboxEmail(Message):
    """A Flask-Mail message whose MIME tree is built by ``email.message.EmailMessage``.

    ``calendar`` (bytes of an iCalendar stream with a METHOD) becomes the ``text/calendar``
    alternative and the attached copy; ``attachments`` are Flask-Mail ``Attachment`` objects.
    """

    def __init__(self, *args, from_name: str = "", message_id: str = "",
                 calendar: bytes | None = None, calendar_filename: str = "invite.ics", **kwargs):
        super().__init__(*args, **kwargs)
        self.from_name = from_name
        if message_id:
            self.msgId = message_id
        self.calendar = calendar
        self.calendar_filename = calendar_filename

    def _sender_header(self) -> Address:
        name, address = parseaddr(self.sender if isinstance(self.sender, str)
                                  else f"{self.sender[0]} <{self.sender[1]}>")
        username, _, domain = address.rpartition("@")
        return Address(display_name=self.from_name or name, username=username, domain=domain)

    def _alternatives(self) -> EmailMessage:
        body = EmailMessage(policy=MAIL_POLICY)
        body.set_content(self.body or "", subtype="plain", charset="utf-8")
        if self.html:
            body.add_alternative(self.html, subtype="html", charset="utf-8")
        if self.calendar is not None:
            method = calendar_method(self.calendar)
            if not self.html:
                body.make_alternative()
            part = MIMEPart(policy=MAIL_POLICY)
            part.set_content(self.calendar.decode("utf-8"), subtype="calendar", charset="utf-8")
            part.replace_header("Content-Type", f"text/calendar; method={method}; charset=UTF-8")
            body.attach(part)
        return body

    def _message(self) -> EmailMessage:  # type: ignore[override]
        msg = self._alternatives()
        extra = list(self.attachments)
        if self.calendar is not None:
            msg.make_mixed()
            msg.add_attachment(self.calendar, maintype="application", subtype="ics",
                               filename=self.calendar_filename,
                               params={"name": self.calendar_filename})
        elif extra:
            msg.make_mixed()
        for attachment in extra:
            maintype, _, subtype = attachment.content_type.partition("/")
            data = attachment.data if isinstance(attachment.data, bytes) \
                else attachment.data.encode("utf-8")
            msg.add_attachment(data, maintype=maintype, subtype=subtype.split(";")[0].strip(),
                               filename=attachment.filename)
        for part in msg.walk():
            if part is not msg:
                del part["MIME-Version"]   # the top level's alone (RFC 2045 section 4)
        msg["Subject"] = self.subject   # RFC 2047 encoded words where not ASCII
        msg["From"] = self._sender_header()
        msg["To"] = ", ".join(str(r) for r in self.recipients)
        msg["Date"] = format_datetime(datetime.fromtimestamp(self.date, timezone.utc))
        msg["Message-ID"] = self.msgId
        # RFC 3834: sent by a program; vacation responders should not answer it.
        msg["Auto-Submitted"] = "auto-generated"
        for key, value in (self.extra_headers or {}).items():
            msg[key] = value
        return msg


class SMTPConnection(Connection):
    """Flask-Mail's connection with MAIL_TIMEOUT and certificate-verified TLS (Flask-Mail's own
    opens SMTP without a timeout and starts TLS without checking the server's certificate)."""

    def __init__(self, mail, timeout: float):
        super().__init__(mail)
        self.timeout = timeout

    def configure_host(self):
        context = ssl.create_default_context()
        if self.mail.use_ssl:
            host = smtplib.SMTP_SSL(self.mail.server, self.mail.port, timeout=self.timeout,
                                    context=context)
        else:
            host = smtplib.SMTP(self.mail.server, self.mail.port, timeout=self.timeout)
            if self.mail.use_tls:
                host.starttls(context=context)
        if self.mail.username:
            host.login(self.mail.username, self.mail.password or "")
        return host

    def __exit__(self, exc_type, exc_value, tb):
        try:
            super().__exit__(exc_type, exc_value, tb)
        except (OSError, smtplib.SMTPException):
            pass   # the server went away; what was sent is recorded already
