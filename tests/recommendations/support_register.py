"""Helpers of the register's tests: a team on the built-in framework with the sample indicators
and the default stakeholder groups, findings, and recommendations added through the services
(as the pages would)."""
from sqlalchemy import select

from mab.board.defaults import create_default_groups
from mab.board.models import StakeholderGroup
from mab.drafts.models import Draft
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.recommendations import services
from mab.recommendations.models import Recommendation
from tests.drafts.support import circulate, import_sample, make_draft, setup

A = "/a/kz-2022"


def world():
    """setup() (kz-2022 on the built-in framework, one person per role), the sample
    indicators, the default stakeholder groups and two findings (one circulated)."""
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])
    create_default_groups(assessment)
    db.session.commit()
    access = make_draft(assessment, people["researcher"], "Access is uneven.",
                        title="Access findings")
    circulate(access, assessment, people["researcher"])
    make_draft(assessment, people["researcher"], "Rights are protected in law.",
               title="Rights findings")
    return assessment, people


def groups(assessment) -> list[StakeholderGroup]:
    return db.session.scalars(select(StakeholderGroup).where(
        StakeholderGroup.assessment_id == assessment.id)
        .order_by(StakeholderGroup.position)).all()


def group(assessment, name) -> StakeholderGroup:
    return next(g for g in groups(assessment) if g.name == name)


def indicator(assessment, code) -> FrameworkItem:
    return db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.INDICATOR, FrameworkItem.code == code))


def finding(assessment, title) -> Draft:
    return db.session.scalar(select(Draft).where(Draft.assessment_id == assessment.id,
                                                 Draft.title == title))


def add(assessment, people, text, *, groups=(), indicators=(), findings=(), priority="high",
        time_frame="short", responsible="Ministry of Digital Development", change_summary="",
        draft=None, actor="researcher") -> Recommendation:
    """A recommendation added through the service (groups by name, indicators by code,
    findings by title), committed."""
    row = services.add_recommendation(
        assessment, text=text, group_ids=[group(assessment, n).id for n in groups],
        indicator_ids=[indicator(assessment, c).id for c in indicators],
        finding_ids=[finding(assessment, t).id for t in findings], priority=priority,
        time_frame=time_frame, responsible=responsible, change_summary=change_summary,
        actor=people[actor], draft=draft)
    db.session.commit()
    return row


def rec_draft(assessment) -> Draft:
    return services.recommendations_draft(assessment)


def details_count() -> int:
    return len(db.session.scalars(select(Recommendation)).all())


def circulate_latest(assessment, people):
    draft = rec_draft(assessment)
    return circulate(draft, assessment, people["researcher"])
