"""The report's open data (issue 20 item 2): indicators with their data status, the sources the
validated text cites, the validated recommendations with their follow-up status and the board's
composition by group and gender, as plain JSON-able data (``collect``) and as a ZIP of CSV files
with a BOM, ``data.json`` and a README (``zip_bytes``).

``collect`` reads the database once per part, in a fixed number of queries; ``zip_bytes`` is a
pure function of its result, so a release can freeze the data and make the same ZIP later.

Only what may be public: the validated versions' recommendations (never a draft, a comment or a
workshop position), the sources cited by validated versions, data statuses, and the board as
counts by group and gender (no names: the annex lists the members publicly; cells of 1 or 2
people are shown as "<3" and the rest of their row withheld, so they cannot be worked out from
the row's total). E-mail addresses are withheld from every free text."""
import io
import json
import re
import zipfile
from collections import defaultdict

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from mab.board import queries as board_queries
from mab.board import rules as board_rules
from mab.csvio import write_csv
from mab.drafts.models import Draft, DraftVersion
from mab.evidence import rules as evidence_rules
from mab.evidence.coverage_queries import rows as coverage_rows
from mab.evidence.models import DATA_STATUS_LABELS, SOURCE_KIND_LABELS, Source, source_indicators
from mab.extensions import db
from mab.framework.models import FrameworkItem
from mab.i18n import display_name
from mab.recommendations import followup
from mab.recommendations import queries as rec_queries
from mab.recommendations import rules as rec_rules
from mab.recommendations.followup_queries import updates_of, validation_dates
from mab.recommendations.models import FOLLOW_UP_LABELS, PRIORITY_LABELS, TIME_FRAME_LABELS
from mab.validation.models import ValidationRound

SMALL = "<3"                 # a cell of 1 or 2 people
WITHHELD = "suppressed"      # a cell hidden so that a small one beside it stays hidden
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_WITHHELD = "[…]"

INDICATOR_COLUMNS = ["code", "title", "category_code", "category", "theme_code", "theme",
                     "data_status", "data_status_label", "sources"]
SOURCE_COLUMNS = ["number", "title", "publisher", "year", "url", "kind", "kind_label",
                  "gender_disaggregated", "indicators"]
RECOMMENDATION_COLUMNS = ["id", "text", "language", "addressees", "categories", "priority",
                          "priority_label", "time_frame", "time_frame_label", "responsible",
                          "follow_up_status", "follow_up_label", "validated_on"]
BOARD_COLUMNS = ["group", "women", "men", "other_or_undisclosed", "total"]
GENDER_KEYS = ("women", "men", "other_or_undisclosed")


# --- pure rules --------------------------------------------------------------------------------

def scrub(text: str | None) -> str:
    """The text with every e-mail address withheld (open data names no one's address) and its
    citations ``[@src-N]`` as ``[N]``, N the source's number in sources.csv."""
    text = EMAIL.sub(EMAIL_WITHHELD, text or "")
    return evidence_rules.REFERENCE.sub(r"[\1]", text)


def public_url(url: str | None) -> str:
    """A source's link, unless it is an e-mail link or holds an address."""
    url = (url or "").strip()
    if url.lower().startswith("mailto:") or EMAIL.search(url):
        return ""
    return url


def suppressed_row(cells: dict[str, int]) -> dict[str, int | str]:
    """A row's gender cells as published: each cell of 1 or 2 people is "<3", and when the row
    has one, its other gender cells are withheld too (its total is public)."""
    if not any(0 < n < board_rules.SUPPRESS_BELOW for n in cells.values()):
        return dict(cells)
    return {k: SMALL if 0 < n < board_rules.SUPPRESS_BELOW else WITHHELD
            for k, n in cells.items()}


def merged_genders(cells: dict[str, int]) -> dict[str, int]:
    """The board rules' four gender keys as the three published columns."""
    return {"women": cells.get(board_rules.WOMAN, 0), "men": cells.get(board_rules.MAN, 0),
            "other_or_undisclosed": cells.get(board_rules.ANOTHER, 0)
            + cells.get(board_rules.UNDISCLOSED, 0)}


