"""An assessment with something to report: a board with dated appointments, a held meeting with
a roll call, comments with replies and dispositions, and a closed validation round."""
from datetime import timedelta

from sqlalchemy import select

from mab.auth.models import Gender
from mab.comments import services as comment_services
from mab.extensions import db
from mab.meetings import services as meeting_services
from mab.meetings.models import Invitation
from mab.types import utcnow
from tests.drafts.support import make_draft
from tests.validation.support import (
    A,
    add_board_member,
    as_request,
    circulate,
    close,
    membership_of,
    open_round,
    sign,
    world,
)

__all__ = [
    "APPOINTED_DAYS_AGO",
    "A",
    "add_comments",
    "annex_world",
    "hold_meeting",
    "schedule_workshop",
]

APPOINTED_DAYS_AGO = 10


def hold_meeting(w, title, *, days_ago=5, present=(), excused=(), invitees=None):
    """A meeting recorded after the fact, with the roll call: everyone not named is absent."""
    start = (utcnow() - timedelta(days=days_ago)).replace(microsecond=0)
    with as_request():
        meeting = meeting_services.schedule_meeting(
            w.assessment, actor=w.people["coordinator"],
            invitees=invitees if invitees is not None else
            meeting_services.default_invitees(w.assessment),
            kind="board_meeting", title=title, starts_at=start,
            ends_at=start + timedelta(hours=2), place="Almaty", online_url="", agenda="")
        db.session.flush()
        present_ids = {w.m(p).id for p in present}
        excused_ids = {w.m(p).id for p in excused}
        marks = {i.id: "present" if i.membership_id in present_ids else
                 "excused" if i.membership_id in excused_ids else "absent"
                 for i in db.session.scalars(select(Invitation).where(
                     Invitation.meeting_id == meeting.id))}
        meeting_services.record_attendance(meeting, w.assessment, marks,
                                           actor=w.people["coordinator"])
    db.session.commit()
    return meeting


def schedule_workshop(w, title, *, days=3):
    """A validation workshop still to come, scheduled (and invitations sent) by the coordinator."""
    start = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    with as_request():
        meeting = meeting_services.schedule_meeting(
            w.assessment, actor=w.people["coordinator"],
            invitees=meeting_services.default_invitees(w.assessment),
            kind="validation_workshop", title=title, starts_at=start,
            ends_at=start + timedelta(hours=3), place="Astana", online_url="", agenda="")
    db.session.commit()
    return meeting


def add_comments(w, version, *, comments=3, accepted=1, noted=1, replies=1, who="board_member"):
    made = []
    with as_request():
        for n in range(comments):
            made.append(comment_services.add_comment(version, w.assessment, w.m(who),
                                                     body=f"Comment {n} on v{version.number}."))
        for n in range(replies):
            comment_services.reply(made[0], w.assessment, w.m("researcher"), body=f"Reply {n}.")
        for comment in made[:accepted]:
            comment_services.dispose(comment, w.assessment, w.m("researcher"),
                                     disposition="accepted", response="Done.", addressed_in=None)
        for comment in made[accepted:accepted + noted]:
            comment_services.dispose(comment, w.assessment, w.m("researcher"),
                                     disposition="noted", response="Noted.", addressed_in=None)
    db.session.commit()
    return made


def annex_world():
    """world() in English and Russian, plus: a member appointed 10 days ago; a held board
    meeting (both original members present, the coordinator excused, others absent); three
    comments on the circulated draft (one accepted, one noted, one open) and a reply; a second
    circulated draft without comments; the first draft's round closed and passed."""
    w = world()
    w.assessment.languages = "en,ru"
    w.assessment.require_dispositions = False     # the annex shows a comment still open
    db.session.commit()
    w.people["late"] = add_board_member(w.assessment, "late@example.org", w.groups[1],
                                        gender=Gender.WOMAN, name="Late Appointee",
                                        organisation="Late Institute")
    w.m("late").appointed_on = w.assessment.today() - timedelta(days=APPOINTED_DAYS_AGO)
    db.session.commit()
    w.meeting = hold_meeting(w, "First board meeting", present=("board_member", "member2"),
                             excused=("coordinator",))
    add_comments(w, w.version)
    w.second = circulate(make_draft(w.assessment, w.people["researcher"], "Recommend.",
                                    title="Recommendations"), w.assessment,
                         w.people["researcher"])
    w.round = open_round(w)
    sign(w, w.round, "board_member", "reservations", "Update the list of laws.")
    sign(w, w.round, "member2", "endorse")
    close(w, w.round)
    return w


def membership(w, who):
    return membership_of(w.people[who], w.assessment)
