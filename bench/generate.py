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
from itertools import pairwise

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from mab.assessments.models import Assessment, BoardStatus, Membership, Phase, Role
from mab.audit.services import record_event
from mab.auth.models import Gender, User
from mab.board.models import StakeholderGroup
from mab.board.services import create_default_groups
from mab.extensions import db
from mab.notify.models import OutboxMessage, OutboxStatus
from mab.types import utcnow

PASSWORD = "bench-pass-123"

# Counts per size. Steps read them with counts.get(key, 0), so a new key is optional elsewhere.
SIZES: dict[str, dict[str, int]] = {
    "small": {
        "board_members": 15, "nominees": 3, "stepped_down": 1, "ungrouped": 0,
        "coordinators": 1, "researchers": 3, "observers": 2,
        "outbox_messages": 20,
        "meetings": 4, "invitees": 15,
        "indicators": 40, "drafts": 20, "versions": 2, "words": 400, "long_words": 5000,
        "comments": 50, "draft_comments": 10,
        "validation_rounds": 3,
        "sources_per_indicator": 5, "recommendations": 15, "follow_up_updates": 5,
    },
    "national-large": {
        "board_members": 60, "nominees": 8, "stepped_down": 4, "ungrouped": 2,
        "coordinators": 1, "researchers": 3, "observers": 2,
        "outbox_messages": 80,
        "meetings": 40, "invitees": 60,
        "indicators": 303, "drafts": 400, "versions": 4, "words": 600, "long_words": 5000,
        "comments": 20_000, "draft_comments": 500,
        "validation_rounds": 20,
        "sources_per_indicator": 5, "recommendations": 150, "follow_up_updates": 5,
    },
    # About 7x national-large, in a database that holds other assessments too (COMPANIONS), so
    # a query that is not bounded by its assessment pays for theirs. Opt-in (see DEFAULT_SIZES).
    "xl": {
        "board_members": 300, "nominees": 20, "stepped_down": 15, "ungrouped": 5,
        "coordinators": 1, "researchers": 8, "observers": 3,
        "outbox_messages": 300,
        "meetings": 80, "invitees": 300,
        "indicators": 303, "drafts": 1500, "versions": 4, "words": 600, "long_words": 5000,
        "comments": 150_000, "draft_comments": 500,
        "validation_rounds": 40,
        "sources_per_indicator": 5, "recommendations": 300, "follow_up_updates": 5,
    },
}

# national-large in three languages (issue 18): the very same data (SAME_DATA_AS), plus a Kazakh
# and an English edition of every version (add_editions), drafts written in Russian and comments
# written in each language. Opt-in; `make bench` compares it with national-large (bench.run).
SIZES["national-large-3"] = {**SIZES["national-large"], "editions": 1}

# Sizes `make bench` measures unless told (--sizes); xl takes minutes to make.
DEFAULT_SIZES = ["small", "national-large"]
# Assessments made first in the same database as a size's own (their data is not measured).
COMPANIONS: dict[str, list[str]] = {"xl": ["small", "national-large"]}
# A variant draws the same random people, drafts and comments as the size it is made from.
SAME_DATA_AS: dict[str, str] = {"national-large-3": "national-large"}

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
    _seeds[assessment.slug] = f"bench-{SAME_DATA_AS.get(size, size)}"
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


_seeds: dict[str, str] = {}   # assessment slug: the slug whose random data it gets


def rng(assessment: Assessment, salt: str) -> random.Random:
    return random.Random(f"{_seeds.get(assessment.slug, assessment.slug)}:{salt}")


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
    membership = Membership(assessment=assessment, user=user, role=role,
                            accepted_at=utcnow() if account else None, **fields)
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

    def make(title, item, versions, words):
        draft = Draft(assessment_id=assessment.id, subject=Subject.INDICATOR, item=item,
                      title=title, owner=owner, created_at=now - timedelta(days=21 * versions))
        db.session.add(draft)
        body, blocks = _text(random_, words), None
        for number in range(1, versions + 1):
            if number > 1:
                body = _revise(random_, body)
            blocks = assign_ids(split_blocks(body), blocks)
            # A plausible timeline: a version circulated every three weeks for two weeks of
            # comments; the last circulated one 10 days ago (still open for 4 days), the working
            # version begun 3 days ago. Earlier periods are over.
            circulated = now - timedelta(days=10 + 21 * (versions - 1 - number))
            made = circulated - timedelta(days=1) if number < versions \
                else now - timedelta(days=3)
            version = DraftVersion(draft=draft, number=number, body=body, blocks=blocks,
                                   created_at=made, updated_at=made)
            db.session.add(version)
            if number < versions:
                version.frozen_at = circulated
                version.sha256 = content_hash(body, [])
                db.session.add(Circulation(version=version, circulated_at=circulated,
                                           deadline=circulated.date() + timedelta(days=14)))
        return draft

    for n in range(counts.get("drafts", 0)):
        make(f"Draft finding {n + 1}", indicators[n % len(indicators)] if indicators else None,
             counts.get("versions", 1), counts.get("words", 300))
    long = make("Whole report (long)", None, 2, counts.get("long_words", 0) or 300)
    db.session.flush()
    return {"draft_id": long.id}


# --- evidence and recommendations (issue 19) ----------------------------------------------------

SOURCE_TITLES = {
    "official_statistics": ["Household survey on ICT use", "Statistical yearbook: communications",
                            "Census of telecommunication operators"],
    "survey": ["National survey of Internet users", "Survey of rural households' connectivity",
               "Youth media literacy survey"],
    "legal_text": ["Law on access to information", "Law on communications (as amended)",
                   "Rules on personal data protection"],
    "expert_interview": ["Interview with the regulator's staff", "Interview with a digital "
                         "rights lawyer", "Focus group of journalists"],
    "international_index": ["Inclusive Internet Index", "ITU ICT Development Index",
                            "E-Government Development Index"],
    "other": ["Civil society shadow report", "Operator's annual report", "Press monitoring"],
}
PUBLISHERS = ["Bureau of National Statistics (example)", "Ministry of Digital Development "
              "(example)", "National University (example)", "ITU", "UN DESA",
              "Digital Rights Centre (example)", "Internet users' association (example)"]
