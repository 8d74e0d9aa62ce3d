"""The demo's findings written in Russian and translated into Kazakh and English (issue 18)."""
from sqlalchemy import select

from mab.assessments.models import Assessment, Membership, Role
from mab.extensions import db
from mab.types import utcnow

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


def seed(assessment: Assessment, researcher: Membership, indicators: dict) -> None:
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
