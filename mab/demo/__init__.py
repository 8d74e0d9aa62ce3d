"""Demo data (DESIGN section 7): one Kazakh assessment with fictional people.

The board is deliberately imperfect (too few women, one person undisclosed) so later pages have
something to say. Idempotent: running it again changes nothing. The people, meetings, drafts,
comments and a validation round are made here; the translated findings (``translated``), the
evidence (``evidence``), the policy recommendations (``recommendations``) and the published
report (``release``) in modules of their own.
"""
from datetime import date

from sqlalchemy import select

from mab.assessments.models import Assessment, BoardStatus, Membership, Phase, Role
from mab.audit.services import record_event
from mab.auth.models import Gender, User
from mab.board.services import create_default_groups
from mab.demo import evidence, recommendations, release, translated
from mab.demo.rounds import closed_round
from mab.demo.translated import ACCESS, EQUITY, EQUITY_REVISED
from mab.extensions import db
from mab.types import utcnow

__all__ = ["ACCESS", "BOARD", "DEMO_PASSWORD", "EQUITY", "EQUITY_REVISED", "PEOPLE", "SLUG",
           "seed"]

DEMO_PASSWORD = "demo-pass-123"
SLUG = "kz-2022"

W, M, U = Gender.WOMAN, Gender.MAN, Gender.UNDISCLOSED

# (email, name, gender, language, role) and, for the board, (group, organisation, position, status)
PEOPLE = [
    ("coordinator@example.org", "Aigerim Sadykova", W, "ru", Role.COORDINATOR),
    ("researcher@example.org", "Daniyar Abenov", M, "ru", Role.RESEARCHER),
    ("observer@example.org", "Claire Dubois", W, "en", Role.OBSERVER),
    ("member01@example.org", "Nurlan Zhaksybekov", M, "kk", Role.BOARD_MEMBER),
    ("member02@example.org", "Yerlan Kassymov", M, "ru", Role.BOARD_MEMBER),
    ("member03@example.org", "Sergei Volkov", M, "ru", Role.BOARD_MEMBER),
    ("member04@example.org", "Gulnara Akhmetova", W, "kk", Role.BOARD_MEMBER),
    ("member05@example.org", "Marat Seitkali", M, "kk", Role.BOARD_MEMBER),
    ("member06@example.org", "Dmitry Orlov", M, "ru", Role.BOARD_MEMBER),
    ("member07@example.org", "Aliya Bekova", W, "ru", Role.BOARD_MEMBER),
    ("member08@example.org", "Timur Iskakov", M, "ru", Role.BOARD_MEMBER),
    ("member09@example.org", "John Miller", M, "en", Role.BOARD_MEMBER),
    ("member10@example.org", "Askar Dzhaksybekov", M, "kk", Role.BOARD_MEMBER),
    ("member11@example.org", "Olga Petrova", W, "ru", Role.BOARD_MEMBER),
    ("member12@example.org", "Bauyrzhan Omarov", M, "kk", Role.BOARD_MEMBER),
    ("member13@example.org", "Saule Mukhametzhanova", W, "kk", Role.BOARD_MEMBER),
    ("member14@example.org", "Alex Kim", U, "en", Role.BOARD_MEMBER),
]


G = "Government"
BOARD = {
    "member01@example.org": (G, "Ministry of Digital Development", "Deputy director", "active"),
    "member02@example.org": (G, "Committee for Information Security", "Head of division", "active"),
    "member03@example.org": (G, "Ministry of Culture and Information", "Adviser", "active"),
    "member04@example.org": (G, "Parliament (Mazhilis)", "Member of the digital committee", "active"),
    "member05@example.org": (G, "Akimat of Almaty", "Head of IT department", "active"),
    "member06@example.org": ("Academia", "Al-Farabi Kazakh National University", "Professor", "active"),
    "member07@example.org": ("Civil society", "Digital Rights Centre (example)", "Director", "active"),
    "member08@example.org": ("Technical community", "Kazakhstan Network Operators Group", "Chair", "active"),
    "member09@example.org": ("UN agencies and intergovernmental organisations", "UNESCO Almaty Office", "Programme specialist", "active"),
    "member10@example.org": ("Private sector", "Telecom operator (example)", "Regulatory affairs", "active"),
    "member11@example.org": ("Media and journalists", "Independent media association (example)", "Editor", "active"),
    "member12@example.org": ("National IGF community", "Kazakhstan IGF", "Coordinator", "active"),
    "member13@example.org": ("Academia", "Astana IT University", "Researcher", "nominee"),
    "member14@example.org": ("Civil society", "Youth Internet initiative (example)", "Founder", "nominee"),
}


