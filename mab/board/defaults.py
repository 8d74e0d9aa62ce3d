"""The stakeholder groups every new assessment starts with (used when an assessment is created).

Kept apart from ``board.services`` so that creating an assessment can set up its board without
``assessments.services`` and ``board.services`` importing each other.
"""
from mab.assessments.models import Assessment
from mab.audit.services import record_event
from mab.board.models import DEFAULT_GROUPS, StakeholderGroup
from mab.extensions import db


def create_default_groups(assessment: Assessment, *, actor=None) -> list[StakeholderGroup]:
    groups = [StakeholderGroup(assessment_id=assessment.id, name=name, position=position,
                               min_members=assessment.group_min_members)
              for position, name in enumerate(DEFAULT_GROUPS, start=1)]
    db.session.add_all(groups)
    db.session.flush()
    record_event("groups.defaults_created", assessment, actor=actor, assessment=assessment,
                 changes={"groups": DEFAULT_GROUPS})
    return groups
