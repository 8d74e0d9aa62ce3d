"""Issue 14 item 6: the board import accepts the board's own export. A board with tricky values
(Cyrillic and Kazakh names, a formula-like organisation, a "-5" note, a name that starts with an
apostrophe, commas, quotes, a newline) is exported, imported into a fresh assessment through the
real views (preview, then confirm) and compared field by field; the rule that restores the
neutralised cells is tested at its edges."""
import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from mab.assessments.models import BoardStatus, Membership, Role
from mab.auth.models import Gender, User
from mab.board.csvio import EXPORT_ONLY, parse_board_file
from mab.board.models import StakeholderGroup
from mab.board.services import create_default_groups
from mab.csvio import needs_quote, safe_cell, unneutralise, write_csv
from mab.extensions import db
from tests.board.test_views import add_member, setup_board
from tests.confirming import confirmation_fields
from tests.factories import make_assessment, make_member

CYRILLIC_GROUP = "Гражданское общество, НПО"


# --- the rule: unneutralise is the exact inverse of safe_cell ----------------------------------

@pytest.mark.parametrize("cell, value", [
    ("'=cmd()", "=cmd()"),
    ("'-5", "-5"),
    ("'+7 701 555 0000", "+7 701 555 0000"),
    ("'@SUM(A1)", "@SUM(A1)"),
    ("'\t=1", "\t=1"),
    ("'\tplain", "\tplain"),
    ("'\r=1", "\r=1"),
    ("' =HYPERLINK(\"x\")", " =HYPERLINK(\"x\")"),
    ("'\u00a0-1", "\u00a0-1"),
    ("''=1", "'=1"),            # a value of its own starting with an apostrophe and a formula
    ("'''-5", "''-5"),
])
def test_one_apostrophe_goes_when_a_formula_follows(cell, value):
    assert unneutralise(cell) == value
    assert safe_cell(value) == cell


@pytest.mark.parametrize("cell", [
    "'quoted", "'", "''", "'a=1", "' plain", "'1 - 2", "", "plain", "O'Brien",
    "=1",          # not neutralised (a hand-made file): kept as written, never evaluated
    "-5", " '=1",  # an apostrophe after white space is not the export's
])
def test_any_other_apostrophe_is_the_values_own(cell):
    assert unneutralise(cell) == cell


@pytest.mark.parametrize("value", [
    "=1", "'=1", "''=1", "'", "''", "'quoted", "-5", " -5", "\t", "\r", "\n=1", " \t =1",
    "Ольга = Olga", "a-b", "@", "'@", "'''", "Әсел", "",
])
def test_safe_cell_then_unneutralise_gives_the_value_back(value):
    assert unneutralise(safe_cell(value)) == value
    assert needs_quote(value) == (safe_cell(value) != value)


def test_a_long_run_of_apostrophes_is_no_recursion():
    value = "'" * 10000 + "=1"
    assert unneutralise(safe_cell(value)) == value


# --- parsing the export's header --------------------------------------------------------------

GROUPS = {"government": (1, "Government")}
EXPORT_HEADER = ["name", "email", "gender", "language", "group", "organisation", "position",
                 "status", "term_start", "term_end", "appointed_on", "stepped_down_on",
                 "coi_declaration", "notes"]


def parse(rows, header=EXPORT_HEADER):
    return parse_board_file(write_csv(header, rows), groups=GROUPS, existing_emails=set())


def row(**values):
    base = dict(name="A", email="a@example.org", gender="", language="en", group="Government",
                organisation="", position="", status="active", term_start="", term_end="",
                appointed_on="", stepped_down_on="", coi_declaration="", notes="")
    base.update(values)
    return [base[c] for c in EXPORT_HEADER]


