"""The report annex: the board, its meetings, the consultations and the validation, gathered in
a fixed number of queries and shaped once for the page, the print view and the CSV files."""
from collections import Counter
from itertools import groupby
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from mab.assessments.models import Assessment, Membership, Role
from mab.assessments.queries import with_person
from mab.board import queries as board_queries
from mab.board import rules as board_rules
from mab.board.explain import explain
from mab.comments.models import Comment
from mab.drafts.models import Circulation, Draft, DraftVersion
from mab.extensions import db
from mab.i18n import display_name
from mab.meetings import queries as meeting_queries
from mab.meetings import rules as meeting_rules
from mab.meetings.models import Attendance, Invitation, Meeting, MeetingStatus
from mab.validation import queries as validation_queries


@dataclass(frozen=True)
class Circulated:
    number: int
    circulated_at: object
    deadline: date


@dataclass
class Consultation:
    draft_id: int
    title: str
    circulated: list[Circulated]
    comments: int = 0
    replies: int = 0
    withdrawn: int = 0
    open: int = 0
    dispositions: Counter = field(default_factory=Counter)


def board_section(assessment: Assessment, on: date) -> dict:
    members = db.session.scalars(
        select(Membership).where(Membership.assessment_id == assessment.id,
                                 Membership.role == Role.BOARD_MEMBER)
        .options(*with_person())
        .order_by(Membership.group_id, Membership.id)).all()
    serving = [m for m in members if board_rules.serving_on(board_queries.seat_of(m), on)]
    groups = board_queries.rule_groups(assessment)
    seats = [board_queries.seat_of(m) for m in serving]
    policy = board_rules.Policy.of(assessment)
    checks = board_rules.balance_checks(seats, groups, policy)
    names = {g.id: display_name(g, assessment) for g in board_queries.groups(assessment)}
    serving.sort(key=lambda m: (names.get(m.group_id, "~"), m.user.display_name.lower()))
    return {"on": on, "members": serving, "group_names": names,
            "table": board_rules.group_gender_table(seats, groups),
            "explained": [(c, *explain(c)) for c in checks]}


@dataclass(frozen=True)
class HeldMeeting:
    id: int
    title: str
    kind: object
    starts_at: object


def meetings_section(assessment: Assessment) -> list[dict]:
    """Held meetings with their attendance and quorum, from one ordered query of plain rows read
    meeting by meeting: only one meeting's invitations are held at a time, and each board seat is
    made once (the same board is invited to every meeting)."""
    groups = board_queries.rule_groups(assessment)
    seats = board_queries.seats_by_membership(assessment)
    board = list(seats.values())
    rows = db.session.execute(
        select(Meeting.id, Meeting.title, Meeting.kind, Meeting.starts_at,
               Invitation.membership_id, Invitation.rsvp, Invitation.attendance)
        .outerjoin(Invitation, Invitation.meeting_id == Meeting.id)
        .where(Meeting.assessment_id == assessment.id, Meeting.status == MeetingStatus.HELD)
        .order_by(Meeting.starts_at, Meeting.id)
        .execution_options(yield_per=1000))
    result = []
    for _, group in groupby(rows, key=lambda r: r.id):
        group = list(group)
        meeting = HeldMeeting(*group[0][:4])
        invited = [r for r in group if r.membership_id is not None]
        counts = Counter(str(r.attendance) if r.attendance else "unrecorded" for r in invited)
        invitees = [meeting_rules.Invitee(seats[r.membership_id], str(r.rsvp),
                                          r.attendance == Attendance.PRESENT)
                    for r in invited if r.membership_id in seats]
        # The same rule as the meeting page: only the board of the meeting's day counts.
        figures = meeting_queries.attendance_on(assessment, meeting.starts_at, invitees,
                                                board=board, groups=groups)
        result.append({"meeting": meeting, "invited": len(invited),
                       "present": counts["present"], "absent": counts["absent"],
                       "excused": counts["excused"], "table": figures.present_table,
                       "quorum": figures.quorum})
    return result


def consultations_section(assessment: Assessment) -> list[Consultation]:
    """Circulated drafts with their circulations and comment counts: two flat queries."""
    circulations = db.session.execute(
        select(Draft.id, Draft.title, DraftVersion.number, Circulation.circulated_at,
               Circulation.deadline)
        .join(DraftVersion, DraftVersion.draft_id == Draft.id)
        .join(Circulation, Circulation.version_id == DraftVersion.id)
        .where(Draft.assessment_id == assessment.id)
        .order_by(Draft.title, Draft.id, DraftVersion.number)).all()
    rows = db.session.execute(
        select(Comment.draft_id, Comment.parent_id.is_(None), Comment.disposition,
               Comment.withdrawn_at.is_not(None), func.count(Comment.id))
        .where(Comment.assessment_id == assessment.id)
        .group_by(Comment.draft_id, Comment.parent_id.is_(None), Comment.disposition,
                  Comment.withdrawn_at.is_not(None))).all()
    by_draft: dict[int, Consultation] = {}
    for draft_id, title, number, circulated_at, deadline in circulations:
        by_draft.setdefault(draft_id, Consultation(draft_id, title, [])).circulated.append(
            Circulated(number, circulated_at, deadline))
    for draft_id, top, disposition, withdrawn, n in rows:
        c = by_draft.get(draft_id)
        if c is None:
            continue
        if not top:
            c.replies += n
        elif withdrawn:
            c.withdrawn += n
        else:
            c.comments += n
            if disposition is None:
                c.open += n
            else:
                c.dispositions[str(disposition)] += n
    return list(by_draft.values())


def validation_section(assessment: Assessment) -> list[dict]:
    """Each round with its current decisions counted: two queries, no sign-off loaded."""
    counts = validation_queries.current_decision_counts(assessment)
    return [{"round": round_, "decisions": counts.get(round_.id, Counter())}
            for round_ in validation_queries.rounds(assessment, signoffs=False)]


def build(assessment: Assessment, on: date) -> dict:
    return {"board": board_section(assessment, on), "meetings": meetings_section(assessment),
            "consultations": consultations_section(assessment),
            "validation": validation_section(assessment)}
