"""The catalogue over HTTP: the built-in framework, scope, import, coverage and search."""
import csv
import io
import re
from importlib import resources

import pytest
from sqlalchemy import func, select

from mab.assessments.models import Assessment, Role
from mab.audit.models import AuditEvent
from mab.extensions import db
from mab.framework.models import Framework, FrameworkItem, ItemKind
from mab.framework.services import BUILTIN_ATTRIBUTION, ensure_builtin
from tests.drafts.support import (
    INDICATORS_CSV,
    A,
    circulate,
    import_sample,
    make_draft,
    new_version,
    setup,
)
from tests.factories import make_assessment, make_member

HEADER = "category,theme,question_code,question,indicator_code,indicator,core"


def current_framework_id():
    """kz-2022's framework as it is now (its own copy after an import), if it has one."""
    return db.session.scalar(select(Assessment.framework_id).where(Assessment.slug == "kz-2022"))


def items(kind=None):
    query = select(FrameworkItem)
    if current_framework_id() is not None:
        query = query.where(FrameworkItem.framework_id == current_framework_id())
    if kind is not None:
        query = query.where(FrameworkItem.kind == kind)
    return db.session.scalars(query.order_by(FrameworkItem.id)).all()


def item(code, kind=ItemKind.INDICATOR):
    query = select(FrameworkItem).where(FrameworkItem.code == code, FrameworkItem.kind == kind)
    if current_framework_id() is not None:
        query = query.where(FrameworkItem.framework_id == current_framework_id())
    return db.session.scalar(query)


def upload(client, text, attribution="", *, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post(f"{A}/framework/import", data={
        "file": (io.BytesIO(data), "indicators.csv"), "attribution": attribution},
        content_type="multipart/form-data")


def coverage(html):
    match = re.search(r"(\d+) of (\d+) indicators in scope circulated; (\d+) drafted", html)
    assert match, html
    return tuple(int(n) for n in match.groups())


# --- the built-in framework -------------------------------------------------------------------

def shipped_rows():
    text = resources.files("mab.framework").joinpath("data/roamx-2018.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_builtin_framework_loads_idempotently(app):
    expected = shipped_rows()
    assert sum(r["kind"] == "category" for r in expected) == 6
    assert sum(r["kind"] == "theme" for r in expected) == 31

    first = ensure_builtin()
    db.session.commit()
    snapshot = [(i.id, i.kind, i.code, i.parent_id, i.title, i.position) for i in items()]
    second = ensure_builtin()
    db.session.commit()
    assert second.id == first.id
    assert db.session.scalar(select(func.count(Framework.id))) == 1
    assert [(i.id, i.kind, i.code, i.parent_id, i.title, i.position) for i in items()] == snapshot

    categories = items(ItemKind.CATEGORY)
    themes = items(ItemKind.THEME)
    assert [c.code for c in categories] == ["C", "R", "O", "A", "M", "X"]
    assert len(themes) == 31 and len(items()) == 37
    by_id = {c.id: c.code for c in categories}
    per_category = {}
    for theme in themes:
        per_category.setdefault(by_id[theme.parent_id], []).append(theme.code)
    assert {k: len(v) for k, v in per_category.items()} == {"C": 6, "R": 6, "O": 5, "A": 6,
                                                            "M": 3, "X": 5}
    assert item("R.B", ItemKind.THEME).title == "Freedom of expression"
    assert all(c.parent_id is None for c in categories)
    assert first.builtin and first.key == "roamx-2018" and first.attribution == BUILTIN_ATTRIBUTION


def test_ensure_builtin_completes_a_partly_loaded_framework(app):
    framework = ensure_builtin()
    db.session.delete(item("X.E", ItemKind.THEME))
    db.session.commit()
    assert len(items(ItemKind.THEME)) == 30
    ensure_builtin()
    db.session.commit()
    assert len(items(ItemKind.THEME)) == 31
    assert item("X.E", ItemKind.THEME).parent_id == item("X", ItemKind.CATEGORY).id
    assert db.session.scalar(select(func.count(Framework.id))) == 1 and framework.id


def test_the_coordinator_opening_the_catalogue_loads_the_builtin_once(client, login):
    assessment = make_assessment(slug="kz-2022")
    coordinator = make_member(assessment, Role.COORDINATOR, email="coordinator@example.org")
    researcher = make_member(assessment, Role.RESEARCHER, email="researcher@example.org")
    db.session.commit()
    login(researcher)
    page = client.get(f"{A}/framework")
    assert page.status_code == 200 and b"No framework is chosen" in page.data
    assert db.session.scalar(select(func.count(Framework.id))) == 0   # readers change nothing
    login(coordinator)
    for _ in range(2):
        page = client.get(f"{A}/framework")
        assert page.status_code == 200 and b"ROAM-X 2018" in page.data
    assert len(items()) == 37 and db.session.scalar(select(func.count(Framework.id))) == 1


# --- access -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["coordinator", "researcher", "board_member", "observer"])
def test_every_member_reads_the_catalogue(client, login, role):
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])
    login(people[role])
    page = client.get(f"{A}/framework").get_data(as_text=True)
    assert "R.5.1" in page and "Legal guarantee of freedom of expression" in page
    manager = role == "coordinator"
    assert ("framework/import" in page) is manager and ("framework/scope" in page) is manager