QUALITY_NOTES = ["", "", "Figures from the last census; the regions are not broken down.",
                 "Survey sample of 1,200 households; margin of error 3 %.",
                 "Only the capital is covered.", "Данные за 2020 год, новых нет."]
RECOMMENDATION_VERBS = ["adopt", "publish", "extend", "fund", "review", "monitor", "train",
                        "open", "protect", "measure"]
RESPONSIBLE = ["Ministry of Digital Development", "Ministry of Information and Social "
               "Development", "Bureau of National Statistics", "Telecom regulator",
               "Parliament", "Telecom operators", "Media associations", "Universities",
               "Civil society organisations"]
FOLLOW_UP_NOTES = ["Draft law submitted to parliament.", "A working group was set up.",
                   "Budget line approved for next year.", "No action reported by the ministry.",
                   "Pilot in two regions.", "Опубликован план мероприятий.",
                   "The regulator published the data."]


def _indicators(assessment: Assessment, counts: dict) -> list:
    """The indicators add_drafts made for this size, in their order."""
    from mab.framework.models import FrameworkItem, ItemKind

    return db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.INDICATOR)
        .order_by(FrameworkItem.id)).all()[:counts.get("indicators", 0)]


def _bulk(table, rows: list[dict]) -> None:
    """Core executemany, 2,000 rows a statement (as add_comments)."""
    for start in range(0, len(rows), 2000):
        db.session.execute(table.insert(), rows[start:start + 2000])


def _next_ids(model, rows: list[dict]) -> None:
    """Give ``rows`` ids after the table's largest, so link rows can point at them without
    RETURNING; ``_move_sequence`` then moves PostgreSQL's sequence past them."""
    from sqlalchemy import func

    base = db.session.scalar(select(func.coalesce(func.max(model.id), 0)))
    for n, row in enumerate(rows):
        row["id"] = base + 1 + n


def _move_sequence(model) -> None:
    from sqlalchemy import text

    if db.engine.dialect.name == "postgresql":
        table = model.__tablename__
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT max(id) FROM {table}))"))


@step
def add_evidence(assessment: Assessment, counts: dict) -> dict:
    """``sources_per_indicator`` sources behind every indicator (5: 1,515 links at
    national-large), inserted in bulk: each indicator has that many less two sources of its
    own and shares one with each neighbour (so a source serves one or two indicators, and
    there are one fewer sources than links per indicator). Kinds, years and publishers mixed;
    two in five disaggregated by gender, some by other dimensions too; most with a link. Each
    indicator's data status: about 45 % available, 25 % partial, 12 % no data, 5 % not
    applicable, 3 % a note without a status, 10 % no row (not assessed yet). Returns
    ``evidence_item_id``, the first indicator (its register page), and ``source_id``, its first
    source."""
    from mab.evidence.models import (DataStatus, IndicatorEvidence, Source, SourceKind,
                                     source_indicators)

    per_indicator = counts.get("sources_per_indicator", 0)
    indicators = _indicators(assessment, counts)
    if not per_indicator or not indicators:
        return {}
    random_ = rng(assessment, "evidence")
    researchers = db.session.scalars(select(Membership.user_id).where(
        Membership.assessment_id == assessment.id, Membership.role == Role.RESEARCHER)
        .order_by(Membership.id)).all() or [coordinator(assessment).id]
    now = utcnow()
    kinds = list(SourceKind)
    sources, links = [], []

    def source(served: list) -> None:
        kind = random_.choices(kinds, weights=[4, 3, 2, 1, 2, 1])[0]
        created = now - timedelta(days=random_.randint(5, 200))
        sources.append({
            "assessment_id": assessment.id, "number": len(sources) + 1,
            "title": f"{random_.choice(SOURCE_TITLES[kind.value])} {random_.randint(2015, 2022)}",
            "publisher": random_.choice(PUBLISHERS),
            "data_year": None if random_.random() < 0.05 else random_.randint(2015, 2022),
            "url": "" if random_.random() < 0.15 else
            f"https://example.org/{assessment.slug}/sources/{len(sources) + 1}",
            "kind": kind.value,
            "verification": random_.choice(["Published report", "Official website",
                                            "Interview notes kept by the research team", ""]),
            "gender_disaggregated": random_.random() < 0.4,
            "other_dimensions": random_.choice(["", "", "age", "age, region", "urban/rural"]),
            "created_by_id": random_.choice(researchers), "created_at": created,
            "updated_at": created, "file_name": None, "file_type": None, "file_size": None,
            "file_sha256": None, "file_key": None})
        links.extend({"source": len(sources) - 1, "item_id": item.id} for item in served)

    shared = 2 if per_indicator >= 2 and len(indicators) > 1 else 0
    for i, item in enumerate(indicators):
        for _ in range(per_indicator - shared):
            source([item])
        if shared:   # shared with the next one (the last with the first)
            source([item, indicators[(i + 1) % len(indicators)]])
    _next_ids(Source, sources)
    _bulk(Source.__table__, sources)
    _bulk(source_indicators, [{"source_id": sources[link["source"]]["id"],
                               "item_id": link["item_id"]} for link in links])
    _move_sequence(Source)

    statuses = [DataStatus.AVAILABLE] * 45 + [DataStatus.PARTIAL] * 25 + \
        [DataStatus.NO_DATA] * 12 + [DataStatus.NOT_APPLICABLE] * 5 + [None] * 13
    rows = []
    for item in indicators:
        status = random_.choice(statuses)
        if status is None and random_.random() < 10 / 13:
            continue   # not assessed yet: no row
        rows.append({"assessment_id": assessment.id, "item_id": item.id,
                     "data_status": status.value if status else None,
                     "quality_note": random_.choice(QUALITY_NOTES) if status else
                     "To be checked with the statistics bureau.",
                     "updated_by_id": random_.choice(researchers),
                     "updated_at": now - timedelta(days=random_.randint(1, 100))})
    _bulk(IndicatorEvidence.__table__, rows)
    counts["sources"], counts["source_links"] = len(sources), len(links)
    counts["evidence_rows"] = len(rows)
    return {"evidence_item_id": indicators[0].id, "source_id": sources[0]["id"]}


