"""Issue 15 item 3: the built-in categories and themes carry Russian and Kazakh titles (shipped in
the framework's CSV), an assessment's copy keeps them, and an import may give questions and
indicators in other languages (optional question_<lang>/indicator_<lang> columns)."""
import csv
from importlib import resources

import pytest
from sqlalchemy import select

from mab.extensions import db
from mab.framework import services
from mab.framework.csvio import COLUMNS, parse_indicators
from mab.framework.models import FrameworkItem, ItemKind
from tests.factories import make_assessment

pytestmark = pytest.mark.usefixtures("request_context")


def shipped_rows():
    text = resources.files("mab.framework").joinpath("data/roamx-2018.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_category_and_theme_is_shipped_in_russian_and_kazakh():
    rows = shipped_rows()
    assert len(rows) == 37
    for row in rows:
        assert row["name_ru"].strip() and row["name_kk"].strip(), row["code"]
        assert row["name_ru"] != row["name"], row["code"]


def test_the_source_of_the_translations_is_noted():
    readme = resources.files("mab.framework").joinpath("data/README.md")
    assert "translated by the project" in readme.read_text("utf-8")
    assert "translated by the project" in services.BUILTIN_ATTRIBUTION


def item(framework, kind, code):
    return db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id, FrameworkItem.kind == kind,
        FrameworkItem.code == code))


def test_the_builtin_framework_loads_the_titles_and_a_copy_keeps_them():
    framework = services.ensure_builtin()
    rights = item(framework, ItemKind.CATEGORY, "R")
    assert rights.title == "Rights"
    assert rights.titles == {"en": "Rights", "ru": "Права", "kk": "Құқықтар"}
    assert item(framework, ItemKind.THEME, "A.C").titles["ru"] == "Ценовая доступность"
    assessment = make_assessment()
    copy = services.copy_for_assessment(framework, assessment, actor=None)
    assert item(copy, ItemKind.CATEGORY, "R").titles == rights.titles


HEADER = ",".join(COLUMNS)


def test_an_import_may_give_other_languages():
    framework = services.ensure_builtin()
    data = (f"{HEADER},question_ru,indicator_kk,indicator_ru\n"
            "R,R.B,R.5,Is expression free?,R.5.1,Constitutional guarantee,yes,"
            "Свободно ли выражение мнений?,Конституциялық кепілдік,\n").encode()
    rows, errors = parse_indicators(data, themes=services.theme_categories(framework))
    assert errors == []
    assert rows[0].question_titles == {"ru": "Свободно ли выражение мнений?"}
    assert rows[0].titles == {"kk": "Конституциялық кепілдік"}   # the empty one left out
    services.import_indicators(framework, rows, attribution="", actor=None, assessment=None)
    indicator = item(framework, ItemKind.INDICATOR, "R.5.1")
    assert indicator.titles == {"kk": "Конституциялық кепілдік"}
    # A later import without the columns keeps the names; one with them updates its language.
    rows, _errors = parse_indicators(
        (f"{HEADER},indicator_ru\n"
         "R,R.B,R.5,Is expression free?,R.5.1,Constitutional guarantee,yes,Гарантия\n").encode(),
        themes=services.theme_categories(framework))
    services.import_indicators(framework, rows, attribution="", actor=None, assessment=None)
    db.session.refresh(indicator)
    assert indicator.titles == {"kk": "Конституциялық кепілдік", "ru": "Гарантия"}
    assert item(framework, ItemKind.QUESTION, "R.5").titles == {"ru": "Свободно ли выражение мнений?"}


def test_a_file_without_the_optional_columns_still_imports():
    framework = services.ensure_builtin()
    rows, errors = parse_indicators(
        (f"{HEADER}\nR,R.B,R.5,Q?,R.5.1,Indicator,no\n").encode(),
        themes=services.theme_categories(framework))
    assert errors == [] and rows[0].titles == {} and rows[0].question_titles == {}
