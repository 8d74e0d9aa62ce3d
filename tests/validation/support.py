"""Helpers for the validation tests: a team with groups, an active board across two groups, a
circulated draft, meetings, and rounds and sign-offs made through the services (as the views
would), each committed."""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.auth.models import Gender
from mab.board.queries import rule_groups
from mab.board.services import create_default_groups
from mab.drafts.models import Draft, DraftVersion
from mab.extensions import db
from mab.meetings.models import Meeting, MeetingKind, MeetingStatus
from mab.types import utcnow
from mab.validation import services
from mab.validation.models import SignOff, ValidationRound
from tests.drafts.support import (
    A,
    circulate,
    make_draft,
    membership_of,
    new_version,
    setup,
)
from tests.factories import make_assessment, make_member
from tests.records import count, events, last_mail_id, mail  # noqa: F401 (re-exported)

__all__ = [
    "A",
    "World",
    "add_board_member",
    "as_request",
    "circulate",
    "close",
    "count",
    "events",
    "fresh",
    "last_mail_id",
    "mail",
    "make_meeting",
    "membership_of",
    "new_version",
    "on_behalf",
    "open_round",
    "sign",
    "sign_form",
    "text_of",
    "world",
]


class as_request:
    """Services build mail links with url_for: run them in a request context."""

    def __enter__(self):
        self.context = current_app.test_request_context("/")
        self.context.__enter__()

    def __exit__(self, *exc):
        return self.context.__exit__(*exc)


@dataclass
class World:
    assessment: Assessment
    people: dict
    draft: Draft
    version: DraftVersion
    groups: list
    workshop: Meeting
    other: Assessment | None = None

    def m(self, who) -> Membership:
        return membership_of(self.people[who], self.assessment)

    @property
    def group_names(self) -> dict[int, str]:
        return {g.id: g.name for g in rule_groups(self.assessment)}


def add_board_member(assessment, email, group, *, gender=None, name=None,
                     status=BoardStatus.ACTIVE, organisation=""):
    user = make_member(assessment, Role.BOARD_MEMBER, email=email, name=name, gender=gender)
    membership = membership_of(user, assessment)
    membership.board_status = status
    membership.group_id = group.id if group is not None else None
    membership.organisation = organisation
    db.session.commit()
    return user


def make_meeting(assessment, title="Validation workshop", *, days=3, kind=None,
                 status=MeetingStatus.SCHEDULED) -> Meeting:
    start = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    meeting = Meeting(assessment_id=assessment.id,
                      kind=kind or MeetingKind.VALIDATION_WORKSHOP, title=title,
                      starts_at=start, ends_at=start + timedelta(hours=3), status=status)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def world(*, other=True) -> World:
    """kz-2022 (drafts setup()) with the default groups; the board member (a woman, government,
    "Ministry of Digital Development") and member2 (a man, academia) active; a nominee in
    media; a researcher's draft circulated (v1); a validation workshop. With ``other``: uz-2023
    with its own coordinator, board member and meeting."""
    assessment, people = setup()
    groups = create_default_groups(assessment)
    board = membership_of(people["board_member"], assessment)
    board.group_id, board.organisation = groups[0].id, "Ministry of Digital Development"
    people["board_member"].name = "Aigerim Board"
    people["board_member"].gender = Gender.WOMAN
    db.session.commit()
    people["member2"] = add_board_member(assessment, "member2@example.org", groups[1],
                                         gender=Gender.MAN, name="Second Member",
                                         organisation="KazNU")
    people["nominee"] = add_board_member(assessment, "nominee@example.org", groups[4],
                                         name="Nominee Person", status=BoardStatus.NOMINEE)
    draft = make_draft(assessment, people["researcher"],
                       "Policy is sound.\n\nAccess is uneven.", title="Policy findings")
    version = circulate(draft, assessment, people["researcher"])
    workshop = make_meeting(assessment)
    uz = None
    if other:
        uz = make_assessment(slug="uz-2023", title="Uzbekistan 2023")
        people["other_coordinator"] = make_member(uz, Role.COORDINATOR, email="coord@example.uz")
        people["other_member"] = make_member(uz, Role.BOARD_MEMBER, email="member@example.uz")
        membership_of(people["other_member"], uz).board_status = BoardStatus.ACTIVE
        db.session.commit()
        make_meeting(uz, "Uzbek workshop")
    return World(assessment, people, draft, version, groups, workshop, uz)


def open_round(w: World, version=None, *, days=7, meeting=None, actor="coordinator",
               end_consultation=True):
    """Open a round as the coordinator would, confirming the end of a consultation still open
    (issue 13: a round ends the version's comment period)."""
    with as_request():
        round_ = services.open_round(version or w.version, w.assessment,
                                     deadline=w.assessment.today() + timedelta(days=days),
                                     meeting_id=meeting.id if meeting else None,
                                     actor=w.people[actor], end_consultation=end_consultation)
    db.session.commit()
    return round_


def sign(w: World, round_, who="board_member", decision="endorse", statement=""):
    previous = services.current_signoff(round_, w.m(who).id)
    row = services.sign(round_, w.assessment, w.m(who), decision=decision, statement=statement,
                        seen_sha256=round_.version_sha256,
                        replaces=previous.id if previous else None)
    db.session.commit()
    return row


def on_behalf(w: World, round_, who, decision="endorse", statement="", meeting=None):
    row = services.record_on_behalf(round_, w.assessment, w.m("coordinator"), w.m(who),
                                    decision=decision, statement=statement,
                                    meeting_id=(meeting or w.workshop).id)
    db.session.commit()
    return row


def close(w: World, round_, *, reason="The board agreed to close early.",
          workshop="not_held"):
    """Close as the coordinator confirming (``reason`` counts only before the deadline,
    ``workshop`` only for a workshop not held)."""
    result = services.close_round(round_, w.assessment, w.group_names,
                                  actor=w.people["coordinator"], reason=reason,
                                  workshop=workshop)
    db.session.commit()
    return result


def sign_form(round_, decision="endorse", statement="", *, replaces=None, confirm=True,
              sha256=None) -> dict:
    data = {"decision": decision, "statement": statement,
            "sha256": round_.version_sha256 if sha256 is None else sha256,
            "replaces": "" if replaces is None else str(replaces)}
    if confirm:
        data["confirm"] = "y"
    return data


def fresh(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)




def current_rows(round_, membership) -> list[SignOff]:
    return db.session.scalars(select(SignOff).where(
        SignOff.round_id == round_.id, SignOff.membership_id == membership.id,
        SignOff.superseded_at.is_(None))).all()








def rounds() -> list[ValidationRound]:
    return db.session.scalars(select(ValidationRound).order_by(ValidationRound.id)).all()


def text_of(response) -> str:
    """The page's text, entities decoded and whitespace collapsed."""
    import html
    import re
    body = response.get_data(as_text=True)
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    return re.sub(r" ([,.:;])", r"\1", text)     # "<strong>Name</strong>, ..." reads "Name, ..."
