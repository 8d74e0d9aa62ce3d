from sqlalchemy import select, update

from mab.audit.models import AuditEvent
from mab.audit.rules import GENESIS, event_hash, first_break
from mab.audit.services import record_event, verify_chain
from mab.extensions import db
from tests.factories import make_assessment, make_user


def test_pure_chain_detects_changed_content_and_reordering():
    p1 = {"action": "a"}
    h1 = event_hash(GENESIS, p1)
    p2 = {"action": "b"}
    h2 = event_hash(h1, p2)
    assert first_break([(1, GENESIS, h1, p1), (2, h1, h2, p2)]) is None
    broken = first_break([(1, GENESIS, h1, p1), (2, h1, h2, {"action": "c"})])
    assert broken.event_id == 2 and "content" in broken.reason
    assert first_break([(2, h1, h2, p2), (1, GENESIS, h1, p1)]).position == 0


def test_events_are_chained_and_verify(app):
    actor = make_user()
    assessment = make_assessment()
    first = record_event("assessment.created", assessment, actor=actor, assessment=assessment,
                         changes={"title": assessment.title})
    second = record_event("assessment.renamed", assessment, actor=actor, assessment=assessment)
    db.session.commit()
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert (first.object_type, first.object_id) == ("Assessment", str(assessment.id))
    assert verify_chain() is None


def test_tampering_is_detected_by_the_cli(app, runner):
    actor = make_user()
    for i in range(3):
        record_event("test.event", actor=actor, object_type="Thing", object_id=i,
                     changes={"n": i})
    db.session.commit()
    assert runner.invoke(args=["mab", "verify-audit"]).exit_code == 0
    second = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[1]
    db.session.execute(update(AuditEvent).where(AuditEvent.id == second.id)
                       .values(changes={"n": 99}))
    db.session.commit()
    result = runner.invoke(args=["mab", "verify-audit"])
    assert result.exit_code == 1 and f"event {second.id}" in result.output


def test_every_account_change_is_audited(client, login):
    user = login(make_user())
    db.session.commit()
    client.post("/account", data={"name": "New name", "language": "ru", "gender": ""})
    event = db.session.scalars(select(AuditEvent)).one()
    assert event.action == "account.profile_updated" and event.actor_id == user.id
    assert event.changes["name"][1] == "New name"
