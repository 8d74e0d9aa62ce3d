"""Reading what the app wrote, shared by the feature tests: row counts, the outbox, audit events."""
from sqlalchemy import func, select

from mab.audit.models import AuditEvent
from mab.extensions import db
from mab.notify.models import OutboxMessage


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def last_mail_id() -> int:
    return db.session.scalar(select(func.max(OutboxMessage.id))) or 0


def mail(since=0, kind=None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.id > since).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def events(action) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()
