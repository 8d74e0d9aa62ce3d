"""The stakeholder groups every new assessment starts with (used when an assessment is created).

Kept apart from ``board.services`` so that creating an assessment can set up its board without
``assessments.services`` and ``board.services`` importing each other.
"""
from mab.assessments.models import Assessment
from mab.audit.services import record_event
from mab.board.models import DEFAULT_GROUP_NAMES, DEFAULT_GROUPS, StakeholderGroup
from mab.extensions import db


def default_names(name: str) -> dict:
    """A default group's names by language, English included ({} for any other group)."""
    names = DEFAULT_GROUP_NAMES.get(name)
    return {"en": name, **names} if names else {}


def create_default_groups(assessment: Assessment, *, actor=None) -> list[StakeholderGroup]:
    groups = [StakeholderGroup(assessment_id=assessment.id, name=name, position=position,
                               names=default_names(name),
                               min_members=assessment.group_min_members)
              for position, name in enumerate(DEFAULT_GROUPS, start=1)]
    db.session.add_all(groups)
    db.session.flush()
    record_event("groups.defaults_created", assessment, actor=actor, assessment=assessment,
                 changes={"groups": DEFAULT_GROUPS})
    return groups