def _password_hash() -> str:
    from flask import current_app
    from werkzeug.security import generate_password_hash
    return generate_password_hash(DEMO_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])


def seed() -> tuple[bool, list[tuple[str, str]]]:
    accounts = [("admin@example.org", "site admin")] + [
        (email, str(role).replace("_", " ")) for email, _n, _g, _l, role in PEOPLE]
    if db.session.scalar(select(Assessment.id).where(Assessment.slug == SLUG)) is not None:
        return False, accounts
    password_hash = _password_hash()   # one hash for all demo accounts: seeding stays quick

    def person(email, name, gender=None, language="en"):
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name, gender=gender, language=language,
                        password_hash=password_hash)
            db.session.add(user)
        return user

    admin = person("admin@example.org", "Site Administrator")
    admin.is_site_admin = True
    assessment = Assessment(slug=SLUG, title="Kazakhstan national IUI assessment",
                            country="Kazakhstan", year=2022, timezone="Asia/Almaty",
                            languages="ru,kk,en", phase=Phase.CONSULTATION)
    db.session.add(assessment)
    db.session.flush()
    groups = {g.name: g for g in create_default_groups(assessment, actor=admin)}
    for email, name, gender, language, role in PEOPLE:
        membership = Membership(assessment=assessment, user=person(email, name, gender, language),
                                role=role, accepted_at=utcnow())
        if email in BOARD:
            group, organisation, position, status = BOARD[email]
            membership.group_id = groups[group].id
            membership.organisation, membership.position = organisation, position
            membership.board_status = BoardStatus(status)
            membership.nominated_on = date(2022, 1, 20)
            membership.term_start, membership.term_end = date(2022, 2, 1), date(2027, 12, 31)
            if status == "active":
                membership.appointed_on = date(2022, 2, 1)
        db.session.add(membership)
    db.session.flush()
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    _meetings(assessment, coordinator=coordinator)
    _drafts(assessment)
    record_event("demo.seeded", assessment, actor=admin, assessment=assessment,
                 changes={"people": len(PEOPLE)})
    release.seed(assessment)   # the report as published, with the public site on (issue 20)
    return True, accounts


def _meetings(assessment: Assessment, *, coordinator: User) -> None:
    """The Kazakhstan launch: the researcher training on 11 March 2022 and the first board
    meeting on 29 March 2022, both at 11:00 Almaty time (held, with attendance and
    minutes), and a consultation two weeks from now waiting for answers."""
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    from mab.meetings.models import (
        ActionItem,
        Attendance,
        Invitation,
        Meeting,
        MeetingKind,
        MeetingStatus,
        MinutesStatus,
        Rsvp,
    )

    almaty = ZoneInfo("Asia/Almaty")
    members = db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id)).all()
    team = [m for m in members if m.role in (Role.COORDINATOR, Role.RESEARCHER)]
    board = [m for m in members if m.role == Role.BOARD_MEMBER
             and m.board_status == BoardStatus.ACTIVE]

    def meeting(kind, title, start, invitees, **fields):
        m = Meeting(assessment_id=assessment.id, kind=kind, title=title, starts_at=start,
                    ends_at=start + timedelta(hours=3), place="Almaty, UNESCO Almaty Office",
                    organizer=coordinator, **fields)
        db.session.add(m)
        for membership in invitees:
            m.invitations.append(Invitation(membership=membership))
        return m

    training = meeting(MeetingKind.TRAINING, "Researcher training on the ROAM-X indicators",
                       datetime(2022, 3, 11, 11, tzinfo=almaty), team,
                       status=MeetingStatus.HELD, agenda="1. The ROAM-X framework\n2. Sources",
                       minutes="The research team reviewed the indicators and data sources.")
    for invitation in training.invitations:
        invitation.rsvp, invitation.attendance = Rsvp.YES, Attendance.PRESENT
    first = meeting(MeetingKind.BOARD_MEETING, "First meeting of the advisory board",
                    datetime(2022, 3, 29, 11, tzinfo=almaty), team + board,
                    status=MeetingStatus.HELD,
                    agenda="1. Welcome\n2. The assessment plan\n3. [Board balance](/a/kz-2022/balance)",
                    minutes="The board adopted its terms of reference and the work plan.",
                    decisions="Adopt the terms of reference\nMeet again for the first drafts",
                    minutes_status=MinutesStatus.CIRCULATED,
                    minutes_circulated_at=datetime(2022, 4, 4, 9, tzinfo=timezone.utc))
    for n, invitation in enumerate(first.invitations):
        came = n % 4 != 3
        invitation.rsvp = Rsvp.YES if came else Rsvp.NO
        invitation.attendance = Attendance.PRESENT if came else Attendance.EXCUSED
    first.action_items.append(ActionItem(text="Send the first indicator drafts",
                                         owner=team[-1], due_on=date(2022, 4, 29)))
    soon = datetime.now(almaty).replace(hour=10, minute=0, second=0, microsecond=0)
    upcoming = meeting(MeetingKind.CONSULTATION, "Consultation on the draft findings",
                       soon + timedelta(days=14), team + board,
                       agenda="1. Draft findings, Rights\n2. Draft findings, Openness")
    for n, invitation in enumerate(upcoming.invitations):
        invitation.rsvp = [Rsvp.YES, Rsvp.PENDING, Rsvp.MAYBE, Rsvp.PENDING][n % 4]
    db.session.flush()