def _recommendation_text(random_, n: int) -> str:
    actor = random_.choice(RESPONSIBLE)
    a, b = random_.sample(WORDS, 2)
    rest = " ".join(random_.choice(WORDS) for _ in range(random_.randint(20, 50)))
    return (f"Recommendation {n}: the {actor} should {random_.choice(RECOMMENDATION_VERBS)} "
            f"the rules on {a} and {b}, {rest}.")


@step
def add_recommendations(assessment: Assessment, counts: dict) -> dict:
    """A recommendations draft whose one version (circulated 60 days ago; validated by
    ``validate_recommendations`` once the editions exist) has ``recommendations`` paragraphs,
    each with its details (two addressee groups, two indicators, one finding: an indicator
    draft on the first of them; priority, time frame, responsible actor) and
    ``follow_up_updates`` confirmed follow-up updates reported by board members in the previous
    calendar year, all inserted in bulk; and a validation workshop (held after the comment
    period) with every recommendation on its agenda and a position recorded on each. Made
    before add_editions, so with ``editions`` its
    version has a Kazakh and an English edition too (the other drafts' editions are drawn
    first: theirs stay the same). Returns ``follow_up_year`` (the annual report's year),
    ``recommendations_draft_id`` and ``workshop_id``."""
    from datetime import datetime, timezone

    from mab.drafts.models import Circulation, Draft, DraftVersion, Subject
    from mab.drafts.paragraphs import assign_ids, split_blocks
    from mab.drafts.rules import content_hash
    from mab.meetings.models import Meeting, MeetingKind, MeetingStatus
    from mab.recommendations.models import (FollowUpStatus, FollowUpUpdate, Position, Priority,
                                            Recommendation, TimeFrame, UpdateState,
                                            WorkshopItem, recommendation_findings,
                                            recommendation_groups, recommendation_indicators)

    total = counts.get("recommendations", 0)
    indicators = _indicators(assessment, counts)
    if not total or not indicators:
        return {}
    random_ = rng(assessment, "recommendations")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    year = now.year - 1
    coordinator_user = coordinator(assessment)
    owner = db.session.scalar(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.role == Role.RESEARCHER)
        .order_by(Membership.id))

    body = "\n\n".join(_recommendation_text(random_, n + 1) for n in range(total))
    blocks = assign_ids(split_blocks(body))
    circulated = now - timedelta(days=60)
    draft = Draft(assessment_id=assessment.id, subject=Subject.RECOMMENDATIONS,
                  title="Policy recommendations", owner=owner,
                  created_at=circulated - timedelta(days=30))
    version = DraftVersion(draft=draft, number=1, body=body, blocks=blocks,
                           created_at=circulated - timedelta(days=1),
                           updated_at=circulated - timedelta(days=1), frozen_at=circulated,
                           sha256=content_hash(body, []))
    db.session.add_all([draft, version, Circulation(
        version=version, circulated_at=circulated, circulated_by_id=coordinator_user.id,
        deadline=(circulated + timedelta(days=14)).date())])
    db.session.flush()

    groups = db.session.scalars(select(StakeholderGroup.id).where(
        StakeholderGroup.assessment_id == assessment.id)
        .order_by(StakeholderGroup.position)).all()
    findings = db.session.execute(select(Draft.id, Draft.item_id).where(
        Draft.assessment_id == assessment.id, Draft.item_id.is_not(None))
        .order_by(Draft.id)).all()
    board = db.session.scalars(select(Membership.id).where(
        Membership.assessment_id == assessment.id, Membership.role == Role.BOARD_MEMBER,
        Membership.board_status == BoardStatus.ACTIVE).order_by(Membership.id)).all()
    rows, group_links, indicator_links, finding_links, updates = [], [], [], [], []
    progress = [FollowUpStatus.NOT_STARTED, FollowUpStatus.IN_PROGRESS,
                FollowUpStatus.IN_PROGRESS, FollowUpStatus.PARTLY_IMPLEMENTED]
    finals = [FollowUpStatus.IMPLEMENTED] * 3 + [FollowUpStatus.PARTLY_IMPLEMENTED] * 3 + \
        [FollowUpStatus.IN_PROGRESS] * 2 + [FollowUpStatus.ABANDONED]
    for n, block in enumerate(blocks):
        rows.append({"version_id": version.id, "block_id": block["id"],
                     "priority": random_.choice(list(Priority)).value,
                     "time_frame": random_.choice(list(TimeFrame)).value,
                     "responsible": random_.choice(RESPONSIBLE)})
        for group_id in random_.sample(groups, min(2, len(groups))):
            group_links.append({"row": n, "group_id": group_id})
        finding = random_.choice(findings) if findings else None
        first = finding.item_id if finding else random_.choice(indicators).id
        second = random_.choice([i.id for i in indicators if i.id != first] or [first])
        for item_id in dict.fromkeys([first, second]):
            indicator_links.append({"row": n, "item_id": item_id})
        if finding:
            finding_links.append({"row": n, "draft_id": finding.id})
        wanted = counts.get("follow_up_updates", 0)
        statuses = (progress[:max(0, wanted - 1)] + [random_.choice(finals)])[-wanted:] \
            if wanted else []
        for k, status in enumerate(statuses):
            reported = date(year, 1, 10) + timedelta(days=70 * k + random_.randint(0, 40))
            decided = datetime.combine(reported + timedelta(days=random_.randint(1, 7)),
                                       datetime.min.time(), timezone.utc) + timedelta(hours=9)
            updates.append({
                "assessment_id": assessment.id, "draft_id": draft.id, "block_id": block["id"],
                "status": status.value, "reported_on": reported,
                "note": random_.choice(FOLLOW_UP_NOTES),
                "evidence_url": "" if random_.random() < 0.4 else
                f"https://example.org/{assessment.slug}/follow-up/{n + 1}/{k + 1}",
                "state": UpdateState.CONFIRMED.value,
                "reported_by_id": random_.choice(board) if board else None,
                "decided_by_id": coordinator_user.id, "decided_at": decided,
                "created_at": datetime.combine(reported, datetime.min.time(), timezone.utc)
                + timedelta(hours=15),
                "file_name": None, "file_type": None, "file_size": None, "file_sha256": None,
                "file_key": None})
    _next_ids(Recommendation, rows)
    _bulk(Recommendation.__table__, rows)
    for table, links in ((recommendation_groups, group_links),
                         (recommendation_indicators, indicator_links),
                         (recommendation_findings, finding_links)):
        _bulk(table, [{"recommendation_id": rows[link["row"]]["id"],
                       **{k: v for k, v in link.items() if k != "row"}} for link in links])
    _move_sequence(Recommendation)
    _bulk(FollowUpUpdate.__table__, updates)

    # The validation workshop, held after the comment period: every recommendation on its
    # agenda, the board's position recorded on each (not carried into a new version).
    starts = circulated + timedelta(days=15, hours=4)
    workshop = Meeting(assessment_id=assessment.id, kind=MeetingKind.VALIDATION_WORKSHOP,
                       title="Validation workshop: policy recommendations", starts_at=starts,
                       ends_at=starts + timedelta(hours=4), place="Almaty",
                       agenda="1. Opening\n2. The recommendations\n3. Next steps",
                       organizer=coordinator_user, status=MeetingStatus.HELD,
                       minutes="The board discussed every recommendation.")
    db.session.add(workshop)
    db.session.flush()
    positions = [Position.ENDORSED] * 8 + [Position.DEFERRED, Position.REJECTED]
    _bulk(WorkshopItem.__table__, [
        {"meeting_id": workshop.id, "draft_id": draft.id, "block_id": block["id"],
         "version_id": version.id, "position": random_.choice(positions).value,
         "amended_text": "", "recorded_by_id": coordinator_user.id,
         "recorded_at": starts + timedelta(minutes=2 * n), "applied_version_id": None}
        for n, block in enumerate(blocks)])
    db.session.flush()
    counts["recommendation_rows"], counts["follow_up_rows"] = len(rows), len(updates)
    return {"follow_up_year": year, "recommendations_draft_id": draft.id,
            "workshop_id": workshop.id}


