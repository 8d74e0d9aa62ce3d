"""Board use cases: they change rows, audit and queue mail; the view commits."""
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from mab.auth.models import User, normalise_email
from mab.auth.sessions import end_sessions
from mab.assessments.models import Assessment, BoardStatus, Membership, Role, codes
from mab.assessments.services import invite_person
from mab.audit.services import record_event
from mab.board import queries, rules
from mab.board.defaults import create_default_groups  # noqa: F401  (board's own use case)
from mab.board.models import StakeholderGroup
from mab.board.queries import casefold, seat_of
from mab.errors import DomainError
from mab.extensions import db
from mab.i18n import display_name
from mab.loaders import get_scoped
from mab.validation.models import ValidationRound

BOARD_FIELDS = ("group_id", "organisation", "position", "term_start", "term_end",
                "coi_declaration", "coi_declared_on", "notes")
POLICY_FIELDS = ("gender_min_pct", "gender_max_pct", "undisclosed_max_pct", "group_min_members",
                 "group_max_pct", "require_dispositions", "required_languages",
                 "validate_complete_only", "circulate_complete_only")


def _apply(obj, values: dict) -> dict:
    changes = {}
    for field, value in values.items():
        old = getattr(obj, field)
        if old != value:
            changes[field] = [old, value]
            setattr(obj, field, value)
    return changes


def _check_group(assessment, group_id):
    if group_id is None:
        return
    if get_scoped(StakeholderGroup, group_id, assessment) is None:
        raise DomainError(_l("Choose one of this assessment's stakeholder groups."), field="group_id")


def add_board_member(assessment: Assessment, *, email, name, language, status, actor,
                     gender=None, **fields) -> Membership:
    """Invite a person to the board (through the outbox) with their board details."""
    _check_group(assessment, fields.get("group_id"))
    membership = invite_person(assessment, email=email, name=name, role=Role.BOARD_MEMBER,
                               actor=actor, language=language)
    today = assessment.today()
    membership.board_status = BoardStatus(status)
    membership.nominated_on = today
    if membership.board_status == BoardStatus.ACTIVE:
        membership.appointed_on = fields.pop("appointed_on", None) or fields.get("term_start") or today
    else:
        fields.pop("appointed_on", None)
        membership.appointed_on = None   # invite_person dates every board member as appointed
    changes = _apply(membership, {k: v for k, v in fields.items() if k in BOARD_FIELDS})
    if gender and membership.user.gender is None:
        record_gender(membership, gender, actor=actor)
    record_event("board.member_added", membership, actor=actor, assessment=assessment,
                 changes={"status": membership.board_status, **changes})
    return membership


def update_board_member(membership: Membership, *, actor, **fields) -> dict:
    _check_group(membership.assessment, fields.get("group_id"))
    if fields.get("term_start") and fields.get("term_end") and fields["term_end"] < fields["term_start"]:
        raise DomainError(_l("The term cannot end before it starts."), field="term_end")
    changes = _apply(membership, {k: v for k, v in fields.items() if k in BOARD_FIELDS})
    if changes:
        record_event("board.member_updated", membership, actor=actor,
                     assessment=membership.assessment, changes=changes)
    return changes


def record_gender(membership: Membership, gender, *, actor) -> None:
    """The coordinator records a member's gender; marked so, until the person describes it."""
    user = membership.user
    if user.gender == gender:
        return
    old = user.gender
    user.gender = gender
    user.gender_recorded_by_coordinator = gender is not None
    record_event("board.gender_recorded", membership, actor=actor,
                 assessment=membership.assessment, changes={"gender": [old, gender]})


def appoint(membership: Membership, on: date, *, actor) -> None:
    if membership.board_status != BoardStatus.NOMINEE:
        raise DomainError(_l("Only a nominee can be appointed."))
    membership.board_status = BoardStatus.ACTIVE
    membership.appointed_on = on
    record_event("board.member_appointed", membership, actor=actor,
                 assessment=membership.assessment, changes={"appointed_on": on})


def check_step_down(membership: Membership, on: date) -> None:
    if membership.board_status == BoardStatus.STEPPED_DOWN:
        raise DomainError(_l("This member has already stepped down."))
    if membership.appointed_on and on < membership.appointed_on:
        raise DomainError(_l("The date cannot be before the appointment."), field="on")


@dataclass
class StepDownPreview:
    """What recording a step-down would change (the confirmation's figures): the member's group
    on that date (``group_active``: its active members then, ``group_min`` its minimum), the
    balance checks that would newly fail, and the open validation rounds where the member's
    decision (``decided``) would no longer count or would no longer be awaited."""
    serving: bool
    group_name: str | None
    group_active: int
    group_min: int
    new_problems: list[rules.Check]
    open_rounds: list[tuple[ValidationRound, bool]]


