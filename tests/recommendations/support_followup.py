"""Helpers of the follow-up tests: a team (tests.validation.support.world: two serving board
members in two groups, a second assessment uz-2023), sample indicators in two ROAM-X
categories, a recommendations draft whose paragraphs have details, circulated and validated
through the services (the round passes), and follow-up updates."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from mab.assessments.models import Assessment, Membership, Role
from mab.audit.models import AuditEvent
from mab.drafts.models import Draft
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.notify.models import OutboxMessage
from mab.recommendations import followup_services as services
from mab.recommendations.models import (
    FollowUpUpdate,
    Priority,
    Recommendation,
    TimeFrame,
    UpdateState,
)
from mab.types import utcnow
from mab.validation.models import ValidationRound
from tests.drafts.support import circulate, import_sample, make_draft, membership_of
from tests.validation import support as validation

A = "/a/kz-2022"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEXTS = [
    "Publish statistics on content removal requests every year.",
    "Extend mobile broadband to every village of more than 500 people.",
    "Fund digital literacy courses for women in rural areas.",
]
VALIDATED_DAYS_AGO = 400


@dataclass
class Followup:
    w: validation.World
    draft: Draft
    version: object
    keys: list            # (draft id, block id) of each recommendation, in order

    @property
    def assessment(self) -> Assessment:
        return self.w.assessment

    @property
    def people(self) -> dict:
        return self.w.people

    def m(self, who) -> Membership:
        return membership_of(self.w.people[who], self.w.assessment)

    @property
    def validated_on(self) -> date:
        return self.assessment.today() - timedelta(days=VALIDATED_DAYS_AGO)

    def url(self, n=0) -> str:
        draft_id, block_id = self.keys[n]
        return f"{A}/recommendations/{draft_id}/{block_id}/follow-up"


def indicators(assessment) -> dict[str, FrameworkItem]:
    """The sample indicators by code (R.5.1, R.5.2, R.7.1 under R; A.3.1, A.3.2, A.6.1 under A)."""
    return {i.code: i for i in db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.INDICATOR))}


def validated_draft(w: validation.World, texts=TEXTS, *, title="Policy recommendations",
                    details=True, days_ago=VALIDATED_DAYS_AGO) -> tuple[Draft, object]:
    """A recommendations draft with ``texts`` as paragraphs, each with details (paragraph n
    addressed to group n % 3 -- the first also to group 1 -- resting on an R indicator for
    even n, an A indicator for odd n, none for every third from n=2...), circulated and
    validated: the serving members endorse, the coordinator closes the round, whose closing
    is then moved ``days_ago`` into the past (so that updates can be dated before today)."""
    assessment = w.assessment
    draft = make_draft(assessment, w.people["researcher"], "\n\n".join(texts), title=title,
                       subject="recommendations")
    version = draft.versions[0]
    if details:
        codes = indicators(assessment)
        for n, block in enumerate(version.blocks):
            groups = [w.groups[n % 3]] + ([w.groups[1]] if n == 0 else [])
            rests = [] if n % 3 == 2 else [codes["R.5.1" if n % 2 == 0 else "A.3.1"]]
            db.session.add(Recommendation(
                version_id=version.id, block_id=block["id"], priority=Priority.HIGH,
                time_frame=TimeFrame.SHORT, responsible=f"Ministry {n + 1}", groups=groups,
                indicators=rests))
        db.session.commit()
    circulate(draft, assessment, w.people["researcher"])
    round_ = validation.open_round(w, version)
    for who in ("board_member", "member2"):
        if who in w.people:
            validation.sign(w, round_, who)
    validation.close(w, round_)
    assert round_.passed
    round_.closed_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return draft, version


def world(texts=TEXTS, **options) -> Followup:
    w = validation.world()
    import_sample(w.assessment, w.people["coordinator"])
    draft, version = validated_draft(w, texts, **options)
    return Followup(w, draft, version, [(draft.id, b["id"]) for b in version.blocks])


def report(f: Followup, who="coordinator", n=0, *, status="in_progress", days_ago=10,
           note="", url="", filename=None, data=None) -> FollowUpUpdate:
    """An update through the service, as the form would send it, committed."""
    draft_id, block_id = f.keys[n]
    with current_app.test_request_context("/"):
        update = services.report_update(
            f.assessment, draft_id, block_id, status=status,
            reported_on=f.assessment.today() - timedelta(days=days_ago), note=note,
            evidence_url=url, filename=filename, data=data, membership=f.m(who))
    db.session.commit()
    return update


def add_updates(assessment, key, statuses, *, start: date, by: Membership,
                state=UpdateState.CONFIRMED) -> list[FollowUpUpdate]:
    """Rows written directly (for the query counts): one update a month from ``start``."""
    rows = [FollowUpUpdate(assessment_id=assessment.id, draft_id=key[0], block_id=key[1],
                           status=status, reported_on=start + timedelta(days=30 * n),
                           note=f"Update {n + 1}", evidence_url="https://example.org/e",
                           state=state, reported_by_id=by.id)
            for n, status in enumerate(statuses)]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def counts() -> dict:
    """Rows a refused action must leave as they were."""
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (FollowUpUpdate, AuditEvent, OutboxMessage)}


def states() -> list[str]:
    return [u.state.value for u in db.session.scalars(
        select(FollowUpUpdate).order_by(FollowUpUpdate.id))]


def sweep_recommendation(assessment, researcher, coordinator) -> dict:
    """For the URL-map sweep (tests/test_url_map_authorisation.py): a validated
    recommendations draft in ``assessment`` (circulated through the services, its round closed
    as passed like the demo's), an update confirmed with a file, and a declined one proposed by
    another member. Returns the ids the grant table names."""
    from mab.drafts import services as draft_services
    from mab.validation import rules as validation_rules
    from mab.validation import services as validation_services

    owner = db.session.scalar(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.user_id == researcher.id))
    draft = draft_services.create_draft(
        assessment, subject="recommendations", item_id=None, title="Follow-up recommendations",
        owner=owner, body="Publish the statistics.\n\nTrain the judges.", actor=researcher)
    version = draft.versions[0]
    draft_services.circulate(version, assessment, message="",
                             deadline=assessment.today() + timedelta(days=14), actor=researcher)
    round_ = validation_services.open_round(version, assessment,
                                            deadline=assessment.today() + timedelta(days=7),
                                            actor=coordinator, end_consultation=True)
    round_.closed_at = utcnow() - timedelta(days=30)
    round_.closed_by_id, round_.passed = coordinator.id, True
    round_.result = {"passed": True, "conditions": []}
    round_.rule = validation_rules.Rule.of(assessment).snapshot()
    db.session.flush()
    block_id = version.blocks[0]["id"]
    lead = db.session.scalar(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.user_id == coordinator.id))
    kept = services.report_update(assessment, draft.id, block_id, status="in_progress",
                                  reported_on=assessment.today() - timedelta(days=3),
                                  note="Statistics for 2023 published.",
                                  evidence_url="https://example.org/stats",
                                  filename="stats.pdf", data=PDF, membership=lead)
    other = db.session.scalar(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.role == Role.BOARD_MEMBER,
        Membership.user_id.not_in([researcher.id, coordinator.id]))
        .order_by(Membership.id.desc()))
    declined = services.report_update(assessment, draft.id, block_id, status="implemented",
                                      reported_on=assessment.today() - timedelta(days=2),
                                      filename="claim.pdf", data=PDF, membership=other)
    services.decline_update(declined, assessment, actor=coordinator)
    proposed = services.report_update(assessment, draft.id, block_id, status="implemented",
                                      reported_on=assessment.today() - timedelta(days=1),
                                      membership=other)
    db.session.flush()
    return {"followup_draft": draft.id, "followup_block": block_id, "update_id": kept.id,
            "declined_update": declined.id, "proposed_update": proposed.id,
            "year": assessment.today().year}


def passed_rounds() -> int:
    return db.session.scalar(select(func.count()).select_from(ValidationRound)
                             .where(ValidationRound.passed.is_(True)))
