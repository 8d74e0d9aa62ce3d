"""What the assessment's home page shows a member: the cards of their role (``rules.home_cards``),
each read only when shown, by a fixed number of queries whatever the number of drafts."""
from datetime import datetime

from mab.assessments import queries, rules
from mab.assessments.models import Assessment, Membership
from mab.board import queries as board_queries
from mab.drafts import queries as draft_queries
from mab.editions import pages as edition_pages
from mab.extensions import db
from mab.meetings import queries as meeting_queries
from mab.meetings.models import Rsvp
from mab.permissions import Action, can
from mab.validation import queries as validation_queries
from mab.visits import queries as visit_queries


def home_page(assessment: Assessment, membership: Membership, now: datetime,
              since: datetime | None) -> dict:
    """The template's context; ``since``: the end of the member's last visit (None: a first)."""
    role, today = membership.role, assessment.today()
    cards = rules.home_cards(role, signs_off=membership.is_active_board_member)
    statuses = draft_queries.circulated_statuses([assessment])[assessment.id]
    page = dict(assessment=assessment, cards=cards, statuses=statuses, today=today, since=since,
                phase=rules.shown_phase(assessment.phase, (s.code for s in statuses.values())))
    if {rules.DECISIONS, rules.ROUNDS, rules.BLOCKED} & {*cards.needs, *cards.info}:
        rounds = validation_queries.open_rounds(assessment, membership)
        page["rounds"] = rounds
        page["decisions"] = [r for r, mine in rounds if mine is None]
        page["overdue_rounds"] = [r for r, _mine in rounds if r.deadline < today]
    if rules.TO_REVIEW in cards:
        page["to_review"] = draft_queries.to_review(membership, today)
    if rules.MEETINGS in cards or rules.MEETINGS_TO_ANSWER in cards:
        meetings = meeting_queries.next_meetings_for(membership, now)
        mine = meeting_queries.my_invitations(membership, [m.id for m in meetings])
        unanswered = {m.id for m in meetings if m.id in mine and mine[m.id].rsvp == Rsvp.PENDING}
        page["unanswered"] = unanswered
        page["meetings_to_answer"] = [m for m in meetings if m.id in unanswered]
        page["meetings"] = (meetings if rules.MEETINGS_TO_ANSWER not in cards
                            else [m for m in meetings if m.id not in unanswered])
    if rules.AWAITING_RESPONSE in cards or rules.BLOCKED in cards:
        awaiting = queries.awaiting_response(assessment)
        # The researcher's own drafts first; every draft is theirs to answer for, though.
        page["awaiting"] = sorted(awaiting, key=lambda a: a.owner_id != membership.id)
        page["ended_unanswered"] = [a for a in awaiting if a.consultation_ended(today)]
    if rules.MY_DRAFTS in cards:
        mine = db.session.scalars(draft_queries.drafts(
            assessment, circulated_only=False, owner_id=membership.id)).all()
        page["my_drafts"] = mine
        page["draft_statuses"] = draft_queries.draft_statuses(mine, today)
    if rules.BALANCE in cards and can(role, Action.VIEW_BALANCE):
        page["balance_failures"] = board_queries.failing_checks(assessment)
    if rules.BLOCKED in cards and can(role, Action.MANAGE_BOARD):
        page["pending_invitations"] = queries.pending_invitations(assessment)
        page["failed_messages"] = queries.failed_messages(assessment)
    if rules.TRANSLATIONS in cards:
        page["translations"] = edition_pages.drafts_to_translate(assessment)
    if rules.NEWS in cards:
        page["news"] = visit_queries.on_drafts(membership, since)
    return page
