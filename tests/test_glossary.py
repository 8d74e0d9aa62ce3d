"""Terminology made testable: the glossary shipped in mab/translations/glossary.toml against the
Russian and Kazakh catalogues (interface and emails), the plural entries' placeholders, the
built-in content (default stakeholder group names, ROAM-X titles), and weekday and month names,
which come only from Babel's locale data (CLDR), never from a catalogue."""
import csv
import re
import tomllib
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from mab.extensions import db
from tests.factories import team

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "mab" / "translations"
GLOSSARY = TRANSLATIONS / "glossary.toml"
LANGUAGES = ("ru", "kk")
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifgeExXor]")


# --- the checks (pure: a list of messages in, a list of findings out) -------------------------

def load_glossary() -> list[dict]:
    return tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))["term"]


def load_catalogue(language: str) -> Catalog:
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        return read_po(f, locale=language)


def _ids(message) -> tuple:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def forbidden_uses(pairs, terms: list[dict], language: str) -> list[str]:
    """Entries whose English names a glossary term while the translation uses a variant the
    glossary forbids for that term. ``pairs`` are (ids, strings) tuples."""
    found = []
    for ids, strings in pairs:
        for term in terms:
            if not any(re.search(term["match"], i, re.IGNORECASE) for i in ids):
                continue
            for pattern in term.get(f"{language}_forbidden", []):
                for s in strings:
                    if s and re.search(pattern, s, re.IGNORECASE):
                        found.append(f"{ids[0]!r} -> {s!r}: {term['en']!r} forbids /{pattern}/ "
                                     f"(use {term[language]!r})")
    return found


def catalogue_pairs(catalog: Catalog):
    return [(_ids(m), _strings(m)) for m in catalog if m.id]


def dropped_placeholders(catalog: Catalog) -> list[str]:
    """Plural entries where a form leaves out a placeholder of msgid_plural: Russian's first
    form also covers 21, 31..., so 'one' is never a reason to drop the number."""
    found = []
    for m in catalog:
        if not m.id or not isinstance(m.id, tuple):
            continue
        wanted = set(PLACEHOLDER.findall(m.id[1]))
        for index, form in enumerate(_strings(m)):
            missing = wanted - set(PLACEHOLDER.findall(form))
            if form and missing:
                found.append(f"{m.id[0]!r} form {index} lacks {sorted(missing)}: {form!r}")
    return found


def plural_form_count(catalog: Catalog) -> int:
    return catalog.num_plurals


def _calendar_words(code: str) -> set[str]:
    """Every weekday and month name of a locale, in every width and context Babel knows."""
    locale = Locale.parse(code)
    words = set()
    for table in (locale.days, locale.months):
        for context in table.values():
            for width in context.values():
                words.update(str(w) for w in width.values())
    return {w.casefold().rstrip(".") for w in words}


# Hand-written Kazakh abbreviations found in review ("Сн" for Saturday, "Жк" for Sunday), which
# are in no locale's data.
HAND_WRITTEN = {"сн", "жк"}


def calendar_entries(catalog: Catalog, language: str) -> list[str]:
    """Entries that translate a weekday or month name: those come from Babel (format_date,
    get_day_names, get_month_names) with the reader's locale, so a catalogue holds none."""
    english = _calendar_words("en")
    local = _calendar_words(language) | HAND_WRITTEN
    found = []
    for m in catalog:
        if not m.id:
            continue
        if any(i.strip().casefold().rstrip(".") in english for i in _ids(m)):
            found.append(f"msgid {_ids(m)[0]!r}")
        elif any(s.strip().casefold().rstrip(".") in local for s in _strings(m) if s):
            found.append(f"msgid {_ids(m)[0]!r} -> {_strings(m)[0]!r}")
    return found


# --- the checks can fail ------------------------------------------------------------------------

def test_the_checks_find_what_they_are_for():
    """A synthetic catalogue with one of each error: every check reports it, and not the
    correct neighbours."""
    terms = load_glossary()
    kk = Catalog(locale="kk")
    kk.add("The version is then frozen.", "Содан кейін нұсқа бекітіледі.")
    kk.add("Withdraw this comment", "Бұл пікірді кері қайтару")
    kk.add("Minutes approved", "Хаттама бекітілді")                       # right: approve
    kk.add("Withdrawn on %(date)s.", "%(date)s қайтарып алынды.")         # right
    kk.add(("Add a member from %(group)s.", "Add %(num)d members from %(group)s."),
           ("«%(group)s» тобынан бір мүше қосыңыз.", "«%(group)s» тобынан %(num)d мүше қосыңыз."))
    kk.add("Sat", "Сн")
    ru = Catalog(locale="ru")
    ru.add("Roll call", "Перекличка")
    ru.add("Endorse", "Одобряю")
    ru.add("Object", "Возражение")                                        # right
    ru.add("Sun", "Вс")
    ru.add("Tuesday", "Вторник")

    kk_found = forbidden_uses(catalogue_pairs(kk), terms, "kk")
    assert len(kk_found) == 2
    assert "бекіт" in kk_found[0] and "кері қайтар" in kk_found[1]
    ru_found = forbidden_uses(catalogue_pairs(ru), terms, "ru")
    assert len(ru_found) == 2
    assert "переклич" in ru_found[0] and "одобряю" in ru_found[1]

    dropped = dropped_placeholders(kk)
    assert len(dropped) == 1 and "form 0 lacks ['num']" in dropped[0]
    assert calendar_entries(kk, "kk") == ["msgid 'Sat'"]
    assert calendar_entries(ru, "ru") == ["msgid 'Sun'", "msgid 'Tuesday'"]
    # A local name without an English msgid is still found (a hand-written abbreviation).
    other = Catalog(locale="kk")
    other.add("Weekend starts", "Жк")
    assert calendar_entries(other, "kk") == ["msgid 'Weekend starts' -> 'Жк'"]


