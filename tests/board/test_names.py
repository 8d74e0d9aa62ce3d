"""Issue 15 item 3: the default groups and the ROAM-X categories and themes in the reader's
language, falling back to the assessment's first language, then to the stored name; each
group's name editable per language; percentages in each language's style (item 2)."""
import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from mab.audit.models import AuditEvent
from mab.auth.models import Gender
from mab.board import rules
from mab.board.models import DEFAULT_GROUPS, StakeholderGroup
from mab.extensions import db
from mab.i18n import localized, percent
from tests.board.test_views import add_member, membership_of, setup_board

A = "/a/kz-2022"
ENGLISH = [name for name in DEFAULT_GROUPS]


# --- the fallback rule (no app) ----------------------------------------------------------------

NAMES = {"ru": "Правительство", "kk": "Үкімет"}


@pytest.mark.parametrize("locale,languages,expected", [
    ("ru", ["ru", "kk", "en"], "Правительство"),   # the reader's language
    ("kk", ["ru", "kk", "en"], "Үкімет"),
    ("en", ["ru", "kk", "en"], "Правительство"),   # none in English: the assessment's first
    ("en", ["kk", "ru"], "Үкімет"),
    ("en", ["en", "ru"], "Government"),            # neither: the stored name
    ("en", [], "Government"),
])
def test_reader_then_assessment_first_then_name(locale, languages, expected):
    assert localized(NAMES, "Government", locale, languages) == expected


def test_blank_and_missing_names_fall_through():
    assert localized({"ru": "  ", "kk": ""}, "Government", "ru", ["kk"]) == "Government"
    assert localized({}, "Government", "ru", ["ru"]) == "Government"
    assert localized(None, "Government", "ru", ["ru"]) == "Government"
    assert localized({"ru": "Правительство"}, "Government", None, ["ru"]) == "Правительство"
    # Only the assessment's first language is a fallback, not its second.
    assert localized({"kk": "Үкімет"}, "Government", "en", ["ru", "kk"]) == "Government"


# --- the rules of an edit ----------------------------------------------------------------------

def test_submitted_names_replace_or_remove_and_the_rest_stay():
    stored = {"en": "Government", "ru": "Правительство", "kk": "Үкімет"}
    after = rules.merged_names(stored, {"ru": " Госорганы ", "kk": ""}, old_name="Government",
                               new_name="Government")
    assert after == {"en": "Government", "ru": "Госорганы"}


def test_a_name_equal_to_the_old_main_name_follows_a_rename():
    stored = {"en": "Government", "ru": "Правительство"}
    after = rules.merged_names(stored, {}, old_name="Government", new_name="Public sector")
    assert after == {"en": "Public sector", "ru": "Правительство"}
    # A new group has no old name to follow.
    assert rules.merged_names({}, {"ru": "Парламент"}, old_name=None, new_name="Parliament") \
        == {"ru": "Парламент"}


def test_name_changes_for_the_audit():
    assert rules.names_changes({"ru": "А", "kk": "Б"}, {"ru": "В", "en": "Г"}) == {
        "name_en": [None, "Г"], "name_kk": ["Б", None], "name_ru": ["А", "В"]}
    assert rules.names_changes({}, {}) == {}


# --- percentages in each language's style (item 2) ---------------------------------------------

@pytest.mark.parametrize("locale,value,expected", [
    ("en", 35.714, "35.7%"), ("en", 40, "40%"), ("en", 0, "0%"), ("en", 100, "100%"),
    ("ru", 35.714, "35,7\u00a0%"), ("ru", 40, "40\u00a0%"),
    ("kk", 35.714, "35,7%"), ("kk", 66.66, "66,7%"),
])
def test_percent_per_locale(locale, value, expected):
    assert percent(value, locale=locale) == expected


def test_percent_with_whole_numbers():
    assert percent(66.6, 0, locale="en") == "67%"


# --- pages ---------------------------------------------------------------------------------------

