"""The demo's policy recommendations (issue 19 item 6): six recommendations addressed to
different groups, carried through a validation workshop into a validated version, and two of
them followed up."""
from sqlalchemy import select

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.auth.models import User
from mab.demo.rounds import closed_round
from mab.demo.translated import ACCESS, EQUITY
from mab.extensions import db
from mab.types import utcnow

RECOMMENDATIONS_TITLE = "Policy recommendations"
MINISTRY = "Ministry of Digital Development of the Republic of Kazakhstan"
# The six recommendations of version 1, each with its details and the validation workshop's
# position on it: (text, addressee groups, indicators, findings (draft titles), priority, time
# frame, responsible actor, position).
RECOMMENDATIONS = [
    ("Set out in law an exhaustive list of the grounds for restricting access to the Internet, "
     "publish every restriction and provide for its judicial review.",
     ["Government"], ["A.A.1.1", "R.B.1.1"], [ACCESS[1], "Freedom of expression online"],
     "high", "medium", MINISTRY, "endorsed"),
    ("Connect rural settlements to fixed broadband under the state programme, with published "
     "coverage and speed targets for each region.",
     ["Government", "Private sector"], ["A.B.1.1", "A.D.1.1"],
     ["Connectivity and usage", EQUITY[1]], "high", "long",
     "Kazakhtelecom and mobile operators, with the " + MINISTRY, "endorsed"),
    ("Publish statistics on content removal and blocking requests: how many were received and "
     "how many granted, by legal ground.",
     ["Government", "Private sector"], ["R.B.1.1"], ["Freedom of expression online"],
     "high", "short", "Ministry of Information and Social Development of the Republic of "
     "Kazakhstan", "amended"),
    ("Include classes for older people in rural districts in the national digital literacy "
     "programmes, given with libraries and civil society organisations.",
     ["Government", "Civil society"], ["A.D.1.1"], [EQUITY[1]], "medium", "medium",
     MINISTRY + " and regional akimats", "endorsed"),
    ("Hold the Kazakhstan Internet Governance Forum every year with an open call for sessions "
     "and remote participation, and publish its reports.",
     ["National IGF community", "Technical community"], ["M.B.1.1"],
     ["National Internet governance"], "medium", "short",
     "Kazakhstan IGF organising committee", "endorsed"),
    ("Train journalists and editors in digital safety and in verifying information online, "
     "with media associations and journalism faculties.",
     ["Media and journalists", "Academia"], ["R.B.1.1", "X.D.1.1"],
     ["Freedom of expression online"], "low", "medium",
     "Media associations and journalism faculties of the universities", "deferred"),
]
# The wording the validation workshop gave recommendation 3 (the same recommendation: its
# paragraph keeps its id in version 2).
AMENDED = (2, "The Ministry of Information and Social Development and the Internet platforms "
              "working in Kazakhstan publish every six months how many content removal and "
              "blocking requests they received and granted, by legal ground.")
# A board member's comment on recommendation 3 of version 1, and the research team's response.
RECOMMENDATION_COMMENT = ("member11@example.org", 3,
                          "The recommendation should say who publishes these figures and how "
                          "often.",
                          "The workshop amended the wording: it now names the ministry and the "
                          "platforms, every six months.")
# Follow-up of two validated recommendations (by paragraph index): (days ago, status, note,
# evidence link, reporter, confirmed).
FOLLOW_UP = {
    1: [(50, "in_progress", "The ministry's plan for 2023–2025 connects 1,000 villages to fibre; "
         "the tender has been announced.", "", "researcher@example.org", True),
        (20, "partly_implemented", "The operators report 600 of the 1,000 villages connected; "
         "speeds by region are not published yet.",
         "https://www.gov.kz/memleket/entities/mdai/press", "researcher@example.org", True)],
    4: [(40, "implemented", "The forum met with an open call for sessions and remote "
         "participation; its report is published.", "https://www.intgovforum.org/",
         "coordinator@example.org", True),
        (3, "implemented", "This year's report is published too, with the questions of the "
         "remote participants.", "https://www.intgovforum.org/", "member12@example.org",
         False)],
}