# --- editions (issue 18) ------------------------------------------------------------------------

# Stand-ins for translation: each of WORDS in Kazakh and in other English words, so an edition
# is about as long as its source (Kazakh in Cyrillic, two bytes a letter, as the real thing).
TRANSLATED_WORDS = {
    "kk": ("интернет қолжетімділік саясат құқықтар ашықтық қолжетімдігі көпжақты қатысу "
           "кеңжолақты мобильді ауылдық қалалық әйелдер жастар деректер құпиялылық сөз үкімет "
           "ғылым сауалнама индикатор тұжырым дәлел реттеу нарық мазмұн тіл дағдылар "
           "қауіпсіздік сенім басқару ұлттық форум баяндама ұсыныс").split(),
    "en": ("web entry policies entitlements transparency inclusiveness multi-stakeholder "
           "involvement high-speed cellular countryside city female young information "
           "confidentiality speech state universities poll metric conclusion proof rulemaking "
           "economy material tongue abilities safety confidence stewardship countrywide "
           "conference study advice").split(),
}
DICTIONARIES = {language: dict(zip(WORDS, words, strict=True))
                for language, words in TRANSLATED_WORDS.items()}


def _translated(text: str, language: str, cache: dict) -> str:
    """``text`` word by word in ``language`` (cached: most paragraphs recur across versions)."""
    key = (language, text)
    if key not in cache:
        words = DICTIONARIES[language]
        out = []
        for token in text.split(" "):
            core = token.rstrip(".\n")
            word = words.get(core.lower(), core)
            out.append((word.capitalize() if core[:1].isupper() else word) + token[len(core):])
        cache[key] = " ".join(out)
    return cache[key]


@step
def add_editions(assessment: Assessment, counts: dict) -> dict:
    """With ``editions`` (national-large-3): every draft written in Russian, and every version
    with a Kazakh and an English edition translated paragraph by paragraph with
    ``mab.editions.rules.translate`` and inserted in bulk. Six editions in ten are complete;
    in the others a paragraph is current (60 %), outdated (25 %: made from an earlier wording
    of its source paragraph, the previous version's when it changed) or missing (15 %): about
    10 % of all paragraphs outdated, 6 % missing. One edition in five had machine help. A
    circulated version went out with its complete editions (``Circulation.languages``).
    Always returns the version numbers the edition pages use (at every size, so the pages are
    measured on data without editions too): ``latest_version`` (the working one, the
    translator's editor and the XLIFF), ``circulated_version`` (what members read) and
    ``edition_language``, the edition they open (Kazakh)."""
    from sqlalchemy import update
    from sqlalchemy.orm import selectinload

    from mab.drafts.models import Draft, DraftVersion
    from mab.editions import rules as edition_rules
    from mab.editions.models import Edition

    versions = counts.get("versions", 1)
    ids = {"latest_version": versions, "circulated_version": max(1, versions - 1),
           "edition_language": assessment.language_list[-2]}   # kk: ru, kk, en
    if not counts.get("editions"):
        return ids
    languages = assessment.language_list
    source, targets = languages[0], languages[1:]
    db.session.execute(update(Draft).where(Draft.assessment_id == assessment.id)
                       .values(source_language=source))
    drafts = db.session.scalars(
        select(Draft).where(Draft.assessment_id == assessment.id)
        .options(selectinload(Draft.versions).selectinload(DraftVersion.circulation))
        .order_by(Draft.id)).all()
    random_ = random.Random(f"{assessment.slug}:editions")   # apart from the shared data
    cache: dict = {}
    rows = []
    for draft in drafts:
        previous: dict[str, dict[str, dict]] = {}   # language: {paragraph id: block}
        for version in draft.versions:
            source_blocks = version.blocks or []
            complete_ones = []
            for language in targets:
                complete = random_.random() < 0.6
                before = previous.get(language, {})
                blocks: list[dict] = []
                for block in source_blocks:
                    roll = 0.0 if complete else random_.random()
                    if roll >= 0.85:
                        continue   # missing
                    if roll >= 0.6:   # outdated: made from an earlier wording
                        old = before.get(block["id"])
                        basis = old["basis"] if old and old["basis"] != block["text"] else \
                            block["text"].replace(" ", " the ", 1)
                    else:
                        basis = block["text"]
                    blocks = edition_rules.translate(blocks, source_blocks, block["id"],
                                                     _translated(basis, language, cache))
                    if basis != block["text"]:
                        blocks[-1].update(basis=basis,
                                          source_hash=edition_rules.paragraph_hash(basis))
                previous[language] = {b["id"]: b for b in blocks}
                if edition_rules.summary(language, source_blocks, blocks).complete:
                    complete_ones.append(language)
                rows.append({"version_id": version.id, "language": language, "blocks": blocks,
                             "source_index": edition_rules.source_index(blocks),
                             "machine_assisted": random_.random() < 0.2, "revision": 1,
                             "updated_by_id": draft.owner.user_id if draft.owner else None,
                             "updated_at": version.updated_at + timedelta(hours=6),
                             "frozen_at": None, "sha256": None})
            if version.circulation is not None:
                version.circulation.languages = ",".join(complete_ones)
    for start in range(0, len(rows), 2000):
        db.session.execute(Edition.__table__.insert(), rows[start:start + 2000])
    counts["edition_rows"] = len(rows)
    return ids


