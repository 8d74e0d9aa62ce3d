"""Benchmark data: one assessment per size, built with the app's models (no HTTP).

``generate(size)`` creates the assessment ``bench-<size>`` and runs every step of ``STEPS`` on it
with the size's counts, then commits. A later feature adds its data without rewriting this:

    SIZES["small"]["meetings"] = 2           # or add the key in the dicts below
    SIZES["national-large"]["meetings"] = 8

    @step
    def add_meetings(assessment, counts):
        for n in range(counts.get("meetings", 0)):
            ...
        return {"meeting_id": first.id}       # optional: ids the runner's page paths can use

A step receives the assessment and the size's counts and may return a dict of ids, merged into
``Dataset.ids`` (``bench/run.py`` fills page paths such as ``/a/{slug}/board/{member_id}`` from
them). Steps run in order, so a step can read what earlier ones created. Everything is
deterministic: the same size always gives the same people.
"""
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from mab.assessments.models import Assessment, BoardStatus, Membership, Phase, Role
from mab.audit.services import record_event
from mab.auth.models import Gender, User
from mab.board.models import StakeholderGroup
from mab.board.services import create_default_groups
from mab.extensions import db
from mab.notify.models import OutboxMessage, OutboxStatus

PASSWORD = "bench-pass-123"

# Counts per size. Steps read them with counts.get(key, 0), so a new key is optional elsewhere.
SIZES: dict[str, dict[str, int]] = {
    "small": {
        "board_members": 15, "nominees": 3, "stepped_down": 1, "ungrouped": 0,
        "coordinators": 1, "researchers": 3, "observers": 2,
        "outbox_messages": 20,
        "meetings": 4, "invitees": 15,
        "indicators": 40, "drafts": 20, "versions": 2, "words": 400, "long_words": 5000,
    },
    "national-large": {
        "board_members": 60, "nominees": 8, "stepped_down": 4, "ungrouped": 2,
        "coordinators": 1, "researchers": 3, "observers": 2,
        "outbox_messages": 80,
        "meetings": 40, "invitees": 60,
        "indicators": 303, "drafts": 400, "versions": 4, "words": 600, "long_words": 5000,
    },
}

STEPS: list = []


def step(function):
    """Register a generator step: ``function(assessment, counts) -> dict | None``."""
    STEPS.append(function)
    return function


@dataclass
class Dataset:
    size: str
    slug: str
    assessment_id: int
    counts: dict
    ids: dict = field(default_factory=dict)   # from the steps: coordinator_id, member_id, ...


def generate(size: str, *, commit: bool = True) -> Dataset:
    """Create the assessment of ``size`` (a key of SIZES) and its data, in an app context."""
    if size not in SIZES:
        raise ValueError(f"Unknown size {size!r}; choose one of {', '.join(SIZES)}.")
    counts = dict(SIZES[size])
    assessment = Assessment(slug=f"bench-{size}", title=f"Benchmark assessment ({size})",
                            country="Kazakhstan", year=2022, timezone="Asia/Almaty",
                            languages="ru,kk,en", phase=Phase.CONSULTATION)
    db.session.add(assessment)
    db.session.flush()
    dataset = Dataset(size=size, slug=assessment.slug, assessment_id=assessment.id, counts=counts)
    for function in STEPS:
        dataset.ids.update(function(assessment, counts) or {})
    if commit:
        db.session.commit()
    return dataset


# --- helpers ----------------------------------------------------------------------------------

_hashes: dict[str, str] = {}


def password_hash() -> str:
    """One cheap hash for every generated account: generating stays fast."""
    if PASSWORD not in _hashes:
        _hashes[PASSWORD] = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    return _hashes[PASSWORD]


def rng(assessment: Assessment, salt: str) -> random.Random:
    return random.Random(f"{assessment.slug}:{salt}")


def email(assessment: Assessment, local: str) -> str:
    return f"{local}.{assessment.slug}@example.org"


def coordinator(assessment: Assessment) -> User:
    return db.session.scalar(
        select(User).join(Membership.user)
        .where(Membership.assessment_id == assessment.id, Membership.role == Role.COORDINATOR)
        .order_by(Membership.id).limit(1))


W, M, A, U = Gender.WOMAN, Gender.MAN, Gender.ANOTHER, Gender.UNDISCLOSED
# Board genders cycle through this pattern (None: not recorded); its first 15 hold every case.
GENDER_PATTERN = [W, M, M, W, M, W, U, M, W, M, None, W, M, W, A, M, W, M, None, W]

