"""A closed validation round of the demo, as the coordinator would have opened and closed it."""
from sqlalchemy import select

from mab.assessments.models import Assessment
from mab.auth.models import User
from mab.extensions import db


def closed_round(assessment: Assessment, version, *, opened, deadline, closed, decisions: dict):
    """A round on ``version`` opened by the coordinator at ``opened`` and closed at ``closed``:
    every active member but the last two signed (the n-th as ``decisions[n]`` gives, else
    endorsed), two days after the opening and on in turn; the outcome computed as closing does."""
    from datetime import timedelta

    from mab.board.queries import rule_groups
    from mab.validation import rules, services
    from mab.validation.models import SignDecision, SignOff, ValidationRound

    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    round_ = ValidationRound(assessment_id=assessment.id, version=version,
                             version_sha256=version.sha256, deadline=deadline,
                             rule=rules.Rule.of(assessment).snapshot(),
                             opened_by_id=coordinator.id, opened_at=opened)
    db.session.add(round_)
    members = services.active_members(assessment)
    # One member of every group first, so that leaving the last two out keeps every group in.
    seen: set = set()
    firsts = [m for m in members if not (m.group_id in seen or seen.add(m.group_id))]
    members = firsts + [m for m in members if m not in firsts]
    for n, member in enumerate(members[:-2]):
        decision, statement = decisions.get(n, (SignDecision.ENDORSE, ""))
        db.session.add(SignOff(round=round_, membership=member, decision=decision,
                               statement=statement, version_sha256=version.sha256,
                               created_at=opened + timedelta(days=2 + n % 5)))
    db.session.flush()
    groups = {g.id: g.name for g in rule_groups(assessment)}
    result = services.compute(round_, assessment, groups)
    round_.closed_at, round_.closed_by_id = closed, coordinator.id
    round_.passed, round_.result = result.passed, rules.as_dict(result)
    return round_