# --- comments ---------------------------------------------------------------------------------

COMMENT_OPENINGS = [
    "The figure on {a} looks outdated; the latest national survey gives a different number.",
    "Please cite the source for the statement on {a} and {b}.",
    "Could the finding distinguish rural and urban {a}?",
    "**Agree** with the direction, but the recommendation on {a} needs a timeline.",
    "Two points:\n\n- the data on {a} are from 2019;\n- the rules on {b} changed this year.",
    "Предлагаем уточнить формулировку о {a}: в тексте смешаны *доступ* и *использование*.",
    "Данные по {a} есть в отчёте министерства за прошлый год, просим их учесть.",
    "The wording on {a} may be read as criticism of {b}; please consider a neutral phrasing.",
    "This paragraph should mention the regional forum on {a}.",
    "See [the regulator's report](https://example.org/report) on {a}.",
    "Мы не согласны с выводом о {a}. Нужны дополнительные доказательства.",
    "Minor: the indicator on {a} uses a different year than the one on {b}.",
]
REPLY_TEXTS = [
    "Thank you; could you share the source you mention?",
    "We checked the survey: the 2021 figure is the latest published one.",
    "Спасибо, источник отправлю сегодня по почте.",
    "I support this comment; our members raised the same point.",
    "Agreed, and the same applies to the next paragraph.",
    "Поддерживаю. Это важно для регионов.",
]
RESPONSES = {
    "accepted": ["Accepted: the paragraph is rewritten with the newer figures.",
                 "Принято, формулировка изменена."],
    "partly_accepted": [("Partly accepted: we added the source; the conclusion stays, as the "
                         "survey supports it."), "Частично принято: добавлена ссылка."],
    "not_accepted": ["Not accepted: the indicator's definition requires the figure as given.",
                     "Не принято: методология ЮНЕСКО требует этот показатель."],
    "noted": ["Noted for the recommendations chapter.", "Учтено при подготовке рекомендаций."],
}


def _comment_body(random_) -> str:
    a, b = random_.sample(WORDS, 2)
    body = random_.choice(COMMENT_OPENINGS).format(a=a, b=b)
    if random_.random() < 0.5:   # some comments run to a paragraph or two more
        body += "\n\n" + _text(random_, random_.randint(10, 120), paragraph=60)
    return body


def _quote(random_, text: str) -> str:
    """A few consecutive words of the paragraph: what a reader selects."""
    words = text.split(" ")
    length = min(len(words), random_.randint(3, 12))
    start = random_.randrange(len(words) - length + 1)
    return " ".join(words[start:start + length]).strip(".")


def _spread(random_, total: int, drafts: list, silent_share: float = 0.1) -> dict:
    """``total`` comments over ``drafts``: some drafts get none, the others unevenly many."""
    silent = set(random_.sample(range(len(drafts)), int(len(drafts) * silent_share)))
    busy = [d for i, d in enumerate(drafts) if i not in silent] or drafts
    weights = [random_.expovariate(1.0) + 0.2 for _ in busy]
    shares: dict[int, int] = {}
    for draft in random_.choices(busy, weights=weights, k=total):
        shares[draft.id] = shares.get(draft.id, 0) + 1
    return shares