def test_outsiders_get_404(client, login):
    assessment, people = setup()
    for who in ("outsider", "admin"):
        login(people[who])
        assert client.get(f"{A}/framework").status_code == 404
        assert upload(client, INDICATORS_CSV).status_code == 404
        assert client.post(f"{A}/framework/scope", data={
            "framework_id": assessment.framework_id, "scope": "all"}).status_code == 404


@pytest.mark.parametrize("role", ["researcher", "board_member", "observer"])
def test_only_the_coordinator_imports_or_sets_the_scope(client, login, role):
    assessment, people = setup()
    login(people[role])
    assert upload(client, INDICATORS_CSV).status_code == 403
    assert client.post(f"{A}/framework/scope", data={
        "framework_id": assessment.framework_id, "scope": "all"}).status_code == 403
    assert items(ItemKind.INDICATOR) == []
    assert db.session.get(Assessment, assessment.id).core_only is True


def test_anonymous_visitors_are_sent_to_sign_in(client):
    setup()
    response = client.get(f"{A}/framework")
    assert response.status_code == 302 and "login" in response.headers["Location"]


# --- import -----------------------------------------------------------------------------------

def test_a_clean_import_adds_everything_and_shows_the_attribution(client, login):
    _assessment, people = setup()
    login(people["coordinator"])
    attribution = "UNESCO (2019), Индикаторы универсальности Интернета, CC BY-SA 3.0 IGO"
    response = upload(client, INDICATORS_CSV, attribution)
    assert response.status_code == 302
    page = client.get(f"{A}/framework").get_data(as_text=True)
    assert "Imported: 6 new indicators, 0 updated." in page
    assert f"Source: {attribution}" in page
    assert [i.code for i in items(ItemKind.QUESTION)] == ["R.5", "R.7", "A.3", "A.6"]
    assert [(i.code, i.core) for i in items(ItemKind.INDICATOR)] == [
        ("R.5.1", True), ("R.5.2", False), ("R.7.1", True), ("A.3.1", True), ("A.3.2", False),
        ("A.6.1", True)]
    assert item("R.5.1").parent_id == item("R.5", ItemKind.QUESTION).id
    assert item("R.5", ItemKind.QUESTION).parent_id == item("R.B", ItemKind.THEME).id
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "framework.indicators_imported")).one()
    assert event.changes == {"added": 6, "updated": 0}


def test_reimporting_updates_by_code(client, login):
    _assessment, people = setup()
    login(people["coordinator"])
    assert upload(client, INDICATORS_CSV, "First source").status_code == 302
    first_ids = {i.code: i.id for i in items(ItemKind.INDICATOR)}
    changed = (f"{HEADER}\n"
               "R,R.C,R.5,Свобода выражения?,R.5.1,Гарантия свободы выражения,no\n"
               "R,R.B,R.8,New question?,R.8.1,New indicator,yes\n")
    assert upload(client, changed).status_code == 302     # empty attribution keeps the old one
    page = client.get(f"{A}/framework").get_data(as_text=True)
    assert "Imported: 1 new indicators, 1 updated." in page and "Source: First source" in page
    indicator = item("R.5.1")
    assert indicator.id == first_ids["R.5.1"]
    assert (indicator.title, indicator.core) == ("Гарантия свободы выражения", False)
    question = item("R.5", ItemKind.QUESTION)
    assert question.title == "Свобода выражения?"
    # The question moved to the theme the file gives it.
    assert question.parent_id == item("R.C", ItemKind.THEME).id
    assert len(items(ItemKind.INDICATOR)) == 7


