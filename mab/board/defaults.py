"""The stakeholder groups every new assessment starts with (used when an assessment is created).

Kept apart from ``board.services`` so that creating an assessment can set up its board without
``assessments.services`` and ``board.services`` importing each other.
"""
from mab.assessments.models import Assessment
from mab.audit.services import record_event
from mab.board.models import DEFAULT_GROUPS, StakeholderGroup
from mab.extensions import db

# The default groups' names in each language of the interface (translated by the project, in the
# terms of the project's Russian and Kazakh glossary); ``name`` stays the English one. The migration
# 37e1a72d682b keeps its own copy of this table for the groups made before it.
DEFAULT_GROUP_NAMES = {
    "Government": {"ru": "Правительство", "kk": "Үкімет"},
    "Academia": {"ru": "Академическое сообщество", "kk": "Академиялық қауымдастық"},
    "Technical community": {"ru": "Техническое сообщество", "kk": "Техникалық қауымдастық"},
    "Private sector": {"ru": "Частный сектор", "kk": "Жеке сектор"},
    "Media and journalists": {"ru": "СМИ и журналисты", "kk": "БАҚ және журналистер"},
    "Civil society": {"ru": "Гражданское общество", "kk": "Азаматтық қоғам"},
    "Individual Internet users": {"ru": "Индивидуальные пользователи интернета",
                                  "kk": "Интернеттің жеке пайдаланушылары"},
    "UN agencies and intergovernmental organisations": {
        "ru": "Агентства ООН и межправительственные организации",
        "kk": "БҰҰ агенттіктері және үкіметаралық ұйымдар"},
    "National IGF community": {
        "ru": "Национальное сообщество Форума по управлению интернетом (IGF)",
        "kk": "Интернетті басқару форумының (IGF) ұлттық қауымдастығы"},
}


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