@step
def add_comments(assessment: Assessment, counts: dict) -> dict:
    """Comments on the circulated versions of the drafts, inserted in bulk (no audit events or
    notices): ``comments`` in all (replies included), ``draft_comments`` of them on one draft,
    the first indicator draft (returned as ``comments_draft_id``), spread over its versions, so
    its latest version shows them all (carried from earlier versions). About 30 % of the
    top-level comments quote their paragraph, a third more are on a paragraph without a quote,
    the rest on the whole draft; 20 % are replies; half the top-level ones have a disposition
    (with a response, often the version that addressed it, sometimes the commenter's verdict),
    a few are edited (with their earlier wording) or withdrawn. The long draft (the diff figure)
    gets none. Authors: three board members in four who have an account (every group), the
    research team in the replies and the responses."""
    from datetime import datetime, timezone

    from sqlalchemy import func, text
    from sqlalchemy.orm import selectinload

    from mab.comments.models import Comment, CommentRevision, Disposition
    from mab.drafts.models import Draft, DraftVersion

    total = counts.get("comments", 0)
    if not total:
        return {}
    random_ = rng(assessment, "comments")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    drafts = [d for d in db.session.scalars(
        select(Draft).where(Draft.assessment_id == assessment.id, Draft.item_id.is_not(None))
        .options(selectinload(Draft.versions).selectinload(DraftVersion.circulation))
        .order_by(Draft.id)).all() if any(v.circulation for v in d.versions)]
    memberships = db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id).order_by(Membership.id)).all()
    board = [m for m in memberships if m.board_status == BoardStatus.ACTIVE
             and m.user.password_hash is not None]
    commenters = random_.sample(board, max(1, len(board) * 3 // 4))
    activity = [random_.choice([1, 1, 2, 3, 6]) for _ in commenters]   # a few very active
    team = [m for m in memberships if m.role in (Role.RESEARCHER, Role.COORDINATOR)]

    focus = drafts[0]
    shares = _spread(random_, total - counts.get("draft_comments", 0), drafts[1:])
    shares[focus.id] = min(counts.get("draft_comments", 0), total)

    roots, replies, revisions = [], [], []   # dicts; replies and revisions point at root indexes
    for draft in drafts:
        n = shares.get(draft.id, 0)
        if not n:
            continue
        circulated = [v for v in draft.versions if v.circulation is not None]
        n_replies = min(n - 1, sum(random_.random() < 0.2 for _ in range(n)))
        responder = draft.owner or team[0]
        first = len(roots)
        for _ in range(n - n_replies):
            # Earlier versions drew more comments than later ones.
            version = random_.choices(circulated, weights=range(len(circulated) + 1, 1, -1))[0]
            opened = version.circulation.circulated_at
            closes = datetime.combine(version.circulation.deadline, datetime.max.time(),
                                      timezone.utc)
            span = (min(closes, now) - opened).total_seconds()
            created = opened + timedelta(seconds=random_.uniform(600, max(span, 1200) - 600))
            blocks = version.blocks or []
            kind = random_.random()
            block = random_.choice(blocks) if blocks and kind < 0.65 else None
            later = [v for v in draft.versions if v.number > version.number]
            row = {"assessment_id": assessment.id, "draft_id": draft.id,
                   "version_id": version.id, "parent_id": None,
                   "block_id": block["id"] if block else None,
                   "paragraph": blocks.index(block) + 1 if block else None,
                   "quote": _quote(random_, block["text"]) if block and kind < 0.3 else "",
                   "body": _comment_body(random_),
                   "author_id": random_.choices(commenters, weights=activity)[0].id,
                   "created_at": created, "edited_at": None, "withdrawn_at": None,
                   "disposition": None, "response": "", "addressed_in_id": None,
                   "disposed_by_id": None, "disposed_at": None, "satisfied": None,
                   "satisfied_at": None}
            # Every 16th is edited, every 40th withdrawn (so the small size has both too).
            if len(roots) % 40 == 7 and len(roots) > first:
                row["withdrawn_at"] = created + timedelta(hours=random_.randint(1, 48))
            elif random_.random() < 0.5:
                disposition = random_.choice(list(Disposition))
                # After the period if it is over, else soon after the comment.
                disposed = min(now - timedelta(minutes=5), (closes if closes < now else created)
                               + timedelta(hours=random_.randint(2, 240)))
                row.update(disposition=disposition,
                           response=random_.choice(RESPONSES[disposition.value]),
                           disposed_by_id=responder.id, disposed_at=disposed)
                if later and disposition in (Disposition.ACCEPTED, Disposition.PARTLY_ACCEPTED) \
                        and random_.random() < 0.8:
                    row["addressed_in_id"] = random_.choice(later).id
                verdict = random_.random()
                if verdict < 0.4 and disposed + timedelta(days=1) < now:
                    row.update(satisfied=verdict < 0.3, satisfied_at=disposed + timedelta(days=1))
            if not row["withdrawn_at"] and len(roots) % 16 == 3:
                # Edited within the hour; once in four times twice.
                times = [created, created + timedelta(minutes=20)]
                if random_.random() < 0.25:
                    times.append(created + timedelta(minutes=50))
                for written, replaced in pairwise(times):
                    revisions.append({"root": len(roots), "body": _comment_body(random_),
                                      "quote": row["quote"], "written_at": written,
                                      "replaced_at": replaced})
                row["edited_at"] = times[-1]
            roots.append(row)
        open_roots = [i for i in range(first, len(roots)) if not roots[i]["withdrawn_at"]]
        for _ in range(n_replies if open_roots else 0):
            index = random_.choice(open_roots)
            root = roots[index]
            who = random_.random()
            author = (responder if who < 0.5 else
                      next(m for m in commenters if m.id == root["author_id"]) if who < 0.7
                      else random_.choice(commenters))
            created = min(now - timedelta(minutes=1),
                          root["created_at"] + timedelta(hours=random_.uniform(1, 72)))
            replies.append({"root": index, "assessment_id": assessment.id,
                            "draft_id": draft.id, "version_id": root["version_id"],
                            "block_id": root["block_id"], "paragraph": root["paragraph"],
                            "quote": "", "body": random_.choice(REPLY_TEXTS),
                            "author_id": author.id, "created_at": created, "edited_at": None,
                            "withdrawn_at": (created + timedelta(hours=1)
                                             if random_.random() < 0.01 else None),
                            "disposition": None, "response": "", "addressed_in_id": None,
                            "disposed_by_id": None, "disposed_at": None, "satisfied": None,
                            "satisfied_at": None})
    # Ids given here, so replies and revisions can point at their comment without RETURNING
    # (row by row on SQLite); PostgreSQL's sequence is moved past them afterwards.
    base = db.session.scalar(select(func.coalesce(func.max(Comment.id), 0)))
    for n, row in enumerate(roots):
        row["id"] = base + 1 + n
    rows = roots + [{**{k: v for k, v in r.items() if k != "root"},
                     "id": base + 1 + len(roots) + n, "parent_id": roots[r["root"]]["id"]}
                    for n, r in enumerate(replies)]
    revision_rows = [{**{k: v for k, v in r.items() if k != "root"},
                      "comment_id": roots[r["root"]]["id"]} for r in revisions]
    # As the app stores them (mab.comments.services): Markdown rendered once, when saved.
    from mab.markdown import render_markdown
    for row in rows:
        row["body_html"] = str(render_markdown(row["body"]))
        row["response_html"] = str(render_markdown(row["response"])) if row.get("response") \
            else ""
    if counts.get("editions"):
        _comment_languages(assessment, rows, len(roots), team)
    # Core executemany: one statement per batch (the ORM's bulk insert splits it row by row).
    for table, table_rows in ((Comment.__table__, rows[:len(roots)]),
                              (Comment.__table__, rows[len(roots):]),
                              (CommentRevision.__table__, revision_rows)):
        for start in range(0, len(table_rows), 2000):
            db.session.execute(table.insert(), table_rows[start:start + 2000])
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('comments', 'id'), "
                                "(SELECT max(id) FROM comments))"))
    counts["matrix_rows"] = len(roots)   # top-level comments: the matrix and CSV rows
    reader = next(m for m in commenters if any(
        r["author_id"] == m.id for r in roots if r["draft_id"] == focus.id))
    return {"comments_draft_id": focus.id, "board_user_id": reader.user_id,
            "researcher_user_id": (focus.owner or team[0]).user_id}