@pytest.mark.parametrize("text, messages", [
    (HEADER.replace(",core", "") + "\nR,R.B,R.5,Q?,R.5.1,I\n", ["Line 1: Missing column(s): core."]),
    (f"{HEADER}\nR,R.B,R.5,Q?,R.5.1,Good,yes\nR,R.Z,R.9,Q?,R.9.1,Bad,yes\n"
     + "A,R.B,R.5,Q?,R.5.2,Bad,perhaps\n",
     ["Line 3: Unknown theme “R.Z”.", "Line 4: Theme R.B is not in category A.",
      "Line 4: “core” must be yes or no, not “perhaps”."]),
    (f"{HEADER}\nR,R.B,R.5,Q?,R.5.1,One,yes\nR,R.B,R.5,Q?,R.5.1,Two,yes\n",
     ["Line 3: Indicator R.5.1 appears twice (also on line 2)."]),
])
def test_a_bad_file_imports_nothing_and_lists_the_lines(client, login, text, messages):
    _assessment, people = setup()
    login(people["coordinator"])
    response = upload(client, text, "Should not be saved")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing was imported: please correct the file" in html
    listed = [re.sub(r"\s+", " ", m).strip() for m in re.findall(
        r"<li>(.*?)</li>", html.split("Nothing was imported")[1].split("</ul>")[0], re.DOTALL)]
    assert listed == messages
    assert items(ItemKind.INDICATOR) == [] and items(ItemKind.QUESTION) == []
    assert ensure_builtin().attribution == BUILTIN_ATTRIBUTION
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "framework.indicators_imported")) == 0


def test_a_file_that_is_not_utf8_is_refused(client, login):
    _assessment, people = setup()
    login(people["coordinator"])
    response = upload(client, f"{HEADER}\nR,R.B,R.5,Вопрос,R.5.1,Индикатор,да\n",
                      encoding="cp1251")
    assert response.status_code == 422 and b"The file is not UTF-8 text." in response.data
    assert items(ItemKind.INDICATOR) == []


def test_an_import_without_a_file(client, login):
    _assessment, people = setup()
    login(people["coordinator"])
    response = client.post(f"{A}/framework/import", data={"attribution": "x"},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and b"Choose a CSV file." in response.data


def test_an_import_before_a_framework_is_chosen(client, login):
    assessment, people = setup()
    assessment.framework_id = None
    db.session.commit()
    login(people["coordinator"])
    response = upload(client, INDICATORS_CSV)
    assert response.status_code == 302
    assert b"Choose a framework first." in client.get(f"{A}/framework").data
    assert items(ItemKind.INDICATOR) == []


# --- scope and coverage -----------------------------------------------------------------------

def test_the_scope_form(client, login):
    assessment, people = setup()
    login(people["coordinator"])
    other = Framework(key="iui-2024", name="IUI", version="2.0")
    db.session.add(other)
    db.session.commit()
    page = client.get(f"{A}/framework").get_data(as_text=True)
    assert "Core indicators only" in page and "IUI 2.0" in page
    response = client.post(f"{A}/framework/scope", data={
        "framework_id": assessment.framework_id, "scope": "all"})
    assert response.status_code == 302
    assert db.session.get(Assessment, assessment.id).core_only is False
    assert "All indicators" in client.get(f"{A}/framework").get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "framework.scope_set")).one()
    assert event.changes == {"core_only": [True, False]}

    assert client.post(f"{A}/framework/scope", data={
        "framework_id": other.id, "scope": "core"}).status_code == 302
    refreshed = db.session.get(Assessment, assessment.id)
    assert (refreshed.framework_id, refreshed.core_only) == (other.id, True)
    # Saving the same again records nothing new.
    client.post(f"{A}/framework/scope", data={"framework_id": other.id, "scope": "core"})
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "framework.scope_set")) == 2


@pytest.mark.parametrize("data", [{"framework_id": "999", "scope": "all"},
                                  {"framework_id": "x", "scope": "all"},
                                  {"scope": "some"}, {}])
def test_a_bad_scope_is_refused(client, login, data):
    assessment, people = setup()
    framework_id = assessment.framework_id
    login(people["coordinator"])
    data = {"framework_id": str(framework_id), **data}
    assert client.post(f"{A}/framework/scope", data=data).status_code == 400
    refreshed = db.session.get(Assessment, assessment.id)
    assert (refreshed.framework_id, refreshed.core_only) == (framework_id, True)


