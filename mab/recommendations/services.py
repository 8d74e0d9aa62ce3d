"""Use cases of the recommendations register: add a recommendation (a paragraph of a
recommendations draft, written through the draft's own services, so it is versioned,
circulated, commented and validated with the draft) and set its details; the details'
carry-over into each new version. They change rows, audit and flush; the boundary commits."""
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mab.assessments.models import Assessment, Membership, Role
from mab.audit.services import record_event
from mab.board.models import StakeholderGroup
from mab.drafts import services as draft_services
from mab.drafts.models import Draft, DraftVersion, Subject
from mab.drafts.paragraphs import split_blocks
from mab.errors import DomainError
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.loaders import in_assessment
from mab.recommendations import rules
from mab.recommendations.details import carry_over, version_digest
from mab.recommendations.models import Priority, Recommendation, TimeFrame

__all__ = ["add_recommendation", "set_details", "revise_details", "carry_over",
           "version_digest", "recommendations_draft", "RESPONSIBLE_MAX"]

RESPONSIBLE_MAX = 300


def _ids(values, field: str, message) -> set[int]:
    ids = set()
    for value in values or ():
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            raise DomainError(message, field=field) from None
    return ids


def _scoped(model, values, where, field: str, message) -> list:
    ids = _ids(values, field, message)
    if not ids:
        return []
    rows = db.session.scalars(select(model).where(model.id.in_(ids), *where)).all()
    if len(rows) != len(ids):
        raise DomainError(message, field=field)
    return rows


class Choices:
    """The details as checked: the assessment's own groups, indicators of its framework,
    findings among its drafts, a priority and a time frame of the lists."""

    def __init__(self, assessment: Assessment, *, group_ids, indicator_ids, finding_ids,
                 priority, time_frame, responsible):
        self.groups = _scoped(
            StakeholderGroup, group_ids, [StakeholderGroup.assessment_id == assessment.id],
            "groups", _l("Choose the addressees among this assessment's stakeholder groups."))
        self.indicators = _scoped(
            FrameworkItem, indicator_ids,
            [FrameworkItem.framework_id == assessment.framework_id,
             FrameworkItem.kind == ItemKind.INDICATOR],
            "indicators", _l("Choose indicators of this assessment's framework."))
        self.findings = _scoped(
            Draft, finding_ids,
            [Draft.assessment_id == assessment.id, Draft.subject != Subject.RECOMMENDATIONS],
            "findings", _l("Choose findings among this assessment's drafts."))
        try:
            self.priority = Priority(priority or Priority.MEDIUM)
        except ValueError:
            raise DomainError(_l("Choose a priority from the list."), field="priority") from None
        try:
            self.time_frame = TimeFrame(time_frame or TimeFrame.MEDIUM)
        except ValueError:
            raise DomainError(_l("Choose a time frame from the list."),
                              field="time_frame") from None
        self.responsible = " ".join((responsible or "").split())
        if len(self.responsible) > RESPONSIBLE_MAX:
            raise DomainError(_l("Name the responsible actor in at most %(n)d characters.",
                                 n=RESPONSIBLE_MAX), field="responsible")

    def apply(self, row: Recommendation) -> dict:
        """Set the row's details; what changed, for the audit."""
        before = _audit_values(row) if row.id is not None else {}
        row.groups = sorted(self.groups, key=lambda g: (g.position, g.id))
        row.indicators = sorted(self.indicators, key=lambda i: (i.position, i.id))
        row.findings = sorted(self.findings, key=lambda d: (d.title, d.id))
        row.priority = self.priority
        row.time_frame = self.time_frame
        row.responsible = self.responsible
        after = _audit_values(row)
        if not before:    # new details: what was given
            return {key: value for key, value in after.items() if value}
        return {key: [before[key], value] for key, value in after.items()
                if before[key] != value}


def _audit_values(row: Recommendation) -> dict:
    """The details in words for the audit trail (names, codes and titles as stored; the
    priority and time frame as codes, which the trail names in the reader's language)."""
    return {"addressees": ", ".join(g.name for g in row.groups),
            "indicators": ", ".join(i.code for i in row.indicators),
            "findings": ", ".join(f.title for f in row.findings),
            "priority": str(row.priority) if row.priority else "",
            "time_frame": str(row.time_frame) if row.time_frame else "",
            "responsible": row.responsible or ""}


def _row(version: DraftVersion, block_id: str) -> Recommendation:
    """The details row of the paragraph (a row left behind by a paragraph removed and written
    again is taken up), a new one otherwise."""
    row = None
    if version.id is not None:
        row = db.session.scalar(select(Recommendation).where(
            Recommendation.version_id == version.id, Recommendation.block_id == block_id))
    if row is None:
        row = Recommendation(version=version, block_id=block_id)
        db.session.add(row)
    return row


def _owner(assessment: Assessment, actor) -> Membership | None:
    membership = db.session.scalar(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.user_id == actor.id))
    if membership is not None and membership.role in (Role.RESEARCHER, Role.COORDINATOR):
        return membership
    return None


def recommendations_draft(assessment: Assessment, draft_id: int | None = None) -> Draft | None:
    """The recommendations draft named (None when it is not one of this assessment's), or the
    assessment's first one (None when it has none yet)."""
    query = select(Draft).where(Draft.assessment_id == assessment.id,
                                Draft.subject == Subject.RECOMMENDATIONS)
    if draft_id is not None:
        query = query.where(Draft.id == draft_id)
    return db.session.scalars(query.order_by(Draft.id).limit(1)).first()