def board_table(rows: list[tuple[str, dict[str, int], int]]) -> dict:
    """Group rows (name, {woman/man/another/undisclosed: n}, total) as published: suppressed
    cells, and a totals line whose gender cells are withheld when any row's are (else the
    difference would give them away)."""
    out, hidden = [], False
    totals = dict.fromkeys(GENDER_KEYS, 0)
    grand = 0
    for name, cells, total in rows:
        merged = merged_genders(cells)
        shown = suppressed_row(merged)
        hidden = hidden or shown != merged
        for k in GENDER_KEYS:
            totals[k] += merged[k]
        grand += total
        out.append({"group": name, **shown, "total": total})
    total_cells = suppressed_row(totals) if not hidden else dict.fromkeys(GENDER_KEYS, WITHHELD)
    return {"groups": out, "totals": {**total_cells, "total": grand}}


def joined(values) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


# --- reads -------------------------------------------------------------------------------------

def validated_texts(assessment) -> list[str]:
    """The paragraphs of each draft's newest validated version (its round passed): one query."""
    rows = db.session.execute(
        select(DraftVersion.draft_id, DraftVersion.number, DraftVersion.blocks)
        .join(ValidationRound, ValidationRound.version_id == DraftVersion.id)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .where(Draft.assessment_id == assessment.id, ValidationRound.passed.is_(True))
        .order_by(DraftVersion.draft_id, DraftVersion.number)).all()
    newest = {}
    for draft_id, _number, blocks in rows:
        newest[draft_id] = blocks or []
    return [b.get("text", "") for blocks in newest.values() for b in blocks]


def _indicators(assessment) -> list[dict]:
    return [{"code": r.code, "title": r.title, "category_code": r.category_code,
             "category": r.category_title, "theme_code": r.theme_code, "theme": r.theme_title,
             "data_status": r.data_status or "",
             "data_status_label": str(DATA_STATUS_LABELS[r.data_status]) if r.data_status
             else "", "sources": r.sources}
            for r in coverage_rows(assessment)]


def _sources(assessment) -> list[dict]:
    cited = {n for text in validated_texts(assessment) for n in evidence_rules.references(text)}
    if not cited:
        return []
    sources = db.session.scalars(select(Source).where(
        Source.assessment_id == assessment.id, Source.number.in_(cited))
        .order_by(Source.number)).all()
    codes = defaultdict(list)
    for source_id, code in db.session.execute(
            select(source_indicators.c.source_id, FrameworkItem.code)
            .join(FrameworkItem, FrameworkItem.id == source_indicators.c.item_id)
            .where(source_indicators.c.source_id.in_([s.id for s in sources]))
            .order_by(FrameworkItem.position, FrameworkItem.code)):
        codes[source_id].append(code)
    return [{"number": s.number, "title": scrub(s.title), "publisher": scrub(s.publisher),
             "year": s.data_year, "url": public_url(s.url), "kind": str(s.kind),
             "kind_label": str(SOURCE_KIND_LABELS.get(str(s.kind), "")),
             "gender_disaggregated": bool(s.gender_disaggregated), "indicators": codes[s.id]}
            for s in sources]


def _recommendations(assessment, language: str) -> list[dict]:
    versions = rec_queries.validated_versions(assessment)
    if not versions:
        return []
    items = rec_queries.in_language(rec_queries.items(versions), assessment, language,
                                    team=False)
    dates = validation_dates(assessment, versions)
    updates = defaultdict(list)
    for update in updates_of(assessment):
        updates[(update.draft_id, update.block_id)].append(update)
    out = []
    for item in items:
        details = item.details
        status = followup.latest(updates.get(item.key, [])) or ""
        validated_on = dates.get(item.version.id)
        out.append({
            "id": f"{item.draft.id}-{item.block_id}", "text": scrub(item.text),
            "language": item.language or "",
            "addressees": [display_name(g, assessment) for g in details.groups] if details else [],
            "categories": [display_name(c, assessment) for c in rec_rules.categories_of(details)],
            "priority": str(details.priority) if details else "",
            "priority_label": str(PRIORITY_LABELS[str(details.priority)]) if details else "",
            "time_frame": str(details.time_frame) if details else "",
            "time_frame_label": str(TIME_FRAME_LABELS[str(details.time_frame)]) if details
            else "",
            "responsible": scrub(details.responsible) if details else "",
            "follow_up_status": status,
            "follow_up_label": str(FOLLOW_UP_LABELS[status]) if status else "",
            "validated_on": validated_on.isoformat() if validated_on else ""})
    return out