def _comment_languages(assessment: Assessment, rows: list[dict], n_roots: int, team) -> None:
    """With editions: the language each comment was written in (half in the source language,
    three in ten in Kazakh, two in English; a reply mostly in its comment's), and the research
    team's Russian translation of one top-level comment in ten written in another language."""
    from mab.markdown import render_markdown

    random_ = random.Random(f"{assessment.slug}:comment-languages")
    languages = assessment.language_list
    by_id = {}
    for n, row in enumerate(rows):
        root = by_id.get(row["parent_id"])
        language = (root["language"] if root is not None and random_.random() < 0.8
                    else random_.choices(languages, weights=[5, 3, 2][:len(languages)])[0])
        row.update(language=language, translation="", translation_html="",
                   translation_language=None, translated_by_id=None)
        if n < n_roots:
            by_id[row["id"]] = row
            if language != languages[0] and random_.random() < 0.1:
                translation = f"Перевод: {row['body']}"
                row.update(translation=translation,
                           translation_html=str(render_markdown(translation)),
                           translation_language=languages[0],
                           translated_by_id=random_.choice(team).user_id)


@step
def add_validation(assessment: Assessment, counts: dict) -> dict:
    """Validation rounds on the latest circulated version of ``validation_rounds`` drafts, all
    closed but the last: about four active members in five decide (one in ten changes their
    mind first, so superseded rows exist too), every sign-off audited as the app does."""
    from datetime import datetime, timezone

    from sqlalchemy.orm import selectinload

    from mab.board.queries import rule_groups
    from mab.drafts.models import Draft, DraftVersion
    from mab.validation import rules, services
    from mab.validation.models import SignDecision, SignOff, ValidationRound

    wanted = counts.get("validation_rounds", 0)
    if not wanted:
        return {}
    random_ = rng(assessment, "validation")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    coordinator_user = coordinator(assessment)
    drafts = db.session.scalars(
        select(Draft).where(Draft.assessment_id == assessment.id)
        .options(selectinload(Draft.versions).selectinload(DraftVersion.circulation))
        .order_by(Draft.id)).all()
    versions = []
    for draft in drafts:
        frozen = [v for v in draft.versions if v.circulation is not None]
        if frozen and not any(v.frozen and v.number > frozen[-1].number for v in draft.versions):
            versions.append(frozen[-1])
    members = services.active_members(assessment)
    groups = {g.id: g.name for g in rule_groups(assessment)}
    decisions = [SignDecision.ENDORSE] * 7 + [SignDecision.RESERVATIONS] * 2 + [SignDecision.OBJECT]
    rounds = []
    for n, version in enumerate(versions[:wanted]):
        opened_at = now - timedelta(days=20 - n % 10)
        manifest = services.freeze_editions(version, assessment, when=opened_at)   # as a round does
        round_ = ValidationRound(assessment_id=assessment.id, version=version,
                                 version_sha256=rules.manifest_sha256(manifest) if manifest
                                 else version.sha256, editions=manifest, rule=rules.Rule.of(
                                     assessment).snapshot(), opened_by_id=coordinator_user.id,
                                 deadline=assessment.today() + timedelta(days=7),
                                 opened_at=opened_at)
        db.session.add(round_)
        db.session.flush()
        record_event("validation.opened", round_, actor=coordinator_user, assessment=assessment,
                     changes={"draft_id": version.draft_id, "version": version.number})
        for member in members:
            if random_.random() > 0.8:
                continue
            if random_.random() < 0.1:
                db.session.add(SignOff(round=round_, membership=member,
                                       decision=SignDecision.OBJECT, statement="First thoughts.",
                                       version_sha256=round_.version_sha256,
                                       created_at=now - timedelta(days=9),
                                       superseded_at=now - timedelta(days=8)))
            decision = random_.choice(decisions)
            row = SignOff(round=round_, membership=member, decision=decision,
                          statement="" if decision == SignDecision.ENDORSE else
                          "A statement on the findings.", version_sha256=round_.version_sha256,
                          created_at=now - timedelta(days=8))
            db.session.add(row)
            db.session.flush()
            record_event("validation.signed", row, actor=member.user, assessment=assessment,
                         changes={"round_id": round_.id, "decision": decision})
        rounds.append(round_)
    for round_ in rounds[:-1]:
        result = services.compute(round_, assessment, groups)
        round_.closed_at, round_.closed_by_id = now - timedelta(days=1), coordinator_user.id
        round_.passed, round_.result = result.passed, rules.as_dict(result)
    db.session.flush()
    return {"closed_round_id": rounds[0].id if len(rounds) > 1 else None,
            "open_round_id": rounds[-1].id}


