"""Reads for the board pages; eager loading chosen here, no query per row."""
from datetime import date

from sqlalchemy import Select, String, event, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.sql.functions import FunctionElement

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.auth.models import User
from mab.board import rules
from mab.board.models import StakeholderGroup
from mab.extensions import db
from mab.i18n import display_name

SORTS = {
    "name": (User.name, User.email),
    "group": (StakeholderGroup.position, User.name),
    "organisation": (Membership.organisation, User.name),
    "status": (Membership.board_status, User.name),
    "term_end": (Membership.term_end, User.name),
}


class casefold(FunctionElement):
    """``lower()`` that also lowers Cyrillic: SQLite's own lower() only knows ASCII."""
    type = String()
    inherit_cache = True


@compiles(casefold)
def _casefold(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(casefold, "sqlite")
def _casefold_sqlite(element, compiler, **kw):
    return f"mab_casefold({compiler.process(element.clauses, **kw)})"


@event.listens_for(Engine, "connect")
def _sqlite_casefold(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function(
            "mab_casefold", 1, lambda v: v.lower() if isinstance(v, str) else v,
            deterministic=True)


def groups(assessment: Assessment, *, include_retired: bool = True) -> list[StakeholderGroup]:
    query = select(StakeholderGroup).where(StakeholderGroup.assessment_id == assessment.id)
    if not include_retired:
        query = query.where(StakeholderGroup.retired.is_(False))
    return db.session.scalars(query.order_by(StakeholderGroup.position, StakeholderGroup.name)).all()


def group_member_counts(assessment: Assessment) -> dict[int, int]:
    return dict(db.session.execute(
        select(Membership.group_id, func.count()).where(
            Membership.assessment_id == assessment.id, Membership.group_id.is_not(None))
        .group_by(Membership.group_id)).all())


def board(assessment: Assessment, *, group_id=None, gender=None, status=None, search="",
          sort="name", search_emails=True) -> Select:
    query = (select(Membership).join(Membership.user)
             .outerjoin(StakeholderGroup, Membership.group_id == StakeholderGroup.id)
             .where(Membership.assessment_id == assessment.id,
                    Membership.role == Role.BOARD_MEMBER)
             .options(contains_eager(Membership.user), contains_eager(Membership.group)))
    if group_id:
        query = query.where(Membership.group_id == group_id)
    if gender == "unrecorded":
        query = query.where(User.gender.is_(None))
    elif gender:
        query = query.where(User.gender == gender)
    if status:
        query = query.where(Membership.board_status == status)
    term = search.strip().lower()
    if term:
        # Literally: % and _ are what the person typed, not wildcards (autoescape: ESCAPE '/').
        fields = [User.name, Membership.organisation] + ([User.email] if search_emails else [])
        query = query.where(or_(*(casefold(f).contains(term, autoescape=True) for f in fields)))
    return query.order_by(*SORTS.get(sort, SORTS["name"]))


def status_counts(assessment: Assessment) -> dict[str, int]:
    return {str(status): n for status, n in db.session.execute(
        select(Membership.board_status, func.count()).where(
            Membership.assessment_id == assessment.id, Membership.role == Role.BOARD_MEMBER)
        .group_by(Membership.board_status)).all()}


def team_by_role(assessment: Assessment, roles) -> list[Membership]:
    return db.session.scalars(
        select(Membership).join(Membership.user)
        .where(Membership.assessment_id == assessment.id, Membership.role.in_(roles))
        .options(contains_eager(Membership.user), joinedload(Membership.group))
        .order_by(Membership.role, User.name)).all()


def seats(assessment: Assessment) -> list[rules.Seat]:
    """Every board membership as the rules need it, in one query."""
    return list(seats_by_membership(assessment).values())


def seats_by_membership(assessment: Assessment) -> dict[int, rules.Seat]:
    """Every board seat keyed by its membership's id, in one query."""
    rows = db.session.execute(
        select(Membership.id, Membership.group_id, User.gender, Membership.board_status,
               Membership.appointed_on, Membership.stepped_down_on, Membership.term_start,
               Membership.term_end)
        .join(Membership.user)
        .where(Membership.assessment_id == assessment.id, Membership.role == Role.BOARD_MEMBER)
    ).all()
    return {r[0]: rules.Seat(group_id=r[1], gender=str(r[2]) if r[2] else None,
                             status=str(r[3] or BoardStatus.ACTIVE), appointed_on=r[4],
                             stepped_down_on=r[5], term_start=r[6], term_end=r[7])
            for r in rows}


def seat_of(m: Membership) -> rules.Seat:
    """A loaded membership as the rules need it (``seats`` reads the same from columns)."""
    return rules.Seat(group_id=m.group_id, gender=str(m.user.gender) if m.user.gender else None,
                      status=str(m.board_status or BoardStatus.ACTIVE), appointed_on=m.appointed_on,
                      stepped_down_on=m.stepped_down_on, term_start=m.term_start,
                      term_end=m.term_end)


def research_team_genders(assessment: Assessment) -> list[rules.Seat]:
    rows = db.session.execute(
        select(User.gender).join(Membership.user)
        .where(Membership.assessment_id == assessment.id, Membership.role == Role.RESEARCHER)).all()
    return [rules.Seat(group_id=None, gender=str(g) if g else None, status=rules.ACTIVE)
            for (g,) in rows]


def rule_groups(assessment: Assessment) -> list[rules.Group]:
    """The groups that count, each named in the reader's language (what the balance checks, the
    charts and the tables built from them show)."""
    return [rules.Group(g.id, display_name(g, assessment), g.min_members)
            for g in groups(assessment) if not g.retired]


def today_in(assessment: Assessment) -> date:
    return assessment.today()


def history(membership: Membership):
    """The audit events about one membership, oldest first."""
    from mab.audit.models import AuditEvent
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "Membership",
                                 AuditEvent.object_id == str(membership.id))
        .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id)).all()


def failing_checks(assessment: Assessment) -> int:
    """How many balance checks the board fails today (for the home page)."""
    board = rules.composition(seats(assessment), today_in(assessment))
    return sum(not c.ok for c in rules.balance_checks(board, rule_groups(assessment),
                                                     rules.Policy.of(assessment)))
