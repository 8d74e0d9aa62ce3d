"""The single way every feature writes to the audit trail."""
from sqlalchemy import func, select, text

from mab.audit.anchor import Anchor, AnchorCheck, check_anchor
from mab.audit.models import AuditEvent
from mab.audit.rules import GENESIS, event_hash, first_break
from mab.extensions import db
from mab.types import utcnow


def _serialisable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_serialisable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _serialisable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record_event(action: str, obj=None, *, actor=None, assessment=None,
                 changes: dict | None = None, object_type: str | None = None,
                 object_id=None) -> AuditEvent:
    """Append an event to the chain in the caller's transaction (flushes, never commits)."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appenders so two transactions never read the same chain tail.
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
    if obj is not None and getattr(obj, "id", None) is None:
        session.flush()
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        created_at=utcnow(),
        assessment_id=assessment.id if assessment is not None else None,
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=object_type or (type(obj).__name__ if obj is not None else "system"),
        object_id=str(object_id if object_id is not None else getattr(obj, "id", "") or "") or None,
        changes=_serialisable(changes or {}),
        prev_hash=prev or GENESIS,
    )
    event.hash = event_hash(event.prev_hash, event.payload())
    session.add(event)
    session.flush()
    return event


def verify_chain(batch: int = 1000):
    """Recompute the chain from the start; return the first ``ChainBreak`` or None."""

    def rows():
        last_id = 0
        while True:
            chunk = db.session.scalars(select(AuditEvent).where(AuditEvent.id > last_id)
                                       .order_by(AuditEvent.id).limit(batch)).all()
            if not chunk:
                return
            for event in chunk:
                yield event.id, event.prev_hash, event.hash, event.payload()
            last_id = chunk[-1].id
            db.session.expunge_all()

    return first_break(rows())


def chain_head() -> Anchor:
    """The chain's newest hash and its length now (GENESIS and 0 when it is empty)."""
    count = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    head = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return Anchor(head=head or GENESIS, count=count, at=utcnow())


def hash_at(position: int) -> str | None:
    """The hash of the ``position``-th event of the chain (1-based; GENESIS for 0)."""
    if position == 0:
        return GENESIS
    return db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id)
                             .offset(position - 1).limit(1))


def check_against(anchor: Anchor) -> AnchorCheck:
    """Does the chain still reach the anchor's head, at the same position?"""
    count_now = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return check_anchor(anchor, count_now, hash_at(anchor.count))


def position_of(head: str) -> int | None:
    """The 1-based position of the event with hash ``head``, or None if the chain lacks it."""
    if head == GENESIS:
        return 0
    event_id = db.session.scalar(select(AuditEvent.id).where(AuditEvent.hash == head))
    if event_id is None:
        return None
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.id <= event_id))