def page_text(response) -> str:
    """What a reader sees (tags and attributes removed, entities decoded)."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def reader_board(language):
    """The default groups; Government holds 2 of 3 seats (above the 30 % limit), Academia 1;
    everyone reads in ``language``."""
    assessment, people, groups = setup_board()
    people["board_member"].gender = Gender.MAN
    add_member(assessment, groups["Government"], "Алексей", "man")
    add_member(assessment, groups["Academia"], "Айгерим", "woman")
    for person in people.values():
        person.language = language
    db.session.commit()
    return assessment, people, groups


def english_default_names_in(body: str) -> list[str]:
    return [name for name in ENGLISH if re.search(rf"\b{re.escape(name)}\b", body)]


@pytest.mark.parametrize("language,government,academia", [
    ("ru", "Правительство", "Академическое сообщество"),
    ("kk", "Үкімет", "Академиялық қауымдастық"),
])
def test_balance_board_member_groups_and_annex_in_the_reader_s_language(
        client, login, language, government, academia):
    assessment, people, groups = reader_board(language)
    login(people["coordinator"])
    balance = page_text(client.get(f"{A}/balance"))
    assert government in balance and academia in balance
    assert english_default_names_in(balance) == []
    member = membership_of(people["board_member"])
    for url in (f"{A}/board", f"{A}/board/{member.id}", f"{A}/groups"):
        body = page_text(client.get(url))
        assert government in body, url
        assert english_default_names_in(body) == [], url
    annex = page_text(client.get(f"{A}/annex?lang={language}"))
    assert government in annex and english_default_names_in(annex) == []
    # The charts' labels and descriptions too.
    raw = client.get(f"{A}/balance").get_data(as_text=True)
    chart = raw[raw.index('id="group-chart"'):]
    assert government in chart[:chart.index("</svg>")]


def test_a_russian_reader_reads_the_finding_in_russian(client, login):
    assessment, people, groups = reader_board("ru")
    login(people["coordinator"])
    body = page_text(client.get(f"{A}/balance"))
    # Government holds 2 of 3 seats.
    assert "Правительство" in body and "66,7\u00a0%" in body and "Government" not in body


def test_an_english_reader_keeps_the_english_names(client, login):
    assessment, people, groups = reader_board("en")
    login(people["coordinator"])
    body = page_text(client.get(f"{A}/balance"))
    assert "Government holds 66.7% of seats, above the 30% limit." in body
    assert "Правительство" not in body


def test_a_group_without_a_translation_falls_back(client, login):
    assessment, people, groups = reader_board("kk")
    own = StakeholderGroup(assessment_id=assessment.id, name="Parliament", position=20,
                           min_members=1, names={})
    half = StakeholderGroup(assessment_id=assessment.id, name="Regions", position=21,
                            min_members=1, names={"ru": "Регионы"})
    db.session.add_all([own, half])
    db.session.commit()
    login(people["coordinator"])
    body = page_text(client.get(f"{A}/groups"))
    assert "Parliament" in body            # no name in any language: the stored one
    assert "Регионы" in body               # none in Kazakh: the assessment's first (Russian)
    assert "Regions" not in body


def test_the_framework_page_shows_categories_and_themes_in_the_reader_s_language(
        client, login):
    from mab.framework.services import ensure_builtin
    assessment, people, groups = reader_board("ru")
    assessment.framework_id = ensure_builtin().id
    db.session.commit()
    login(people["coordinator"])
    body = page_text(client.get(f"{A}/framework"))
    assert "Права" in body and "Свобода выражения мнений" in body
    assert "Freedom of expression" not in body and "Rights" not in body
    people["coordinator"].language = "en"
    db.session.commit()
    body = page_text(client.get(f"{A}/framework"))
    assert "Freedom of expression" in body and "Свобода выражения мнений" not in body


# --- editing the names ---------------------------------------------------------------------------

def group_data(group, **changes):
    data = {"name": group.name, "description": group.description or "",
            "min_members": str(group.min_members), "position": str(group.position)}
    data.update({f"name_{code}": value for code, value in (group.names or {}).items()})
    data.update(changes)
    return data


def test_the_form_has_one_name_field_per_language(client, login):
    assessment, people, groups = reader_board("en")
    login(people["coordinator"])
    body = client.get(f"{A}/groups/{groups['Government'].id}").get_data(as_text=True)
    for code, label, value in (("ru", "Name in Russian", "Правительство"),
                               ("kk", "Name in Kazakh", "Үкімет"),
                               ("en", "Name in English", "Government")):
        assert f'<label for="name_{code}">{label}</label>' in body
        assert re.search(rf'id="name_{code}"[^>]*value="{value}"', body)


def test_editing_the_russian_name_shows_it_to_russian_readers_and_is_audited(client, login):
    assessment, people, groups = reader_board("ru")
    group = groups["Government"]
    login(people["coordinator"])
    response = client.post(f"{A}/groups/{group.id}",
                           data=group_data(group, name_ru="Государственные органы"))
    assert response.status_code == 302
    db.session.refresh(group)
    assert group.names["ru"] == "Государственные органы" and group.name == "Government"
    assert group.names["kk"] == "Үкімет"
    body = page_text(client.get(f"{A}/board"))
    assert "Государственные органы" in body and "Правительство" not in body
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "groups.updated"
    assert event.changes == {"name_ru": ["Правительство", "Государственные органы"]}
    audit = page_text(client.get(f"{A}/audit"))
    assert "Правительство → Государственные органы" in audit


def test_an_empty_name_removes_that_language(client, login):
    assessment, people, groups = reader_board("kk")
    group = groups["Government"]
    login(people["coordinator"])
    client.post(f"{A}/groups/{group.id}", data=group_data(group, name_kk=""))
    db.session.refresh(group)
    assert "kk" not in group.names
    # A Kazakh reader now gets the assessment's first language (Russian).
    assert "Правительство" in page_text(client.get(f"{A}/groups"))


def test_a_new_group_with_names(client, login):
    assessment, people, groups = reader_board("kk")
    login(people["coordinator"])
    response = client.post(f"{A}/groups", data={
        "name": "Parliament", "name_ru": "Парламент", "name_kk": "Парламент мүшелері",
        "name_en": "", "description": "", "min_members": "1", "position": "20"})
    assert response.status_code == 302
    group = db.session.scalar(select(StakeholderGroup).where(StakeholderGroup.name == "Parliament"))
    assert group.names == {"ru": "Парламент", "kk": "Парламент мүшелері"}
    assert "Парламент мүшелері" in page_text(client.get(f"{A}/groups"))


def test_too_long_a_name_is_refused_and_nothing_changes(client, login):
    assessment, people, groups = reader_board("ru")
    group = groups["Government"]
    login(people["coordinator"])
    response = client.post(f"{A}/groups/{group.id}", data=group_data(group, name_ru="Я" * 121))
    assert response.status_code == 422
    db.session.refresh(group)
    assert group.names["ru"] == "Правительство"


@pytest.mark.parametrize("role", ["researcher", "board_member", "observer"])
def test_others_cannot_edit_group_names(client, login, role):
    assessment, people, groups = reader_board("ru")
    group = groups["Government"]
    events = db.session.query(AuditEvent).count()
    login(people[role])
    response = client.post(f"{A}/groups/{group.id}",
                           data=group_data(group, name_ru="Чужое название"))
    assert response.status_code == 403
    response = client.post(f"{A}/groups", data={"name": "X", "name_ru": "Икс", "description": "",
                                                "min_members": "1", "position": "1"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(StakeholderGroup, group.id).names["ru"] == "Правительство"
    assert db.session.scalar(select(StakeholderGroup).where(StakeholderGroup.name == "X")) is None
    assert db.session.query(AuditEvent).count() == events


def test_the_board_list_loads_the_names_without_a_query_per_row(client, login, app):
    """The names are columns of the rows already loaded: the page's query count does not grow
    with the board."""
    from sqlalchemy import event

    assessment, people, groups = reader_board("ru")
    login(people["coordinator"])

    def queries_for(url):
        seen = []

        def count(*args):
            seen.append(1)
        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    first = queries_for(f"{A}/board")
    for n, name in enumerate(("Academia", "Civil society", "Private sector", "Media and "
                              "journalists")):
        add_member(assessment, groups[name], f"Член {n}", "woman", appointed_on=date(2020, 1, 1))
    db.session.commit()
    assert queries_for(f"{A}/board") == first



def test_the_board_import_finds_a_group_by_its_name_in_any_language(client, login):
    import io
    assessment, people, groups = reader_board("ru")
    login(people["coordinator"])
    data = ("email,name,group\n"
            "aigerim@gov.kz,Айгерим,правительство\n"
            "bolat@ngo.kz,Болат,Академиялық қауымдастық\n"
            "dana@ngo.kz,Дана,Civil society\n").encode()
    preview = client.post(f"{A}/board/import", data={"file": (io.BytesIO(data), "board.csv")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200
    body = page_text(preview)
    assert "Unknown stakeholder group" not in body and "Айгерим" in body
    # The preview names the groups in the reader's language.
    assert "Правительство" in body and "Академическое сообщество" in body
    assert "Гражданское общество" in body and "Government" not in body
