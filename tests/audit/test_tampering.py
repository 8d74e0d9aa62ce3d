"""Tampering with the stored audit trail: an altered, removed or reordered event is found by
verify_chain(), by `flask mab verify-audit` and by the audit page's check, each naming the first
broken event."""
import pytest
from sqlalchemy import delete, select, update

from mab.audit.models import AuditEvent
from mab.audit.rules import event_hash
from mab.audit.services import record_event, verify_chain
from mab.extensions import db
from tests.factories import make_user, team

COLUMNS = ("created_at", "assessment_id", "actor_id", "action", "object_type", "object_id",
           "changes", "prev_hash", "hash")


def chain(n=5, assessment=None):
    actor = make_user()
    for i in range(n):
        record_event(f"test.step{i}", actor=actor, assessment=assessment, object_type="Thing",
                     object_id=i, changes={"n": i, "note": f"step {i}"})
    db.session.commit()
    return [e.id for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def row(event_id) -> dict:
    event = db.session.get(AuditEvent, event_id)
    return {c: getattr(event, c) for c in COLUMNS}


def alter(ids):
    db.session.execute(update(AuditEvent).where(AuditEvent.id == ids[2])
                       .values(changes={"n": 2, "note": "something else"}))
    return ids[2], "content"


def alter_the_actor(ids):
    db.session.execute(update(AuditEvent).where(AuditEvent.id == ids[1]).values(actor_id=None))
    return ids[1], "content"


def delete_a_middle_row(ids):
    db.session.execute(delete(AuditEvent).where(AuditEvent.id == ids[2]))
    # The event after the gap no longer follows the one before it.
    return ids[3], "previous hash"


def swap_contents(ids):
    """Rows 1 and 2 exchange everything but their ids (the hashes go with the content)."""
    a, b = row(ids[1]), row(ids[2])
    db.session.expunge_all()
    # Through a placeholder: the hashes are unique.
    db.session.execute(update(AuditEvent).where(AuditEvent.id == ids[1])
                       .values(prev_hash="x" * 64, hash="y" * 64))
    db.session.execute(update(AuditEvent).where(AuditEvent.id == ids[2]).values(**a))
    db.session.execute(update(AuditEvent).where(AuditEvent.id == ids[1]).values(**b))
    return ids[1], "previous hash"


def swap_ids(ids):
    db.session.execute(update(AuditEvent).where(AuditEvent.id == ids[2]).values(id=10_000))
    db.session.execute(update(AuditEvent).where(AuditEvent.id == ids[1]).values(id=ids[2]))
    db.session.execute(update(AuditEvent).where(AuditEvent.id == 10_000).values(id=ids[1]))
    return ids[1], "previous hash"


def rehash_an_altered_row(ids):
    """Even with its own hash recomputed, an altered event breaks the link to the next one."""
    event = db.session.get(AuditEvent, ids[2])
    event.changes = {"n": 2, "note": "forged"}
    event.hash = event_hash(event.prev_hash, event.payload())
    db.session.flush()
    return ids[3], "previous hash"


TAMPERING = [alter, alter_the_actor, delete_a_middle_row, swap_contents, swap_ids,
             rehash_an_altered_row]


@pytest.mark.parametrize("tamper", TAMPERING, ids=lambda f: f.__name__)
def test_verify_chain_names_the_first_broken_event(app, tamper):
    ids = chain()
    assert verify_chain() is None
    expected_id, reason = tamper(ids)
    db.session.commit()
    db.session.expire_all()
    broken = verify_chain()
    assert broken is not None
    assert broken.event_id == expected_id and reason in broken.reason
    assert broken.position == sorted(
        db.session.scalars(select(AuditEvent.id))).index(expected_id)


@pytest.mark.parametrize("tamper", TAMPERING, ids=lambda f: f.__name__)
def test_the_cli_fails_and_names_the_first_broken_event(app, runner, tamper):
    ids = chain()
    intact = runner.invoke(args=["mab", "verify-audit"])
    assert intact.exit_code == 0 and "intact" in intact.output
    expected_id, reason = tamper(ids)
    db.session.commit()
    result = runner.invoke(args=["mab", "verify-audit"])
    assert result.exit_code != 0
    assert f"broken at event {expected_id} " in result.output and reason in result.output


def test_verification_reads_in_batches_and_still_finds_a_late_break(app):
    ids = chain(12)
    db.session.execute(update(AuditEvent).where(AuditEvent.id == ids[9])
                       .values(action="test.forged"))
    db.session.commit()
    broken = verify_chain(batch=4)
    assert broken.event_id == ids[9] and broken.position == 9
    assert verify_chain(batch=1).event_id == ids[9]


@pytest.mark.parametrize("tamper", [alter, delete_a_middle_row, swap_ids],
                         ids=lambda f: f.__name__)
def test_the_audit_page_check_shows_the_break(client, login, app, tamper):
    assessment, people = team()
    ids = chain(assessment=assessment)
    login(people["coordinator"])
    intact = client.get("/a/kz-2022/audit?verify=1").get_data(as_text=True)
    assert "The chain is intact" in intact
    expected_id, reason = tamper(ids)
    db.session.commit()
    html = client.get("/a/kz-2022/audit?verify=1").get_data(as_text=True)
    assert f"The chain is broken at event {expected_id}: {reason}" in html
    assert "The chain is intact" not in html
    # Without ?verify=1 the page does not run the check.
    assert "The chain is broken" not in client.get("/a/kz-2022/audit").get_data(as_text=True)
