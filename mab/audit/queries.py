"""Reads for the audit log page: the events a role may see, filtered inside the query.

The log follows visibility. A role that may not read uncirculated drafts (board members,
observers) never gets an event about a draft that has no circulated version, about a version
that was not circulated, or about a file attached to such a version: those events are left out of
the query itself, so pages, counts and the filter choices agree, at no extra query per row.
Once a version is circulated its events (and its draft's) appear; work on a later version stays
out until that version is circulated in turn. ``verify_chain`` still walks every event.
"""
from sqlalchemy import ColumnElement, Select, String, and_, cast, exists, not_, or_, select
from sqlalchemy.orm import joinedload

from mab.assessments.models import Assessment, Role
from mab.audit.models import AuditEvent
from mab.drafts.models import Attachment, Circulation, Draft, DraftVersion
from mab.permissions import Action, can


def _as_text(column):
    """Object ids are stored as text: compare like with like (safe on PostgreSQL too)."""
    return cast(column, String)


def _version_circulated(version_id_column) -> ColumnElement:
    return exists(select(Circulation.id).where(Circulation.version_id == version_id_column))


def _uncirculated_objects(assessment: Assessment) -> dict[str, Select]:
    """Object type -> the ids (as text) of this assessment's objects nobody outside the team
    may see yet. Uncorrelated subqueries: the database reads each once per page."""
    draft_circulated = exists(select(Circulation.id).join(
        DraftVersion, DraftVersion.id == Circulation.version_id).where(
        DraftVersion.draft_id == Draft.id))
    drafts = select(_as_text(Draft.id)).where(Draft.assessment_id == assessment.id,
                                             not_(draft_circulated))
    versions = (select(_as_text(DraftVersion.id))
                .join(Draft, Draft.id == DraftVersion.draft_id)
                .where(Draft.assessment_id == assessment.id,
                       not_(_version_circulated(DraftVersion.id))))
    attachments = (select(_as_text(Attachment.id))
                   .join(DraftVersion, DraftVersion.id == Attachment.version_id)
                   .join(Draft, Draft.id == DraftVersion.draft_id)
                   .where(Draft.assessment_id == assessment.id,
                          not_(_version_circulated(DraftVersion.id))))
    return {Draft.__name__: drafts, DraftVersion.__name__: versions,
            Attachment.__name__: attachments}


def visible_to(assessment: Assessment, role: Role | str) -> list[ColumnElement]:
    """WHERE clauses for the events of ``assessment`` that ``role`` may see."""
    clauses = [AuditEvent.assessment_id == assessment.id]
    if not can(role, Action.READ_UNCIRCULATED):
        hidden = or_(*(and_(AuditEvent.object_type == object_type,
                            AuditEvent.object_id.is_not(None),
                            AuditEvent.object_id.in_(ids))
                       for object_type, ids in _uncirculated_objects(assessment).items()))
        clauses.append(not_(hidden))
    return clauses


def hides_uncirculated(role: Role | str) -> bool:
    return not can(role, Action.READ_UNCIRCULATED)


def events(assessment: Assessment, role: Role | str) -> Select:
    """The events ``role`` may see, newest first (the view adds its filters)."""
    return (select(AuditEvent).where(*visible_to(assessment, role))
            .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc()))