def step_down_preview(membership: Membership, on: date) -> StepDownPreview:
    check_step_down(membership, on)
    assessment = membership.assessment
    seats = queries.seats(assessment)
    mine = seat_of(membership)
    after = list(seats)
    after.remove(mine)
    after.append(replace(mine, status=rules.STEPPED_DOWN, stepped_down_on=on))
    before_board, after_board = rules.composition(seats, on), rules.composition(after, on)
    groups = queries.rule_groups(assessment)
    policy = rules.Policy.of(assessment)

    def failing(board):
        return {(c.code, c.figures.get("group")): c
                for c in rules.balance_checks(board, groups, policy) if not c.ok}

    was, now = failing(before_board), failing(after_board)
    group = membership.group
    rounds = db.session.scalars(select(ValidationRound).where(
        ValidationRound.assessment_id == assessment.id, ValidationRound.closed_at.is_(None))
        .order_by(ValidationRound.id)).all()
    open_rounds = [(r, any(s.membership_id == membership.id and s.superseded_at is None
                           for s in r.signoffs)) for r in rounds]
    return StepDownPreview(
        serving=rules.serving_on(mine, on),
        group_name=display_name(group, assessment) if group else None,
        group_active=sum(1 for s in after_board if s.group_id == membership.group_id),
        group_min=group.min_members if group else 0,
        new_problems=[c for key, c in now.items() if key not in was],
        open_rounds=open_rounds if membership.board_status == BoardStatus.ACTIVE else [])


def step_down(membership: Membership, on: date, *, actor, reason: str = "") -> None:
    """End a board membership; the row and its history stay."""
    check_step_down(membership, on)
    old = membership.board_status
    membership.board_status = BoardStatus.STEPPED_DOWN
    membership.stepped_down_on = on
    end_sessions(membership.user)   # whatever they had open is closed; they sign in again
    record_event("board.member_stepped_down", membership, actor=actor,
                 assessment=membership.assessment,
                 changes={"status": [old, BoardStatus.STEPPED_DOWN], "on": on, "reason": reason})


def save_group(assessment: Assessment, group: StakeholderGroup | None, *, actor, name,
               description, min_members, position, retired=False,
               names: dict | None = None) -> StakeholderGroup:
    """``names``: the name in each language shown on the form ({code: text}, empty removes it);
    languages not given keep their name."""
    name = name.strip()
    clash = db.session.scalar(select(StakeholderGroup.id).where(
        StakeholderGroup.assessment_id == assessment.id, casefold(StakeholderGroup.name) == name.lower(),
        StakeholderGroup.id != (group.id if group else -1)))
    if clash:
        raise DomainError(_l("A group with this name exists already."), field="name")
    created = group is None
    if created:
        group = StakeholderGroup(assessment_id=assessment.id, names={})
        db.session.add(group)
    before = dict(group.names or {})
    after = rules.merged_names(before, names or {}, old_name=None if created else group.name,
                               new_name=name)
    changes = _apply(group, {"name": name, "description": description.strip(),
                             "min_members": min_members, "position": position,
                             "retired": retired})
    if after != before:
        group.names = after
        changes.update(rules.names_changes(before, after))
    db.session.flush()
    record_event("groups.created" if created else "groups.updated", group, actor=actor,
                 assessment=assessment, changes=changes)
    return group


def check_deletable(group: StakeholderGroup) -> None:
    """A group with members (active, nominated or stepped down) is kept: it is in their record."""
    members = db.session.scalar(select(func.count()).select_from(Membership)
                                .where(Membership.group_id == group.id))
    if members:
        raise DomainError(ngettext(
            "“%(name)s” has %(num)d member and cannot be deleted. Rename it, or retire it so it "
            "no longer counts.",
            "“%(name)s” has %(num)d members and cannot be deleted. Rename it, or retire it so it "
            "no longer counts.", members, name=display_name(group)))


def delete_group(group: StakeholderGroup, *, actor) -> None:
    check_deletable(group)
    assessment = db.session.get(Assessment, group.assessment_id)
    record_event("groups.deleted", group, actor=actor, assessment=assessment,
                 changes={"name": group.name})
    db.session.delete(group)


def update_policy(assessment: Assessment, *, actor, **values) -> dict:
    values = {k: v for k, v in values.items() if k in POLICY_FIELDS}
    if "required_languages" in values:
        # Stored comma-separated in the order of the content languages; the audit keeps lists.
        chosen = set(values["required_languages"] or ())
        unknown = chosen - set(assessment.language_list)
        if unknown:
            raise DomainError(_l("Choose among the assessment's languages."),
                              field="required_languages")
        values["required_languages"] = ",".join(
            code for code in assessment.language_list if code in chosen)
    if values["gender_min_pct"] >= values["gender_max_pct"]:
        raise DomainError(_l("The lower bound must be below the upper bound."),
                          field="gender_min_pct")
    old_minimum = assessment.group_min_members
    changes = _apply(assessment, values)
    if "group_min_members" in changes:
        # Groups still at the old default follow the new one; customised groups keep theirs.
        for group in db.session.scalars(select(StakeholderGroup).where(
                StakeholderGroup.assessment_id == assessment.id,
                StakeholderGroup.min_members == old_minimum)):
            group.min_members = assessment.group_min_members
    if "required_languages" in changes:
        changes["required_languages"] = [codes(value) for value in changes["required_languages"]]
    if changes:
        record_event("policy.updated", assessment, actor=actor, assessment=assessment,
                     changes=changes)
    return changes


@dataclass
class ImportPreview:
    """Who an import adds and what each is sent: an invitation to create an account
    (``invitations``) or, for a person who has one, a note that they were added (``notices``)."""
    added: int
    invitations: int
    notices: int
    nominees: int


def import_preview(rows) -> ImportPreview:
    emails = [normalise_email(row.email) for row in rows]
    with_account = set(db.session.scalars(select(User.email).where(
        User.email.in_(emails), User.password_hash.is_not(None)))) if emails else set()
    notices = sum(1 for e in emails if e in with_account)
    return ImportPreview(added=len(rows), invitations=len(rows) - notices, notices=notices,
                         nominees=sum(1 for row in rows if str(row.status) == "nominee"))