def seed(assessment: Assessment, researcher: Membership, indicators: dict) -> None:
    """The draft "Policy recommendations": six recommendations (its paragraphs) with their
    details. Version 1 circulated and commented on; a validation workshop endorsed
    four, amended one and deferred one; version 2 carries its positions, was circulated and
    validated; two of its recommendations have follow-up updates."""
    from collections import Counter
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from babel.dates import format_date

    from mab.board.models import StakeholderGroup
    from mab.comments.models import Comment, Disposition
    from mab.drafts.models import Circulation, Draft, DraftVersion, Subject
    from mab.drafts.paragraphs import assign_ids
    from mab.drafts.services import version_hash
    from mab.meetings.models import (
        Attendance,
        Invitation,
        Meeting,
        MeetingKind,
        MeetingStatus,
        MinutesStatus,
        Rsvp,
    )
    from mab.recommendations.models import (
        FollowUpStatus,
        FollowUpUpdate,
        Position,
        Priority,
        Recommendation,
        TimeFrame,
        UpdateState,
        WorkshopItem,
    )
    from mab.validation.models import SignDecision

    now, today = utcnow(), assessment.today()
    coordinator = db.session.scalar(select(Membership).join(Membership.user).where(
        User.email == "coordinator@example.org", Membership.assessment_id == assessment.id))
    members = {m.user.email: m for m in db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id))}
    groups = {g.name: g for g in db.session.scalars(select(StakeholderGroup).where(
        StakeholderGroup.assessment_id == assessment.id))}
    findings = {d.title: d for d in db.session.scalars(select(Draft).where(
        Draft.assessment_id == assessment.id))}
    author = researcher.user_id

    draft = Draft(assessment_id=assessment.id, subject=Subject.RECOMMENDATIONS,
                  title=RECOMMENDATIONS_TITLE, owner=researcher, source_language="en",
                  created_at=now - timedelta(days=125))
    db.session.add(draft)

    def version(number, blocks, days_ago, **fields):
        row = DraftVersion(draft=draft, number=number, blocks=blocks,
                           body="\n\n".join(b["text"] for b in blocks), created_by_id=author,
                           created_at=now - timedelta(days=days_ago),
                           updated_at=now - timedelta(days=days_ago), **fields)
        db.session.add(row)
        for block, (_text, addressees, codes, titles, priority, time_frame, responsible,
                    _position) in zip(blocks, RECOMMENDATIONS):
            db.session.add(Recommendation(
                version=row, block_id=block["id"], priority=Priority(priority),
                time_frame=TimeFrame(time_frame), responsible=responsible,
                groups=[groups[name] for name in addressees],
                indicators=[indicators[code] for code in codes],
                findings=[findings[title] for title in titles]))
        return row

    def circulate(row, days_ago, deadline):
        db.session.flush()   # the details are part of what the version's hash covers
        row.frozen_at = now - timedelta(days=days_ago)
        row.sha256 = version_hash(row)
        db.session.add(Circulation(version=row, circulated_by_id=author,
                                   circulated_at=row.frozen_at, deadline=deadline,
                                   message="Please comment on the policy recommendations."))

    # Version 1, circulated for comment; a member asks who should publish recommendation 3.
    first = version(1, assign_ids([r[0] for r in RECOMMENDATIONS]), days_ago=125)
    circulate(first, days_ago=120, deadline=today - timedelta(days=100))
    email, paragraph, body, response = RECOMMENDATION_COMMENT
    comment = Comment(assessment_id=assessment.id, draft=draft, version=first,
                      block_id=first.blocks[paragraph - 1]["id"], paragraph=paragraph,
                      body=body, author=members[email], created_at=now - timedelta(days=112))
    db.session.add(comment)

    # The validation workshop, held after the consultation: each recommendation's position.
    almaty = ZoneInfo("Asia/Almaty")
    held_on = today - timedelta(days=95)
    starts = datetime.combine(held_on, time(10), tzinfo=almaty)
    team = [m for m in members.values() if m.role in (Role.COORDINATOR, Role.RESEARCHER)]
    board = [m for m in members.values() if m.role == Role.BOARD_MEMBER
             and m.board_status == BoardStatus.ACTIVE]
    workshop = Meeting(
        assessment_id=assessment.id, kind=MeetingKind.VALIDATION_WORKSHOP,
        title="Validation workshop on the policy recommendations", starts_at=starts,
        ends_at=starts + timedelta(hours=4), place="Astana, Ministry of Digital Development",
        organizer=coordinator.user, status=MeetingStatus.HELD,
        agenda="1. The six policy recommendations (version 1)\n2. The board's positions\n"
               "3. Follow-up after publication",
        minutes="The board discussed the recommendations one by one: four were endorsed as "
                "written, the one on content removal statistics was amended, and the one on "
                "training journalists was deferred until a costed proposal is ready.",
        decisions="Endorse recommendations 1, 2, 4 and 5\nAmend recommendation 3\n"
                  "Defer recommendation 6",
        minutes_status=MinutesStatus.APPROVED)
    db.session.add(workshop)
    for n, membership in enumerate(team + board):
        came = n % 5 != 4
        workshop.invitations.append(Invitation(
            membership=membership, rsvp=Rsvp.YES if came else Rsvp.NO,
            attendance=Attendance.PRESENT if came else Attendance.EXCUSED))
    recorded_at = starts + timedelta(hours=3)
    items = [WorkshopItem(meeting=workshop, draft=draft, block_id=block["id"], version=first,
                          position=Position(recommendation[7]), recorded_by_id=coordinator.user_id,
                          recorded_at=recorded_at)
             for block, recommendation in zip(first.blocks, RECOMMENDATIONS)]
    index, amended = AMENDED
    items[index].amended_text = amended
    db.session.add_all(items)

    # Version 2 carries the positions (the amended paragraph keeps its id, the deferred one
    # stays as it was); circulated, then validated by the board.
    blocks = [dict(block, text=amended) if i == index else dict(block)
              for i, block in enumerate(first.blocks)]
    tally = Counter(r[7] for r in RECOMMENDATIONS)
    counts = ", ".join(f"{tally[p]} {p}" for p in ("endorsed", "amended", "deferred"))
    second = version(2, blocks, days_ago=93, change_summary=(
        f"Positions of the validation workshop of "
        f"{format_date(held_on, 'd MMMM y', locale='en')}: {counts}."))
    db.session.flush()
    for item in items:
        item.applied_version_id = second.id
    comment.disposition, comment.response = Disposition.ACCEPTED, response
    comment.addressed_in, comment.disposed_by = second, researcher
    comment.disposed_at = now - timedelta(days=92)
    circulate(second, days_ago=90, deadline=today - timedelta(days=76))
    closed_round(assessment, second, opened=now - timedelta(days=74),
                 deadline=today - timedelta(days=60), closed=now - timedelta(days=59),
                 decisions={4: (SignDecision.RESERVATIONS, "Endorsed; recommendation 6 should "
                                "come back with a costed proposal.")})

    # Follow-up after publication: confirmed updates, and one a member proposed.
    for index, updates in FOLLOW_UP.items():
        for days_ago, status, note, link, email, confirmed in updates:
            when = now - timedelta(days=days_ago)
            db.session.add(FollowUpUpdate(
                assessment_id=assessment.id, draft_id=draft.id,
                block_id=second.blocks[index]["id"], status=FollowUpStatus(status),
                reported_on=today - timedelta(days=days_ago), note=note, evidence_url=link,
                state=UpdateState.CONFIRMED if confirmed else UpdateState.PROPOSED,
                reported_by=members[email],
                decided_by_id=coordinator.user_id if confirmed else None,
                decided_at=when + timedelta(hours=5) if confirmed else None, created_at=when))
    db.session.flush()