def _board(assessment) -> dict:
    on = assessment.today()
    seats = board_rules.composition(board_queries.seats(assessment), on)
    table = board_rules.group_gender_table(seats, board_queries.rule_groups(assessment))
    rows = [(name if name is not None else _("No group"), cells, total)
            for name, cells, total in table.rows if total or name is not None]
    return {"on": on.isoformat(), **board_table(rows)}


def collect(assessment, *, language: str | None = None) -> dict:
    """The open data of ``assessment`` in ``language`` (titles, labels, group names and the
    recommendations' text where a current translation exists; the reader's language when not
    given). JSON-able; codes beside labels."""
    language = language or str(get_locale())
    with force_locale(language):
        return {"assessment": assessment.slug, "title": assessment.title,
                "language": language, "generated_on": assessment.today().isoformat(),
                "indicators": _indicators(assessment), "sources": _sources(assessment),
                "recommendations": _recommendations(assessment, language),
                "board": _board(assessment)}


# --- the ZIP -----------------------------------------------------------------------------------

README = """\
Open data of the assessment "{title}" ({slug}), language: {language}, made on {date}.

indicators.csv       the indicators in scope: code, title, category, theme, data status (code
                     and label: available, partial, no_data, not_applicable; empty: not yet
                     assessed) and how many sources the researchers linked to it
sources.csv          the sources cited by validated findings and recommendations: number (as
                     cited in the texts, [N]), title, publisher, year of the data, link, kind,
                     whether the data is disaggregated by gender, the indicators it serves
recommendations.csv  the validated recommendations: text, addressees, categories, priority,
                     time frame, responsible actor, follow-up status (empty: no confirmed
                     update yet), date of validation
board.csv            the advisory board by stakeholder group and gender; a cell of 1 or 2
                     people is "<3" and the other gender cells of its row are "suppressed";
                     the last line holds the totals
data.json            all of the above in one JSON document

CSV files are UTF-8 with a byte order mark; lists within a cell are separated by "; ".

---
Открытые данные оценки «{title}». indicators.csv — индикаторы и статус данных; sources.csv —
источники, на которые ссылаются тексты, прошедшие валидацию; recommendations.csv —
рекомендации, прошедшие валидацию, и ход их выполнения; board.csv — состав совета по группам и
полу (ячейки из 1–2 человек показаны как «<3»); data.json — всё вместе.

---
«{title}» бағалауының ашық деректері. indicators.csv — индикаторлар және деректер мәртебесі;
sources.csv — валидациядан өткен мәтіндер сілтеме жасайтын дереккөздер; recommendations.csv —
валидациядан өткен ұсынымдар және олардың орындалу барысы; board.csv — кеңес құрамы топтар
және жыныс бойынша (1–2 адамдық ұяшықтар «<3» түрінде); data.json — барлығы бірге.
"""


def _csv(columns: list[str], records: list[dict]) -> bytes:
    return write_csv(columns, [[joined(r[c]) if isinstance(r.get(c), list)
                                else "" if r.get(c) is None else r[c] for c in columns]
                               for r in records])


def files(data: dict) -> dict[str, bytes]:
    """The ZIP's members by name, in order."""
    board = data.get("board") or {"groups": [], "totals": {}}
    board_rows = list(board.get("groups", []))
    if board.get("totals"):
        board_rows.append({"group": "Total", **board["totals"]})
    return {
        "README.txt": README.format(title=data.get("title", ""), slug=data.get("assessment", ""),
                                    language=data.get("language", ""),
                                    date=data.get("generated_on", "")).encode("utf-8"),
        "indicators.csv": _csv(INDICATOR_COLUMNS, data.get("indicators", [])),
        "sources.csv": _csv(SOURCE_COLUMNS, data.get("sources", [])),
        "recommendations.csv": _csv(RECOMMENDATION_COLUMNS, data.get("recommendations", [])),
        "board.csv": _csv(BOARD_COLUMNS, board_rows),
        "data.json": json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
    }


def zip_bytes(data: dict) -> bytes:
    """The ZIP of ``collect``'s data: the same data gives the same bytes (fixed member dates)."""
    stamp = (1980, 1, 1, 0, 0, 0)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", data.get("generated_on", "")):
        year, month, day = (int(p) for p in data["generated_on"].split("-"))
        stamp = (max(year, 1980), month, day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files(data).items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()