def test_the_export_header_is_accepted_and_its_own_columns_are_named():
    checked = parse([row(appointed_on=date(2021, 3, 1), notes="-5",
                         coi_declaration="Shares in a telecom")])
    assert checked.errors == []
    assert checked.ignored_columns == EXPORT_ONLY == ["stepped_down_on", "coi_declaration"]
    [imported] = checked.rows
    assert (imported.appointed_on, imported.notes) == (date(2021, 3, 1), "-5")


def test_people_who_stepped_down_are_left_out_by_line():
    checked = parse([row(), row(email="b@example.org", status="stepped_down",
                                stepped_down_on=date(2022, 1, 1)),
                     row(email="c@example.org", status="Stepped_Down")])
    assert checked.errors == [] and [r.email for r in checked.rows] == ["a@example.org"]
    assert checked.stepped_down_lines == [3, 4]


def test_a_file_of_people_who_stepped_down_only_has_nothing_to_import():
    checked = parse([row(status="stepped_down")])
    assert [e.message for e in checked.errors] == ["The file has no rows to import."]


def test_a_nominee_with_an_appointment_date_is_refused():
    checked = parse([row(status="nominee", appointed_on=date(2021, 3, 1))])
    assert [(e.line, e.message) for e in checked.errors] == [
        (2, "A nominee has not been appointed: leave “appointed_on” empty.")]


def test_notes_longer_than_the_form_allows_are_refused():
    checked = parse([row(notes="x" * 5001)])
    assert [e.message for e in checked.errors] == ["“notes” is longer than 5000 characters."]


def test_an_unknown_column_is_still_refused():
    checked = parse([row() + ["x"]], header=EXPORT_HEADER + ["favourite_colour"])
    assert [e.message for e in checked.errors] == ["Unknown column(s): favourite_colour."]


# --- export, import into a fresh assessment, compare -----------------------------------------

def board_rows(slug) -> list[Membership]:
    return db.session.scalars(
        select(Membership).join(Membership.assessment).join(Membership.user)
        .where(Membership.role == Role.BOARD_MEMBER,
               Membership.assessment.has(slug=slug)).order_by(User.email)).all()


def fields(m: Membership) -> dict:
    return {"email": m.user.email, "name": m.user.name, "gender": m.user.gender,
            "language": m.user.language, "group": m.group.name if m.group else None,
            "organisation": m.organisation, "position": m.position,
            "status": m.board_status, "term_start": m.term_start, "term_end": m.term_end,
            "appointed_on": m.appointed_on, "notes": m.notes}