def _drafts(assessment: Assessment) -> None:
    """Example questions and indicators under every theme (marked as examples), and drafts in
    each state: one in consultation, one revised after comments (its working version cites two
    of the evidence's sources), one still being written; then the translated findings, the
    evidence and the policy recommendations."""
    from datetime import datetime, timedelta, timezone

    from mab.drafts.models import Circulation, Draft, DraftVersion, Subject
    from mab.drafts.paragraphs import assign_ids, split_blocks
    from mab.drafts.rules import content_hash
    from mab.framework.csvio import IndicatorRow
    from mab.framework.models import FrameworkItem, ItemKind
    from mab.framework.services import ensure_builtin, import_indicators, themes_of

    framework = ensure_builtin()
    assessment.framework_id = framework.id
    rows, line = [], 1
    for code, theme in sorted(themes_of(framework).items()):
        for q in (1, 2):
            for n in (1, 2):
                line += 1
                rows.append(IndicatorRow(
                    line, code, f"{code}.{q}",
                    f"(Example) Question {q} on {theme.title.lower()}", f"{code}.{q}.{n}",
                    f"(Example) Indicator {n} of question {q}: {theme.title}", core=n == 1))
    import_indicators(framework, rows, attribution="", actor=None, assessment=assessment)
    researcher = db.session.scalar(select(Membership).join(Membership.user).where(
        User.email == "researcher@example.org", Membership.assessment_id == assessment.id))
    indicators = {i.code: i for i in db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id, FrameworkItem.kind == ItemKind.INDICATOR))}
    today = assessment.today()
    texts = {
        "R.B.1.1": ("Freedom of expression online", [
            "Kazakhstan's Constitution guarantees freedom of expression (example finding).",
            "Interviews with journalists describe self-censorship on social networks.",
            "Recommendation: publish statistics on content removal requests."]),
        "A.B.1.1": ("Connectivity and usage", [
            "Mobile broadband covers most of the population (example finding).",
            "Rural households report lower fixed-broadband use than urban ones."]),
        "M.B.1.1": ("National Internet governance", [
            "A national IGF has met yearly since 2019 (example finding)."]),
        "R.A.1.1": ("Policy and regulatory framework", [
            "The Internet-related laws are listed in the national legal database "
            "(example finding).",
            "Public consultations on draft laws are held online on a government portal."]),
    }
    now = datetime.now(timezone.utc)
    for n, (code, (title, paragraphs)) in enumerate(texts.items()):
        draft = Draft(assessment_id=assessment.id, subject=Subject.INDICATOR,
                      item=indicators[code], title=title, owner=researcher)
        db.session.add(draft)
        body = "\n\n".join(paragraphs)
        first = DraftVersion(draft=draft, number=1, body=body,
                             blocks=assign_ids(split_blocks(body)))
        db.session.add(first)
        if n != 2:
            first.frozen_at = now - timedelta(days=10 + 15 * n)
            first.sha256 = content_hash(body, [])
            db.session.add(Circulation(version=first, circulated_at=first.frozen_at,
                                       deadline=today + timedelta(days=10 - 15 * n),
                                       message="Please comment before the consultation."))
        if n == 1:
            revised = body + ("\n\nA second survey confirms the gap [@src-1]; the ITU figures "
                              "agree [@src-4] (added after comments).")
            db.session.add(DraftVersion(draft=draft, number=2, body=revised,
                                        change_summary="Added the 2022 survey.",
                                        blocks=assign_ids(split_blocks(revised), first.blocks)))
    db.session.flush()
    _comments(assessment, researcher)
    _validation(assessment)
    translated.seed(assessment, researcher, indicators)
    evidence.seed(assessment, researcher, indicators)
    recommendations.seed(assessment, researcher, indicators)