def _check_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DomainError(_l("Write the recommendation."), field="text")
    if not rules.one_paragraph(text) or len(split_blocks(text)) != 1:
        raise DomainError(_l("A recommendation is one paragraph: remove the blank lines (and "
                             "code fences) inside it."), field="text")
    return text


def add_recommendation(assessment: Assessment, *, text: str, group_ids, indicator_ids,
                       finding_ids, priority, time_frame, responsible: str,
                       change_summary: str = "", actor, draft: Draft | None = None
                       ) -> Recommendation:
    """Append a recommendation to the working version of the recommendations draft (``draft``,
    or the assessment's first one, created as "Policy recommendations" when there is none);
    when that draft's latest version is circulated (frozen), version n+1 is started, which
    needs ``change_summary``. Then store the details for the new paragraph."""
    text = _check_text(text)
    choices = Choices(assessment, group_ids=group_ids, indicator_ids=indicator_ids,
                      finding_ids=finding_ids, priority=priority, time_frame=time_frame,
                      responsible=responsible)
    if draft is not None and (not in_assessment(draft, assessment)
                              or draft.subject != Subject.RECOMMENDATIONS):
        raise DomainError(_l("Choose one of this assessment's recommendations drafts."),
                          field="draft_id")
    draft = draft or recommendations_draft(assessment)
    if draft is None:
        language = assessment.language_list[0] if assessment.language_list else None
        with force_locale(language or "en"):
            title = _("Policy recommendations")
        draft = draft_services.create_draft(
            assessment, subject=Subject.RECOMMENDATIONS, item_id=None, title=title,
            owner=_owner(assessment, actor), body=text, actor=actor)
        version = draft.versions[-1]
    else:
        current = draft_services.latest(draft)
        body = f"{current.body.rstrip()}\n\n{text}" if current.body.strip() else text
        version = draft_services.save_body(
            draft, assessment, body=body, change_summary=change_summary or "",
            base_revision=current.revision, base_number=current.number, actor=actor)
    block = (version.blocks or [None])[-1]
    if block is None or " ".join(block["text"].split()) != " ".join(text.split()):
        raise DomainError(_l("The draft's last paragraph could not be told apart from the new "
                             "recommendation: check the draft's text."), field="text")
    row = _row(version, block["id"])
    changes = choices.apply(row)
    db.session.flush()
    record_event("recommendation.added", row, actor=actor, assessment=assessment,
                 changes={"draft_id": draft.id, "number": version.number,
                          "block_id": block["id"], **changes})
    return row


def set_details(assessment: Assessment, version: DraftVersion, block_id: str, *, group_ids,
                indicator_ids, finding_ids, priority, time_frame, responsible: str,
                actor) -> Recommendation:
    """Set the details of one paragraph of the working version. A circulated version keeps
    the details it was read with (its content hash covers them)."""
    if not in_assessment(version, assessment) or version.draft.subject != Subject.RECOMMENDATIONS:
        raise DomainError(_l("Choose one of this assessment's recommendations drafts."),
                          field="draft_id")
    if version.frozen:
        raise DomainError(_l("Version %(n)d is circulated: it keeps the details it was read "
                             "with. Edit the working version.", n=version.number))
    if block_id not in {block["id"] for block in (version.blocks or [])}:
        raise DomainError(_l("This paragraph is not in version %(n)d.", n=version.number),
                          field="block_id")
    choices = Choices(assessment, group_ids=group_ids, indicator_ids=indicator_ids,
                      finding_ids=finding_ids, priority=priority, time_frame=time_frame,
                      responsible=responsible)
    row = _row(version, block_id)
    changes = choices.apply(row)
    db.session.flush()
    record_event("recommendation.details_set", row, actor=actor, assessment=assessment,
                 changes={"draft_id": version.draft_id, "number": version.number,
                          "block_id": block_id, **changes})
    return row


def revise_details(assessment: Assessment, draft: Draft, block_id: str, *, group_ids,
                   indicator_ids, finding_ids, priority, time_frame, responsible: str,
                   change_summary: str = "", actor) -> Recommendation:
    """Set the details of a recommendation in its draft's working version; when the latest
    version is circulated, first start version n+1 with the same text (which needs
    ``change_summary``): the circulated version keeps its details."""
    if not in_assessment(draft, assessment) or draft.subject != Subject.RECOMMENDATIONS:
        raise DomainError(_l("Choose one of this assessment's recommendations drafts."),
                          field="draft_id")
    current = draft_services.latest(draft)
    if block_id not in {block["id"] for block in (current.blocks or [])}:
        raise DomainError(_l("This paragraph is not in version %(n)d.", n=current.number),
                          field="block_id")
    # The choices are checked before a version is started (nothing is written when refused).
    Choices(assessment, group_ids=group_ids, indicator_ids=indicator_ids,
            finding_ids=finding_ids, priority=priority, time_frame=time_frame,
            responsible=responsible)
    if current.frozen:
        current = draft_services.save_body(
            draft, assessment, body=current.body, change_summary=change_summary or "",
            base_revision=current.revision, base_number=current.number, actor=actor)
    return set_details(assessment, current, block_id, group_ids=group_ids,
                       indicator_ids=indicator_ids, finding_ids=finding_ids, priority=priority,
                       time_frame=time_frame, responsible=responsible, actor=actor)
