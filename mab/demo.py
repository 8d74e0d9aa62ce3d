"""Demo data (DESIGN section 7): one Kazakh assessment with fictional people.

The board is deliberately imperfect (too few women, one person undisclosed) so later pages have
something to say. Idempotent: running it again changes nothing.
"""
from datetime import date

from sqlalchemy import select

from mab.assessments.models import Assessment, BoardStatus, Membership, Phase, Role
from mab.audit.services import record_event
from mab.auth.models import Gender, User
from mab.board.services import create_default_groups
from mab.extensions import db
from mab.types import utcnow

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
    each state: one in consultation, one revised after comments, one still being written."""
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
    _trilingual(assessment, researcher, indicators)
    _evidence(assessment, researcher, indicators)
    _recommendations(assessment, researcher, indicators)


def _validation(assessment: Assessment) -> None:
    """A closed round on "Policy and regulatory framework": most members endorsed it."""
    from datetime import timedelta

    from mab.drafts.models import Draft
    from mab.validation.models import SignDecision

    draft = db.session.scalar(select(Draft).where(Draft.assessment_id == assessment.id,
                                                  Draft.title == "Policy and regulatory framework"))
    now = utcnow()
    _closed_round(assessment, draft.versions[0], opened=now - timedelta(days=12),
                  deadline=assessment.today() - timedelta(days=5),
                  closed=now - timedelta(days=4), decisions={
                      3: (SignDecision.OBJECT, "The draft understates the role of civil society."),
                      5: (SignDecision.RESERVATIONS, "Endorsed; the list of laws should be "
                          "updated before publication.")})


def _closed_round(assessment: Assessment, version, *, opened, deadline, closed, decisions: dict):
    """A round on ``version`` opened by the coordinator at ``opened`` and closed at ``closed``:
    every active member but the last two signed (the n-th as ``decisions[n]`` gives, else
    endorsed), two days after the opening and on in turn; the outcome computed as closing does."""
    from datetime import timedelta

    from mab.board.queries import rule_groups
    from mab.validation import rules, services
    from mab.validation.models import SignDecision, SignOff, ValidationRound

    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    round_ = ValidationRound(assessment_id=assessment.id, version=version,
                             version_sha256=version.sha256, deadline=deadline,
                             rule=rules.Rule.of(assessment).snapshot(),
                             opened_by_id=coordinator.id, opened_at=opened)
    db.session.add(round_)
    members = services.active_members(assessment)
    # One member of every group first, so that leaving the last two out keeps every group in.
    seen: set = set()
    firsts = [m for m in members if not (m.group_id in seen or seen.add(m.group_id))]
    members = firsts + [m for m in members if m not in firsts]
    for n, member in enumerate(members[:-2]):
        decision, statement = decisions.get(n, (SignDecision.ENDORSE, ""))
        db.session.add(SignOff(round=round_, membership=member, decision=decision,
                               statement=statement, version_sha256=version.sha256,
                               created_at=opened + timedelta(days=2 + n % 5)))
    db.session.flush()
    groups = {g.id: g.name for g in rule_groups(assessment)}
    result = services.compute(round_, assessment, groups)
    round_.closed_at, round_.closed_by_id = closed, coordinator.id
    round_.passed, round_.result = result.passed, rules.as_dict(result)
    return round_


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


# Two findings written in Russian and translated (issue 18): paragraph by paragraph, the
# Russian source and its Kazakh and English translations (None: not translated yet).
ACCESS = ("A.A.1.1", "Доступ к интернету и цифровые права", [
    ("Конституция Республики Казахстан гарантирует право свободно получать и распространять "
     "информацию любым не запрещённым законом способом; отдельного права на доступ к интернету "
     "законодательство не содержит (пример вывода).",
     "Қазақстан Республикасының Конституциясы заңмен тыйым салынбаған кез келген тәсілмен "
     "ақпаратты еркін алу және тарату құқығына кепілдік береді; заңнамада интернетке қол "
     "жеткізудің жеке құқығы көзделмеген (қорытынды үлгісі).",
     "The Constitution of the Republic of Kazakhstan guarantees the right to freely receive and "
     "disseminate information by any means not prohibited by law; the legislation provides for "
     "no separate right of access to the Internet (example finding)."),
    ("Государственная программа «Цифровой Казахстан» предусматривала подключение сельских "
     "населённых пунктов к широкополосному интернету. Участники интервью из отдалённых районов "
     "сообщают, что скорость и стабильность связи остаются недостаточными для дистанционного "
     "обучения и получения государственных услуг.",
     "«Цифрлық Қазақстан» мемлекеттік бағдарламасы ауылдық елді мекендерді кеңжолақты "
     "интернетке қосуды көздеді. Шалғай аудандардан сұхбатқа қатысқандар байланыстың "
     "жылдамдығы мен тұрақтылығы қашықтықтан оқуға және мемлекеттік қызметтерді алуға әлі де "
     "жеткіліксіз екенін айтады.",
     "The state programme \"Digital Kazakhstan\" provided for connecting rural settlements to "
     "broadband Internet. Interviewees from remote districts report that the speed and "
     "stability of connections are still insufficient for distance learning and for using "
     "public services."),
    ("Законодательство позволяет приостанавливать работу сетей и средств связи в ситуациях, "
     "угрожающих общественной безопасности. Сведения о таких отключениях не публикуются, "
     "поэтому их масштаб и соразмерность установить невозможно.",
     "Заңнама қоғамдық қауіпсіздікке қатер төндіретін жағдайларда желілер мен байланыс "
     "құралдарының жұмысын тоқтата тұруға мүмкіндік береді. Мұндай ажыратулар туралы мәліметтер "
     "жарияланбайды, сондықтан олардың ауқымы мен мөлшерлестігін анықтау мүмкін емес.",
     "The law allows networks and means of communication to be suspended in situations that "
     "threaten public security. Information about such shutdowns is not published, so their "
     "scale and proportionality cannot be established."),
    ("Рекомендация: закрепить в законе исчерпывающий перечень оснований для ограничения "
     "доступа к интернету, публиковать сведения о каждом таком случае и предусмотреть судебный "
     "контроль.",
     "Ұсыным: интернетке қол жеткізуді шектеу негіздерінің толық тізбесін заңмен белгілеу, "
     "әрбір осындай жағдай туралы мәліметтерді жариялау және сот бақылауын көздеу.",
     "Recommendation: set out in law an exhaustive list of the grounds for restricting access "
     "to the Internet, publish information on every such case and provide for judicial "
     "review."),
])

EQUITY = ("A.D.1.1", "Равный доступ к интернету", [
    ("Городские домохозяйства пользуются фиксированным широкополосным доступом заметно чаще, "
     "чем сельские (пример вывода).",
     "Қалалық үй шаруашылықтары тіркелген кеңжолақты байланысты ауылдық үй шаруашылықтарына "
     "қарағанда едәуір жиі пайдаланады (қорытынды үлгісі).",
     "Urban households use fixed broadband markedly more often than rural ones (example "
     "finding)."),
    ("По данным опроса 2021 года, каждый четвёртый житель старше 60 лет не пользуется "
     "интернетом.",
     "2021 жылғы сауалнаманың деректері бойынша 60 жастан асқан тұрғындардың әрбір төртіншісі "
     "интернетті пайдаланбайды.",
     None),
    ("Сайты государственных органов доступны на казахском и русском языках, но лишь немногие "
     "из них соответствуют требованиям доступности для людей с нарушениями зрения.",
     "Мемлекеттік органдардың сайттары қазақ және орыс тілдерінде қолжетімді, бірақ олардың "
     "аз бөлігі ғана көру қабілеті бұзылған адамдарға арналған қолжетімділік талаптарына сай "
     "келеді.",
     None),
    ("Рекомендация: включить в программы цифровой грамотности занятия для пожилых людей в "
     "сельских районах.",
     "Ұсыным: цифрлық сауаттылық бағдарламаларына ауылдық жерлердегі егде жастағы адамдарға "
     "арналған сабақтарды енгізу.",
     None),
])
# Version 2 of EQUITY: paragraph 2 revised with the 2022 survey (its Kazakh translation is then
# outdated) and the first two paragraphs translated into English.
EQUITY_REVISED = (1, "По данным опроса 2022 года, каждый пятый житель старше 60 лет не "
                     "пользуется интернетом; в 2021 году таким был каждый четвёртый.")
EQUITY_ENGLISH = {1: "According to the 2022 survey, one in five residents over 60 does not use "
                     "the Internet; in 2021 it was one in four."}

# Comments on the first finding, each in the language its author read it in:
# (author, paragraph, language, body, research team's translation into Russian or "").
TRILINGUAL_COMMENTS = [
    ("member02@example.org", 3, "ru",
     "Стоит указать, на какие нормы закона «О связи» опирается этот вывод.", ""),
    ("member04@example.org", 2, "kk",
     "Ауылдық мектептердегі интернет жылдамдығы туралы **2022 жылғы** деректерді қосу керек.",
     "Следует добавить данные **2022 года** о скорости интернета в сельских школах."),
    ("member09@example.org", 4, "en",
     "The recommendation could refer to the UN Human Rights Council resolutions on Internet "
     "shutdowns.", ""),
]


def _trilingual(assessment: Assessment, researcher: Membership, indicators: dict) -> None:
    """Two findings written in Russian: one circulated with complete Kazakh and English
    translations and commented on in all three languages; one whose version 2 revised a
    paragraph, so its Kazakh translation is outdated there, and half translated into English."""
    from datetime import timedelta

    from mab import markdown
    from mab.comments.models import Comment
    from mab.drafts.models import Circulation, Draft, DraftVersion, Subject
    from mab.drafts.paragraphs import assign_ids
    from mab.drafts.rules import content_hash
    from mab.editions import rules
    from mab.editions import services as editions
    from mab.editions.models import Edition

    now, today = utcnow(), assessment.today()
    author = researcher.user_id

    def finding(code, title, paragraphs, days_ago):
        draft = Draft(assessment_id=assessment.id, subject=Subject.INDICATOR,
                      item=indicators[code], title=title, owner=researcher,
                      source_language="ru")
        db.session.add(draft)
        texts = [p[0] for p in paragraphs]
        body = "\n\n".join(texts)
        version = DraftVersion(draft=draft, number=1, body=body, blocks=assign_ids(texts),
                               created_by_id=author, created_at=now - timedelta(days=days_ago))
        db.session.add(version)
        return draft, version

    def translated(version, language, texts: dict[int, str], days_ago):
        """The edition of ``version`` in ``language`` with ``{paragraph index: text}``."""
        blocks = []
        for index, text in sorted(texts.items()):
            blocks = rules.translate(blocks, version.blocks, version.blocks[index]["id"], text)
        version.editions.append(Edition(language=language, blocks=blocks, updated_by_id=author,
                                        updated_at=now - timedelta(days=days_ago)))

    def circulate(version, languages, days_ago, deadline):
        version.frozen_at = now - timedelta(days=days_ago)
        version.sha256 = content_hash(version.body, [])
        db.session.add(Circulation(version=version, circulated_by_id=author,
                                   circulated_at=version.frozen_at, deadline=deadline,
                                   languages=languages,
                                   message="Просим направить комментарии до обсуждения."))

    # 1. Circulated with its complete Kazakh and English translations.
    code, title, paragraphs = ACCESS
    access, first = finding(code, title, paragraphs, days_ago=9)
    translated(first, "kk", {i: p[1] for i, p in enumerate(paragraphs)}, days_ago=6)
    translated(first, "en", {i: p[2] for i, p in enumerate(paragraphs)}, days_ago=5)
    circulate(first, "kk,en", days_ago=4, deadline=today + timedelta(days=12))

    # 2. Version 1 circulated in Russian and Kazakh; version 2 revised paragraph 2.
    code, title, paragraphs = EQUITY
    equity, old = finding(code, title, paragraphs, days_ago=40)
    translated(old, "kk", {i: p[1] for i, p in enumerate(paragraphs) if p[1]}, days_ago=36)
    circulate(old, "kk", days_ago=35, deadline=today - timedelta(days=20))
    index, revised = EQUITY_REVISED
    texts = [revised if i == index else p[0] for i, p in enumerate(paragraphs)]
    body = "\n\n".join(texts)
    new = DraftVersion(draft=equity, number=2, body=body, blocks=assign_ids(texts, old.blocks),
                       change_summary="Данные опроса 2022 года.", created_by_id=author,
                       created_at=now - timedelta(days=3))
    db.session.add(new)
    editions.carry_over(old, new)   # the Kazakh translation follows, paragraph 2 outdated
    translated(new, "en", {0: paragraphs[0][2], **EQUITY_ENGLISH}, days_ago=2)
    db.session.flush()

    # Comments on the first finding in Russian, Kazakh and English; one translated.
    members = {m.user.email: m for m in db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.role == Role.BOARD_MEMBER))}
    for days_ago, (email, paragraph, language, body, translation) in enumerate(
            TRILINGUAL_COMMENTS, start=1):
        comment = Comment(assessment_id=assessment.id, draft_id=access.id, version=first,
                          block_id=first.blocks[paragraph - 1]["id"], paragraph=paragraph,
                          body=body, body_html=str(markdown.render_markdown(body)),
                          language=language, author=members[email],
                          created_at=now - timedelta(days=days_ago))
        if translation:
            comment.translation = translation
            comment.translation_html = str(markdown.render_markdown(translation))
            comment.translation_language = "ru"
            comment.translated_by_id = author
        db.session.add(comment)
    db.session.flush()


# --- Evidence (issue 19 item 6) ------------------------------------------------------------------
# Sources of the findings, numbered as they are cited ([@src-<number>]):
# (title, publisher, year of the data, link, kind, means of verification, gender-disaggregated,
# other dimensions, the indicators it serves).
SOURCES = [
    ("Use of information and communication technologies by households and individuals, 2021",
     "Bureau of National Statistics of the Agency for Strategic Planning and Reforms",
     2021, "https://stat.gov.kz/", "official_statistics",
     "Annual household survey; tables downloaded from the Bureau's website and checked against "
     "the 2020 edition.", True, "age, region, urban/rural", ["A.B.1.1", "A.D.1.1"]),
    ("Law of the Republic of Kazakhstan “On Informatization” (No. 418-V, as amended)",
     "Institute of Legislation and Legal Information (Adilet legal database)",
     2021, "https://adilet.zan.kz/eng/docs/Z1500000418", "legal_text",
     "Consolidated text with amendments to the end of 2021, read in the official database.",
     False, "", ["R.A.1.1", "A.A.1.1"]),
    ("Law of the Republic of Kazakhstan “On Communications” (No. 567-II, as amended)",
     "Institute of Legislation and Legal Information (Adilet legal database)",
     2020, "https://adilet.zan.kz/eng/docs/Z040000567_", "legal_text",
     "Article 41-1 on suspending networks and means of communication; consolidated text.",
     False, "", ["A.A.1.1"]),
    ("World Telecommunication/ICT Indicators Database: Kazakhstan",
     "International Telecommunication Union (ITU)",
     2021, "https://www.itu.int/en/ITU-D/Statistics/Pages/stat/default.aspx",
     "international_index",
     "Figures reported by the national regulator to the ITU; compared with the Bureau's survey.",
     True, "age", ["A.B.1.1", "A.C.1.1"]),
    ("Freedom on the Net 2021: Kazakhstan", "Freedom House",
     2021, "https://freedomhouse.org/country/kazakhstan/freedom-net/2021", "international_index",
     "Country report and scores; the events it cites checked against press reports.",
     False, "", ["R.B.1.1", "A.A.1.1"]),
    ("Interview with the Department of Digitalisation Policy",
     "Ministry of Digital Development, Innovation and Aerospace Industry",
     2021, "", "expert_interview",
     "Notes of a one-hour interview kept by the research team; the interviewee agreed to be "
     "cited by position.", False, "", ["R.A.1.1", "M.B.1.1"]),
    ("Reports of the Kazakhstan Internet Governance Forum, 2019–2021", "Kazakhstan IGF",
     2019, "https://www.intgovforum.org/", "other",
     "Programmes and participant lists of the three meetings.", True, "stakeholder group",
     ["M.B.1.1"]),
    ("Survey of journalists on safety and self-censorship online", "Union of Journalists of "
     "Kazakhstan", 2021, "", "survey",
     "Questionnaire and anonymised answers of 312 journalists, shared with the research team.",
     True, "age, region, type of media", ["R.B.1.1"]),
    ("Affordability Report 2021", "Alliance for Affordable Internet (A4AI)",
     2020, "https://a4ai.org/affordability-report/", "international_index",
     "The price of 1 GB of mobile data as a share of monthly income, from the report's tables.",
     False, "", ["A.C.1.1"]),
    ("Women and men of Kazakhstan, 2017–2021",
     "Bureau of National Statistics of the Agency for Strategic Planning and Reforms",
     2021, "https://stat.gov.kz/", "official_statistics",
     "Statistical collection; the chapter on the information society.", True, "age, region",
     ["X.A.1.1", "A.D.1.1"]),
]

# Each indicator's data status and the researcher's note on its quality.
EVIDENCE = {
    "A.B.1.1": ("available", "Two independent sources agree within two percentage points; the "
                "household survey is disaggregated by sex, age and region."),
    "R.A.1.1": ("available", "The consolidated laws are authoritative; the ministry's interview "
                "explains how they are applied."),
    "M.B.1.1": ("available", ""),
    "X.A.1.1": ("available", "Official gender statistics, published every year."),
    "A.D.1.1": ("partial", "Urban and rural households are compared, but there are no figures "
                "on persons with disabilities."),
    "A.A.1.1": ("partial", "Shutdowns are documented only by an international index: no "
                "official figures are published."),
    "R.B.1.1": ("partial", "One survey of journalists; no official statistics on content "
                "removal requests."),
    "A.C.1.1": ("partial", "International estimates only, one year behind."),
    "R.E.1.1": ("no_data", "The authorised body for personal data protection publishes no "
                "figures on complaints or sanctions."),
    "X.B.1.1": ("no_data", "No survey of children's Internet use since 2017; the next one is "
                "planned for 2023."),
    "O.E.1.1": ("no_data", "The open data portal publishes no statistics on the use of its "
                "data sets; requested from the operator, no answer yet."),
    "R.A.1.2": ("not_applicable", "The indicator concerns the laws of federal subjects; "
                "Kazakhstan is a unitary state."),
}


def _evidence(assessment: Assessment, researcher: Membership, indicators: dict) -> None:
    """Ten sources serving eight indicators (one serving two or more), and each indicator's
    data status: available, partial, no data (with the reason) and one not applicable."""
    from datetime import timedelta

    from mab.evidence.models import DataStatus, IndicatorEvidence, Source, SourceKind

    now = utcnow()
    for number, (title, publisher, year, url, kind, verification, gender, dimensions,
                 codes) in enumerate(SOURCES, start=1):
        when = now - timedelta(days=60 - 3 * number)
        db.session.add(Source(
            assessment_id=assessment.id, number=number, title=title, publisher=publisher,
            data_year=year, url=url, kind=SourceKind(kind), verification=verification,
            gender_disaggregated=gender, other_dimensions=dimensions,
            indicators=[indicators[code] for code in codes], created_by_id=researcher.user_id,
            created_at=when, updated_at=when))
    for n, (code, (status, note)) in enumerate(EVIDENCE.items()):
        db.session.add(IndicatorEvidence(
            assessment_id=assessment.id, item_id=indicators[code].id,
            data_status=DataStatus(status), quality_note=note, updated_by_id=researcher.user_id,
            updated_at=now - timedelta(days=30 - n)))
    db.session.flush()


# --- Policy recommendations (issue 19 item 6) ----------------------------------------------------
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


def _recommendations(assessment: Assessment, researcher: Membership, indicators: dict) -> None:
    """"Policy recommendations": six recommendations (the paragraphs of a recommendations draft)
    with their details. Version 1 circulated and commented on; a validation workshop endorsed
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
    _closed_round(assessment, second, opened=now - timedelta(days=74),
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