def read(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def without(table, columns) -> list[list[str]]:
    keep = [i for i, name in enumerate(table[0]) if name not in columns]
    return [[r[i] for i in keep] for r in table]


def tricky_board():
    assessment, people, groups = setup_board()
    cyrillic = StakeholderGroup(assessment_id=assessment.id, name=CYRILLIC_GROUP, position=9)
    db.session.add(cyrillic)
    db.session.flush()
    people["board_member"].language = "ru"
    asel = add_member(assessment, cyrillic, "Әсел Қасымова", "woman", email="asel@example.kz",
               organisation="=cmd()", position='Head, "Digital" unit', notes="-5",
               term_start=date(2021, 1, 1), term_end=date(2024, 12, 31),
               appointed_on=date(2021, 3, 1), coi_declaration="Shares in Kaztelecom")
    add_member(assessment, groups["Academia"], "'quoted", None, email="quoted@example.org",
               status="nominee", organisation='ТОО "Ромашка", Алматы',
               position="+7 701 555 0000", notes="line one\nline two, with a comma")
    ivanov = add_member(assessment, groups["Government"], "Иванов, Иван", "man",
               email="ivanov@example.kz", organisation="@SUM(A1)", notes="'=1",
               position=' =HYPERLINK("http://x")', appointed_on=date(2020, 6, 15))
    gone = add_member(assessment, groups["Private sector"], "Left Early", "woman",
                      email="gone@example.org", status="stepped_down")
    gone.stepped_down_on = date(2021, 12, 31)
    asel.user.language, ivanov.user.language = "kk", "ru"
    db.session.commit()
    return assessment, people


def test_the_board_export_imports_into_a_fresh_assessment_exactly(client, login):
    _source, people = tricky_board()
    login(people["coordinator"])
    exported = client.get("/a/kz-2022/board.csv")
    assert exported.status_code == 200
    body = exported.get_data(as_text=True)
    assert "'=cmd()" in body and "'-5" in body and "''=1" in body   # neutralised on the way out
    expected = {m.user.email: fields(m) for m in board_rows("kz-2022")
                if m.board_status != BoardStatus.STEPPED_DOWN}
    assert len(expected) == 4

    # The same people arrive as new accounts: the source's rows keep other addresses.
    for m in board_rows("kz-2022"):
        m.user.email = "old-" + m.user.email
    fresh = make_assessment(slug="kz-2026", title="Kazakhstan 2026")
    make_member(fresh, Role.COORDINATOR, user=people["coordinator"])
    create_default_groups(fresh)
    db.session.add(StakeholderGroup(assessment_id=fresh.id, name=CYRILLIC_GROUP, position=9))
    db.session.commit()

    preview = client.post("/a/kz-2026/board/import",
                          data={"file": (io.BytesIO(exported.data), "kz-2022-board.csv")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200, preview.get_data(as_text=True)
    page = preview.get_data(as_text=True)
    assert "4 people will be added to the board." in page
    assert ("Not imported: the column(s) stepped_down_on, coi_declaration of the board export"
            in page)
    # The line as the file has it (a note of two lines takes two).
    gone_line = 1 + next(i for i, line in enumerate(body.lstrip("\ufeff").splitlines())
                         if "gone@example.org" in line)
    assert f"Not imported: 1 person who stepped down (line {gone_line})." in page
    assert board_rows("kz-2026") == []     # the preview saves nothing

    confirmed = client.post("/a/kz-2026/board/import/confirm", data=confirmation_fields(preview))
    assert confirmed.status_code == 302
    imported = {m.user.email: fields(m) for m in board_rows("kz-2026")}
    assert imported == expected
    for m in board_rows("kz-2026"):
        assert m.coi_declaration == ""      # made anew in the new assessment
        assert m.user.password_hash is None  # invited: new accounts
    assert imported["quoted@example.org"]["appointed_on"] is None
    assert imported["asel@example.kz"]["gender"] == Gender.WOMAN

    # And the new board's export is the old one without the left-out rows and columns.
    again = read(client.get("/a/kz-2026/board.csv"))
    before = [r for r in read(exported) if "gone@example.org" not in r]
    assert (sorted(without(again, EXPORT_ONLY)[1:]) == sorted(without(before, EXPORT_ONLY)[1:])
            and without(again, EXPORT_ONLY)[0] == without(before, EXPORT_ONLY)[0])


def test_confirming_without_confirm_imports_nothing(client, login):
    _source, people = tricky_board()
    login(people["coordinator"])
    exported = client.get("/a/kz-2022/board.csv").data
    for m in board_rows("kz-2022"):
        m.user.email = "old-" + m.user.email
    fresh = make_assessment(slug="kz-2026")
    make_member(fresh, Role.COORDINATOR, user=people["coordinator"])
    create_default_groups(fresh)
    db.session.add(StakeholderGroup(assessment_id=fresh.id, name=CYRILLIC_GROUP, position=9))
    db.session.commit()
    preview = client.post("/a/kz-2026/board/import",
                          data={"file": (io.BytesIO(exported), "board.csv")},
                          content_type="multipart/form-data")
    fields_ = {k: v for k, v in confirmation_fields(preview).items() if k != "confirm"}
    again = client.post("/a/kz-2026/board/import/confirm", data=fields_)
    assert again.status_code == 200
    assert "Not imported: 1 person who stepped down" in again.get_data(as_text=True)
    assert board_rows("kz-2026") == []