def test_the_glossary_file_is_well_formed():
    terms = load_glossary()
    assert len(terms) >= 15
    for term in terms:
        assert {"en", "match", "ru", "kk", "ru_forbidden", "kk_forbidden"} <= set(term), term
        re.compile(term["match"])
        for pattern in term["ru_forbidden"] + term["kk_forbidden"]:
            re.compile(pattern)
        # The endorsed translation never trips its own term's check.
        for language in LANGUAGES:
            for pattern in term[f"{language}_forbidden"]:
                assert not re.search(pattern, term[language], re.IGNORECASE), (term["en"], pattern)


# --- the catalogues -----------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalogue_entry_uses_a_forbidden_variant(language):
    found = forbidden_uses(catalogue_pairs(load_catalogue(language)), load_glossary(), language)
    assert not found, f"{len(found)} in {language}:\n" + "\n".join(found)


@pytest.mark.parametrize("language, forms", [("ru", 3), ("kk", 2)])
def test_plural_entries_keep_their_placeholders_in_every_form(language, forms):
    catalog = load_catalogue(language)
    assert plural_form_count(catalog) == forms      # the header's Plural-Forms
    for m in catalog:
        if m.id and isinstance(m.id, tuple):
            assert len(_strings(m)) == forms, m.id
    found = dropped_placeholders(catalog)
    assert not found, f"{len(found)} in {language}:\n" + "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalogue_holds_weekday_or_month_names(language):
    found = calendar_entries(load_catalogue(language), language)
    assert not found, f"{len(found)} in {language}:\n" + "\n".join(found)


# --- the built-in content -----------------------------------------------------------------------

def builtin_names() -> list[tuple[str, dict]]:
    """(English name, {"ru": ..., "kk": ...}) for the default stakeholder groups and the ROAM-X
    categories and themes, read from their sources."""
    from mab.board import defaults, models

    names = getattr(models, "DEFAULT_GROUP_NAMES", None) or getattr(defaults, "DEFAULT_GROUP_NAMES",
                                                                        {})
    rows = [(english, dict(by_language)) for english, by_language in names.items()]
    data = ROOT / "mab" / "framework" / "data" / "roamx-2018.csv"
    with data.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows.append((row["name"], {"ru": row.get("name_ru", ""), "kk": row.get("name_kk", "")}))
    return rows


def test_builtin_content_follows_the_glossary():
    rows = builtin_names()
    assert any(english == "Government" for english, _ in rows)
    assert any(english == "Multistakeholder participation" for english, _ in rows)
    terms = load_glossary()
    for language in LANGUAGES:
        pairs = [((english,), (names.get(language) or "",)) for english, names in rows]
        found = forbidden_uses(pairs, terms, language)
        assert not found, f"{len(found)} in {language}:\n" + "\n".join(found)


def test_every_default_group_has_a_russian_and_a_kazakh_name():
    from mab.board import defaults, models
    from mab.board.models import DEFAULT_GROUPS

    names = getattr(models, "DEFAULT_GROUP_NAMES", None) or getattr(defaults, "DEFAULT_GROUP_NAMES",
                                                                        None)
    if names is None:
        pytest.skip("the default groups have no names in other languages yet")
    for group in DEFAULT_GROUPS:
        assert names[group]["ru"] and names[group]["kk"], group


# --- weekday names in the month view come from the locale data ---------------------------------

@pytest.mark.parametrize("language, heads", [
    ("kk", ["Дс", "Сс", "Ср", "Бс", "Жм", "Сб", "Жс"]),
    ("ru", ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]),
    ("en", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
])
def test_the_month_view_names_the_weekdays_from_babel(client, login, language, heads):
    assessment, people = team()
    people["coordinator"].language = language
    db.session.commit()
    login(people["coordinator"])
    html = client.get(f"/a/{assessment.slug}/meetings").get_data(as_text=True)
    month = html[html.index('<table class="month">'):]
    found = re.findall(r'<th scope="col">([^<]*)</th>', month[:month.index("</thead>")])
    assert found == heads