def _validation(assessment: Assessment) -> None:
    """A closed round on "Policy and regulatory framework": most members endorsed it."""
    from datetime import timedelta

    from mab.drafts.models import Draft
    from mab.validation.models import SignDecision

    draft = db.session.scalar(select(Draft).where(Draft.assessment_id == assessment.id,
                                                  Draft.title == "Policy and regulatory framework"))
    now = utcnow()
    closed_round(assessment, draft.versions[0], opened=now - timedelta(days=12),
                 deadline=assessment.today() - timedelta(days=5),
                 closed=now - timedelta(days=4), decisions={
                     3: (SignDecision.OBJECT, "The draft understates the role of civil society."),
                     5: (SignDecision.RESERVATIONS, "Endorsed; the list of laws should be "
                         "updated before publication.")})


def _comments(assessment: Assessment, researcher: Membership) -> None:
    """Comments on the circulated drafts: open ones, a thread, and responses (one carried to v2)."""
    from datetime import timedelta

    from mab.comments.models import Comment, Disposition
    from mab.drafts.models import Draft
    from mab.types import utcnow

    members = {m.user.email: m for m in db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.role == Role.BOARD_MEMBER))}
    drafts = {d.title: d for d in db.session.scalars(select(Draft).where(
        Draft.assessment_id == assessment.id))}
    now = utcnow()

    def comment(draft, author, body, *, paragraph=None, quote="", days_ago=3, **fields):
        version = drafts[draft].versions[0]
        block = version.blocks[paragraph - 1]["id"] if paragraph else None
        row = Comment(assessment_id=assessment.id, draft_id=version.draft_id, version=version,
                      block_id=block, paragraph=paragraph, quote=quote, body=body,
                      author=members.get(author, researcher),
                      created_at=now - timedelta(days=days_ago), **fields)
        db.session.add(row)
        return row

    first = comment("Freedom of expression online", "member01@example.org",
                    "Please cite the **2021 survey** of journalists as well.", paragraph=2,
                    quote="self-censorship on social networks")
    comment("Freedom of expression online", "member02@example.org",
            "Рекомендацию стоит адресовать конкретному ведомству.", paragraph=3, days_ago=2)
    comment("Freedom of expression online", "member05@example.org",
            "The draft should mention the 2022 amendments to the media law.", days_ago=1)
    db.session.flush()
    db.session.add(Comment(assessment_id=assessment.id, draft_id=first.draft_id,
                           version_id=first.version_id, parent=first, block_id=first.block_id,
                           paragraph=first.paragraph, body="Which survey do you mean: the "
                           "one by the Union of Journalists?", author=researcher,
                           created_at=now - timedelta(days=2)))
    revised = drafts["Connectivity and usage"]
    comment("Connectivity and usage", "member03@example.org",
            "Add the 2022 figures for rural households.", paragraph=2, days_ago=12,
            disposition=Disposition.ACCEPTED, response="Added the 2022 survey as a new paragraph.",
            addressed_in=revised.versions[1], disposed_by=researcher,
            disposed_at=now - timedelta(days=4), satisfied=True, satisfied_at=now)
    comment("Connectivity and usage", "member04@example.org",
            "Coverage figures from operators are not independent.", paragraph=1, days_ago=11,
            disposition=Disposition.NOT_ACCEPTED, disposed_by=researcher,
            response="They are the regulator's figures, which the report cites as such.",
            disposed_at=now - timedelta(days=4))