CYRILLIC_FIRST = {
    W: ["Айгерим", "Гульнара", "Алия", "Сауле", "Ольга", "Динара", "Жанар", "Асель", "Елена",
        "Камила", "Мадина", "Татьяна"],
    M: ["Нурлан", "Ерлан", "Сергей", "Марат", "Дмитрий", "Тимур", "Аскар", "Бауыржан", "Данияр",
        "Арман", "Ержан", "Руслан"],
}
CYRILLIC_LAST = [("Садыков", "Садыкова"), ("Абенов", "Абенова"), ("Касымов", "Касымова"),
                 ("Волков", "Волкова"), ("Ахметов", "Ахметова"), ("Орлов", "Орлова"),
                 ("Беков", "Бекова"), ("Искаков", "Искакова"), ("Омаров", "Омарова"),
                 ("Жаксыбеков", "Жаксыбекова"), ("Петров", "Петрова"),
                 ("Мухаметжанов", "Мухаметжанова"), ("Нурпеисов", "Нурпеисова")]
LATIN_FIRST = {
    W: ["Claire", "Anna", "Maria", "Sofia", "Aigerim", "Laura", "Dana", "Zhanna"],
    M: ["John", "Alex", "David", "Peter", "Yerlan", "Marco", "Timur", "Arman"],
}
LATIN_LAST = [("Dubois", "Dubois"), ("Miller", "Miller"), ("Kim", "Kim"), ("Rossi", "Rossi"),
              ("Novak", "Novak"), ("Seitkali", "Seitkali"), ("Bekov", "Bekova"),
              ("Schmidt", "Schmidt"), ("Omarov", "Omarova")]