@step
def validate_recommendations(assessment: Assessment, counts: dict) -> dict:
    """The recommendations draft's version validated (what the follow-up follows): a round
    opened after its comment period, every active member endorsing, closed as passed; with
    editions it signs their manifest, frozen as add_validation's rounds do."""
    from mab.board.queries import rule_groups
    from mab.drafts.models import Draft, Subject
    from mab.validation import rules, services
    from mab.validation.models import SignDecision, SignOff, ValidationRound

    draft = db.session.scalar(select(Draft).where(Draft.assessment_id == assessment.id,
                                                  Draft.subject == Subject.RECOMMENDATIONS))
    if draft is None:
        return {}
    version = draft.versions[-1]
    circulated = version.circulation.circulated_at
    opened_at = circulated + timedelta(days=16)
    manifest = services.freeze_editions(version, assessment, when=opened_at)
    coordinator_user = coordinator(assessment)
    round_ = ValidationRound(assessment_id=assessment.id, version=version,
                             version_sha256=rules.manifest_sha256(manifest) if manifest
                             else version.sha256, editions=manifest,
                             rule=rules.Rule.of(assessment).snapshot(),
                             opened_by_id=coordinator_user.id,
                             deadline=(circulated + timedelta(days=30)).date(),
                             opened_at=opened_at)
    db.session.add(round_)
    members = services.active_members(assessment)
    for member in members:
        db.session.add(SignOff(round=round_, membership=member, decision=SignDecision.ENDORSE,
                               version_sha256=round_.version_sha256,
                               created_at=opened_at + timedelta(days=4)))
    db.session.flush()
    result = services.compute(round_, assessment,
                              {g.id: g.name for g in rule_groups(assessment)}, members)
    round_.closed_at, round_.closed_by_id = circulated + timedelta(days=30), coordinator_user.id
    round_.passed, round_.result = result.passed, rules.as_dict(result)
    db.session.flush()
    return {"recommendations_round_id": round_.id}


# --- the report and its release (issue 20) -------------------------------------------------------

# Indicator drafts validated (a round each, every active member signing): three in five at small
# and national-large (240 rounds, 13,000 sign-offs), and at xl one per indicator (300 rounds by
# 300 members: 90,000 sign-offs, 7 times national-large's). The annex counts them in one grouped
# query and its ZIP writes them as they are read, so neither holds them all.
SIZES["small"]["validated_findings"] = 12
SIZES["national-large"]["validated_findings"] = 240
SIZES["national-large-3"]["validated_findings"] = 240
SIZES["xl"]["validated_findings"] = 300


@step
def validate_findings(assessment: Assessment, counts: dict) -> dict:
    """``validated_findings`` indicator drafts (drawn at random among those without a round)
    validated, so the assembled report has content: a closed, passed round on each one's latest
    circulated version, every active member endorsing. The first round is made as
    validate_recommendations makes its own (the rule and the outcome computed by the app); the
    others, inserted in bulk, carry the same rule and outcome, with their sign-offs. With
    editions, each round signs the manifest of its version's frozen editions (as a round does)."""
    from datetime import datetime, timezone

    from sqlalchemy.orm import selectinload

    from mab.board.queries import rule_groups
    from mab.drafts.models import Draft, DraftVersion, Subject
    from mab.validation import rules, services
    from mab.validation.models import SignDecision, SignOff, ValidationRound

    wanted = counts.get("validated_findings", 0)
    if not wanted:
        return {}
    has_round = set(db.session.scalars(select(ValidationRound.version_id).where(
        ValidationRound.assessment_id == assessment.id)))
    drafts = db.session.scalars(
        select(Draft).where(Draft.assessment_id == assessment.id,
                            Draft.subject == Subject.INDICATOR)
        .options(selectinload(Draft.versions).selectinload(DraftVersion.circulation))
        .order_by(Draft.id)).all()
    versions = []
    for draft in drafts:
        frozen = [v for v in draft.versions if v.circulation is not None]
        if frozen and not any(v.id in has_round for v in draft.versions):
            versions.append(frozen[-1])
    versions = sorted(rng(assessment, "validated findings").sample(
        versions, min(wanted, len(versions))), key=lambda v: v.id)
    if not versions:
        return {}
    now = datetime.now(timezone.utc).replace(microsecond=0)
    opened_at, closed_at = now - timedelta(days=9), now - timedelta(days=2)
    coordinator_user = coordinator(assessment)
    members = services.active_members(assessment)
    rule = rules.Rule.of(assessment).snapshot()

    def signed(version) -> tuple[str, list | None]:
        manifest = services.freeze_editions(version, assessment, when=opened_at) \
            if counts.get("editions") else None
        return (rules.manifest_sha256(manifest) if manifest else version.sha256), manifest

    first, rest = versions[0], versions[1:]
    sha, manifest = signed(first)
    round_ = ValidationRound(assessment_id=assessment.id, version=first, version_sha256=sha,
                             editions=manifest, rule=rule, opened_by_id=coordinator_user.id,
                             deadline=closed_at.date(), opened_at=opened_at)
    db.session.add(round_)
    for member in members:
        db.session.add(SignOff(round=round_, membership=member, decision=SignDecision.ENDORSE,
                               version_sha256=sha, created_at=opened_at + timedelta(days=3)))
    db.session.flush()
    result = services.compute(round_, assessment,
                              {g.id: g.name for g in rule_groups(assessment)}, members)
    round_.closed_at, round_.closed_by_id = closed_at, coordinator_user.id
    round_.passed, round_.result = result.passed, rules.as_dict(result)
    db.session.flush()
    rounds = []
    for version in rest:
        sha, manifest = signed(version)
        rounds.append({"assessment_id": assessment.id, "version_id": version.id,
                       "version_sha256": sha, "editions": manifest, "rule": rule,
                       "deadline": closed_at.date(), "opened_by_id": coordinator_user.id,
                       "opened_at": opened_at, "closed_by_id": coordinator_user.id,
                       "closed_at": closed_at, "passed": round_.passed,
                       "result": round_.result, "close_reason": ""})
    _next_ids(ValidationRound, rounds)
    _bulk(ValidationRound.__table__, rounds)
    _move_sequence(ValidationRound)
    _bulk(SignOff.__table__, [
        {"round_id": row["id"], "membership_id": member.id, "decision": SignDecision.ENDORSE,
         "statement": "", "version_sha256": row["version_sha256"],
         "created_at": opened_at + timedelta(days=3)}
        for row in rounds for member in members])
    _move_sequence(SignOff)
    db.session.flush()
    return {"validated_findings": len(versions)}


@step
def publish_report(assessment: Assessment, counts: dict) -> dict:
    """The report published as release 1 by the coordinator, through the app's use case (every
    content language assembled, with its open data), so the public site /p/<slug>/ has it."""
    from mab.releases import services

    if not counts.get("validated_findings"):
        return {}
    release = services.publish(assessment, coordinator(assessment))
    return {"release_number": release.number}
