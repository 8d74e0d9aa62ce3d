"""Helpers for the comment tests: a team with a circulated draft, and comments, replies and
dispositions made through the services (as the views would), each committed."""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.auth.models import CommentEmails, Gender
from mab.board.services import create_default_groups
from mab.comments import services
from mab.comments.models import Comment
from mab.drafts.models import Draft, DraftVersion
from mab.extensions import db
from tests.drafts.support import (
    A,
    circulate,
    make_draft,
    membership_of,
    setup,
)
from tests.factories import make_assessment, make_member
from tests.records import count, events, last_mail_id, mail  # noqa: F401 (re-exported)

BODY = ("Internet use grew fast in **2021**.\n\n"
        "Mobile data is cheap in cities.\n\n"
        "Rural coverage is poor.")
PARAGRAPH = ("p1", "p2", "p3")


@dataclass
class World:
    assessment: Assessment
    people: dict
    draft: Draft
    version: DraftVersion
    groups: list

    def m(self, who) -> Membership:
        return membership_of(self.people[who], self.assessment)

    @property
    def url(self) -> str:
        return f"{A}/drafts/{self.draft.id}/v/1"


def add_board_member(assessment, email, group, gender=None, name=None, status=BoardStatus.ACTIVE):
    user = make_member(assessment, Role.BOARD_MEMBER, email=email, name=name, gender=gender)
    membership = membership_of(user, assessment)
    membership.board_status, membership.group_id = status, group.id if group else None
    db.session.commit()
    return user


def world(*, other=True) -> World:
    """kz-2022 (setup()) with stakeholder groups, the board member in government, a second
    active member in academia, and a researcher's draft of three paragraphs circulated (v1).
    With ``other``: uz-2023 with its own coordinator, researcher and board member."""
    assessment, people = setup()
    groups = create_default_groups(assessment)
    membership_of(people["board_member"], assessment).group_id = groups[0].id
    people["board_member"].gender = Gender.WOMAN
    db.session.commit()
    people["member2"] = add_board_member(assessment, "member2@example.org", groups[1],
                                         gender=Gender.MAN, name="Second Member")
    draft = make_draft(assessment, people["researcher"], BODY, title="Access findings")
    version = circulate(draft, assessment, people["researcher"])
    if other:
        uz = make_assessment(slug="uz-2023", title="Uzbekistan 2023")
        people["other_coordinator"] = make_member(uz, Role.COORDINATOR, email="coord@example.uz")
        people["other_researcher"] = make_member(uz, Role.RESEARCHER, email="res@example.uz")
        people["other_member"] = make_member(uz, Role.BOARD_MEMBER, email="member@example.uz")
        membership_of(people["other_member"], uz).board_status = BoardStatus.ACTIVE
        db.session.commit()
    return World(assessment, people, draft, version, groups)


class as_request:
    """Services build mail links with url_for: run them in a request context."""

    def __enter__(self):
        self.context = current_app.test_request_context("/")
        self.context.__enter__()

    def __exit__(self, *exc):
        return self.context.__exit__(*exc)


def comment(w: World, who="board_member", body="A comment.", *, block_id=None, quote="",
            version=None) -> Comment:
    with as_request():
        made = services.add_comment(version or w.version, w.assessment, w.m(who), body=body,
                                    block_id=block_id, quote=quote)
    db.session.commit()
    return made


def reply(w: World, parent, who="researcher", body="A reply.") -> Comment:
    with as_request():
        made = services.reply(parent, w.assessment, w.m(who), body=body)
    db.session.commit()
    return made


def dispose(w: World, target, who="researcher", disposition="accepted", response="Done.",
            addressed_in=None) -> Comment:
    with as_request():
        services.dispose(target, w.assessment, w.m(who), disposition=disposition,
                         response=response, addressed_in=addressed_in)
    db.session.commit()
    return target


def set_deadline(version, days_from_today):
    """Move a circulation's deadline relative to the assessment's today."""
    assessment = db.session.get(Assessment, version.draft.assessment_id)
    version.circulation.deadline = assessment.today() + timedelta(days=days_from_today)
    db.session.commit()


def fresh(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)










def block_ids(version) -> list[str]:
    return [b["id"] for b in version.blocks]


def daily(*users):
    for user in users:
        user.comment_emails = CommentEmails.DAILY
    db.session.commit()