def person_name(n: int, gender: Gender | None) -> tuple[str, str]:
    """A (name, language) pair: two people in three Cyrillic, the others Latin."""
    form = W if gender == W or (gender not in (W, M) and n % 2) else M
    female = form == W
    if n % 3 != 2:
        first, last = CYRILLIC_FIRST[form], CYRILLIC_LAST
        language = "kk" if n % 2 else "ru"
    else:
        first, last = LATIN_FIRST[form], LATIN_LAST
        language = "en"
    surname = last[(n * 5 + n // len(first)) % len(last)][1 if female else 0]
    return f"{first[n % len(first)]} {surname}", language


def add_person(assessment: Assessment, role: Role, local: str, n: int, gender, *,
               account: bool = True, **fields) -> Membership:
    name, language = person_name(n, gender)
    user = User(email=email(assessment, local), name=name, language=language, gender=gender,
                password_hash=password_hash() if account else None)
    membership = Membership(assessment=assessment, user=user, role=role, **fields)
    db.session.add_all([user, membership])
    return membership


# --- steps ------------------------------------------------------------------------------------

@step
def add_team(assessment, counts):
    """The coordinator(s), researchers and observers."""
    team = [(Role.COORDINATOR, "coordinator", counts.get("coordinators", 1), [W, M]),
            (Role.RESEARCHER, "researcher", counts.get("researchers", 0), [M, W, None, W]),
            (Role.OBSERVER, "observer", counts.get("observers", 0), [W, M, U])]
    n = 999   # the coordinator's name comes out Cyrillic, language Russian
    for role, local, how_many, genders in team:
        for i in range(how_many):
            n += 1
            add_person(assessment, role, f"{local}{i + 1:02d}", n, genders[i % len(genders)])
    db.session.flush()
    return {"coordinator_id": coordinator(assessment).id}


@step
def add_groups(assessment, counts):
    """The nine default stakeholder groups (DESIGN section 2)."""
    create_default_groups(assessment, actor=coordinator(assessment))


# Organisation and position by default group, in the order of DEFAULT_GROUPS.
ORGANISATIONS = [
    ("Ministry of Digital Development (example)", "Deputy director"),
    ("National University (example)", "Professor"),
    ("Network Operators Group (example)", "Chair"),
    ("Telecom operator (example)", "Regulatory affairs"),
    ("Independent media association (example)", "Editor"),
    ("Digital Rights Centre (example)", "Director"),
    ("Internet users' association (example)", "Member"),
    ("UNESCO Almaty Office", "Programme specialist"),
    ("National IGF (example)", "Coordinator"),
]
GROUP_WEIGHTS = [5, 3, 2, 3, 1, 3, 1, 1, 1]   # government-heavy, as boards often are
# Terms relative to today, so the board stays current whenever the benchmark runs.
TERM_STARTS_DAYS_AGO = [1000, 640, 270]
TERM_YEARS = [4, 5, 6]


@step
def add_board(assessment, counts):
    """Board members: varied groups, genders, statuses, terms, accounts and declarations."""
    total = counts["board_members"]
    groups = db.session.scalars(select(StakeholderGroup).where(
        StakeholderGroup.assessment_id == assessment.id).order_by(StakeholderGroup.position)).all()
    weights = GROUP_WEIGHTS[:len(groups)] + [1] * (len(groups) - len(GROUP_WEIGHTS))
    chance = rng(assessment, "board")
    picks = chance.choices(range(len(groups)), weights=weights, k=total)
    special = chance.sample(range(total), counts.get("nominees", 0)
                            + counts.get("stepped_down", 0) + counts.get("ungrouped", 0))
    nominees = set(special[:counts.get("nominees", 0)])
    stepped_down = set(special[len(nominees):len(nominees) + counts.get("stepped_down", 0)])
    ungrouped = set(special[len(nominees) + len(stepped_down):])
    today = date.today()
    actor = coordinator(assessment)
    members = []
    for i in range(total):
        gender = GENDER_PATTERN[i % len(GENDER_PATTERN)]
        group_index = picks[i]
        organisation, position = ORGANISATIONS[group_index % len(ORGANISATIONS)]
        start = today - timedelta(days=TERM_STARTS_DAYS_AGO[i % len(TERM_STARTS_DAYS_AGO)])
        end = (today - timedelta(days=30) if i % 17 == 5   # a term that ran out unnoticed
               else start + timedelta(days=365 * TERM_YEARS[i // 3 % len(TERM_YEARS)]))
        fields = {"group_id": None if i in ungrouped else groups[group_index].id,
                  "organisation": organisation, "position": position,
                  "term_start": start, "term_end": end,
                  "nominated_on": start - timedelta(days=30)}
        if i in nominees:
            fields.update(board_status=BoardStatus.NOMINEE, term_start=None, term_end=None,
                          nominated_on=today - timedelta(days=3 + i))
        elif i in stepped_down:
            fields.update(board_status=BoardStatus.STEPPED_DOWN, appointed_on=start,
                          stepped_down_on=start + timedelta(days=100 + 5 * (i % 20)))
        else:
            fields.update(board_status=BoardStatus.ACTIVE, appointed_on=start)
        if i % 5 == 1:
            fields.update(coi_declaration="Shareholder of a telecom operator (example).",
                          coi_declared_on=start)
        if i % 7 == 3:
            fields["notes"] = "Prefers to be reached by phone before meetings."
        # Nominees and one member in eight have not accepted their invitation yet.
        account = i not in nominees and i % 8 != 7
        membership = add_person(assessment, Role.BOARD_MEMBER, f"member{i + 1:03d}", i, gender,
                                account=account, **fields)
        membership.user.gender_recorded_by_coordinator = gender is not None and i % 4 == 0
        members.append(membership)
    db.session.flush()
    for membership in members:
        record_event("board.member_added", membership, actor=actor, assessment=assessment,
                     changes={"status": membership.board_status})
    first_active = next(m for m in members if m.board_status == BoardStatus.ACTIVE and m.group_id)
    return {"member_id": first_active.id}


@step
def add_outbox(assessment, counts):
    """Invitation emails: mostly sent, some pending, a few failed."""
    recipients = db.session.scalars(
        select(User.email).join(Membership.user).where(Membership.assessment_id == assessment.id)
        .order_by(Membership.id)).all()
    total = counts.get("outbox_messages", 0)
    for n in range(total):
        recipient = recipients[n % len(recipients)]
        if n % 10 == 9:
            status, attempts, error = OutboxStatus.FAILED, 10, "550 mailbox unavailable"
        elif n >= total - 5:
            status, attempts, error = OutboxStatus.PENDING, 0, None
        else:
            status, attempts, error = OutboxStatus.SENT, 1, None
        db.session.add(OutboxMessage(
            assessment_id=assessment.id, kind="invitation", recipient=recipient,
            subject=f"Invitation to {assessment.title}",
            body_text=f"You are invited to {assessment.title}: http://localhost/invite/{n}",
            body_html=None, status=status, attempts=attempts, last_error=error))
    db.session.flush()


@step
def add_meetings(assessment: Assessment, counts: dict) -> dict:
    """Meetings spread around today, each with up to ``invitees`` invitations (answers and
    attendance varied), minutes and an action item on the past ones."""
    from datetime import datetime, timezone

    from mab.meetings.models import (ActionItem, Attendance, Invitation, Meeting, MeetingKind,
                                     MeetingStatus, Rsvp)

    members = db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id,
        Membership.role.in_([Role.BOARD_MEMBER, Role.RESEARCHER, Role.COORDINATOR]))
        .order_by(Membership.id)).all()[:counts.get("invitees", 0)]
    organiser = coordinator(assessment)
    random_ = rng(assessment, "meetings")
    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    kinds = list(MeetingKind)
    answers = [Rsvp.YES, Rsvp.YES, Rsvp.NO, Rsvp.MAYBE, Rsvp.PENDING]
    first = None
    total = counts.get("meetings", 0)
    for n in range(total):
        starts = now + timedelta(days=7 * (n - total // 2), hours=2)
        past = starts < now
        meeting = Meeting(assessment_id=assessment.id, kind=kinds[n % len(kinds)],
                          title=f"Meeting {n + 1}: consultation round {n // 4 + 1}",
                          starts_at=starts, ends_at=starts + timedelta(hours=2),
                          place="Almaty", agenda="1. Opening\n2. Drafts\n3. AOB",
                          organizer=organiser,
                          status=MeetingStatus.HELD if past else MeetingStatus.SCHEDULED,
                          minutes="Discussed the drafts." if past else "")
        db.session.add(meeting)
        for membership in members:
            answer = random_.choice(answers)
            attendance = None
            if past:
                attendance = (Attendance.PRESENT if answer == Rsvp.YES else
                              Attendance.EXCUSED if answer == Rsvp.NO else Attendance.ABSENT)
            db.session.add(Invitation(meeting=meeting, membership=membership, rsvp=answer,
                                      attendance=attendance))
        if past and members:
            db.session.add(ActionItem(meeting=meeting, text="Send comments",
                                      owner=members[0], due_on=starts.date()))
        if not past and first is None:
            first = meeting
    db.session.flush()
    return {"meeting_id": (first.id if first else None)}


WORDS = ("internet access policy rights openness accessibility multistakeholder participation "
         "broadband mobile rural urban women youth data privacy expression government academia "
         "survey indicator finding evidence regulation market content language skills security "
         "trust governance national forum report recommendation").split()


def _text(random_, words: int, paragraph: int = 90) -> str:
    out, count = [], 0
    while count < words:
        n = min(paragraph, words - count)
        sentence = " ".join(random_.choice(WORDS) for _ in range(n))
        out.append(sentence.capitalize() + ".")
        count += n
    return "\n\n".join(out)


def _revise(random_, body: str) -> str:
    """Edit about one paragraph in four, drop one, add one: what a real revision looks like."""
    paragraphs = body.split("\n\n")
    for i in range(0, len(paragraphs), 4):
        words = paragraphs[i].split(" ")
        for _ in range(5):
            words[random_.randrange(len(words))] = random_.choice(WORDS)
        paragraphs[i] = " ".join(words)
    if len(paragraphs) > 3:
        paragraphs.pop(2)
    paragraphs.append(_text(random_, 60))
    return "\n\n".join(paragraphs)


@step
def add_drafts(assessment: Assessment, counts: dict) -> dict:
    """Indicators under the built-in themes (as an imported framework would have), drafts with
    several versions of realistic length, the older ones circulated, and one long draft whose two
    versions have 5,000 words each (for the diff figure)."""
    from datetime import datetime, timezone

    from mab.drafts.models import Circulation, Draft, DraftVersion, Subject
    from mab.drafts.paragraphs import assign_ids, split_blocks
    from mab.drafts.rules import content_hash
    from mab.framework.csvio import IndicatorRow
    from mab.framework.models import FrameworkItem, ItemKind
    from mab.framework.services import ensure_builtin, import_indicators, themes_of

    framework = ensure_builtin()
    assessment.framework_id = framework.id
    themes = sorted(themes_of(framework))
    rows = []
    for n in range(counts.get("indicators", 0)):
        theme = themes[n % len(themes)]
        question = f"{theme}.{n % 5 + 1}"
        rows.append(IndicatorRow(n + 2, theme, question, f"Question {question}",
                                 f"{question}.{n}", f"Indicator {n} under {theme}", n % 3 == 0))
    import_indicators(framework, rows, attribution="", actor=None, assessment=assessment)
    indicators = db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id, FrameworkItem.kind == ItemKind.INDICATOR)
        .order_by(FrameworkItem.id)).all()
    owner = db.session.scalar(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.role == Role.RESEARCHER))
    random_ = rng(assessment, "drafts")
    now = datetime.now(timezone.utc)
    today = now.date()

    def make(title, item, versions, words):
        draft = Draft(assessment_id=assessment.id, subject=Subject.INDICATOR, item=item,
                      title=title, owner=owner)
        db.session.add(draft)
        body, blocks = _text(random_, words), None
        for number in range(1, versions + 1):
            if number > 1:
                body = _revise(random_, body)
            blocks = assign_ids(split_blocks(body), blocks)
            version = DraftVersion(draft=draft, number=number, body=body, blocks=blocks)
            db.session.add(version)
            if number < versions:
                version.frozen_at = now
                version.sha256 = content_hash(body, [])
                db.session.add(Circulation(version=version, deadline=today + timedelta(days=7)))
        return draft

    for n in range(counts.get("drafts", 0)):
        make(f"Draft finding {n + 1}", indicators[n % len(indicators)] if indicators else None,
             counts.get("versions", 1), counts.get("words", 300))
    long = make("Whole report (long)", None, 2, counts.get("long_words", 0) or 300)
    db.session.flush()
    return {"draft_id": long.id}