def test_coverage_counts_indicators_in_scope(client, login):
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])
    researcher = people["researcher"]
    login(people["coordinator"])
    assert coverage(client.get(f"{A}/framework").get_data(as_text=True)) == (0, 4, 0)

    core = make_draft(assessment, researcher, title="On R.5.1", subject="indicator",
                      item_id=item("R.5.1").id)
    optional = make_draft(assessment, researcher, title="On R.5.2", subject="indicator",
                          item_id=item("R.5.2").id)
    make_draft(assessment, researcher, title="On A.6.1", subject="indicator",
               item_id=item("A.6.1").id)
    make_draft(assessment, researcher, title="On theme R.B", subject="theme",
               item_id=item("R.B", ItemKind.THEME).id)
    assert coverage(client.get(f"{A}/framework").get_data(as_text=True)) == (0, 4, 2)

    circulate(core, assessment, researcher)
    circulate(optional, assessment, researcher)
    # A second version of a circulated draft counts once.
    new_version(core, assessment, researcher, "Second version.")
    circulate(core, assessment, researcher)
    html = client.get(f"{A}/framework").get_data(as_text=True)
    assert coverage(html) == (1, 4, 2)
    assert "(1 of 2 circulated)" in html     # category R: R.5.1 and R.7.1 are core
    assert "(0 of 2 circulated)" in html     # category A: A.3.1 and A.6.1

    client.post(f"{A}/framework/scope", data={"framework_id": assessment.framework_id,
                                               "scope": "all"})
    html = client.get(f"{A}/framework").get_data(as_text=True)
    assert coverage(html) == (2, 6, 3)
    assert "(2 of 3 circulated)" in html     # category R in full


def test_coverage_ignores_other_assessments_drafts(client, login):
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])
    other = make_assessment(slug="uz-2023", framework_id=assessment.framework_id)
    writer = make_member(other, Role.RESEARCHER, email="writer@example.uz")
    db.session.commit()
    draft = make_draft(other, writer, title="Elsewhere", subject="indicator",
                       item_id=item("R.5.1").id)
    circulate(draft, other, writer)
    login(people["coordinator"])
    assert coverage(client.get(f"{A}/framework").get_data(as_text=True)) == (0, 4, 0)


def test_the_board_sees_the_coverage_too(client, login):
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])
    draft = make_draft(assessment, people["researcher"], subject="indicator",
                       item_id=item("R.7.1").id)
    circulate(draft, assessment, people["researcher"])
    login(people["board_member"])
    html = client.get(f"{A}/framework").get_data(as_text=True)
    assert coverage(html) == (1, 4, 1)


# --- search -----------------------------------------------------------------------------------

def indicator_codes(html):
    return re.findall(r"<strong>([A-Z]\.\d+\.\d+)</strong>", html)


@pytest.mark.parametrize("query, expected", [
    ("", ["R.5.1", "R.5.2", "R.7.1", "A.3.1", "A.3.2", "A.6.1"]),
    ("price", ["A.6.1"]),                       # indicator title
    ("PRICE OF 1 gb", ["A.6.1"]),               # any case
    ("r.5", ["R.5.1", "R.5.2"]),                # code
    ("protected in law", ["R.5.1", "R.5.2"]),   # question text only
    ("журналист", ["R.5.2"]),                   # Cyrillic title, case-folded
    ("ЖУРНАЛИСТ", ["R.5.2"]),
    ("no such thing", []),
])
def test_search(client, login, query, expected):
    assessment, people = setup()
    csv_text = INDICATORS_CSV.replace("Number of journalists prosecuted",
                                      "Число журналистов под следствием")
    import_sample(assessment, people["coordinator"], csv_text)
    login(people["observer"])
    html = client.get(f"{A}/framework", query_string={"q": query}).get_data(as_text=True)
    assert indicator_codes(html) == expected
    # Searching narrows the list, not the coverage figures.
    assert coverage(html) == (0, 4, 0)
    if query:
        assert f'value="{query}"' in html


def test_search_text_is_escaped(client, login):
    _assessment, people = setup()
    login(people["researcher"])
    html = client.get(f"{A}/framework", query_string={"q": '"><script>x</script>'}).get_data(
        as_text=True)
    assert "<script>x" not in html
