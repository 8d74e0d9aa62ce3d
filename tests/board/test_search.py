"""Issue 14 item 6: the board search takes % and _ literally (``?q=%`` used to list everyone)."""
import pytest

from mab.board import queries
from mab.extensions import db
from tests.board.test_views import A, add_member, member_links, membership_of, setup_board, text


@pytest.fixture
def board(app):
    assessment, people, groups = setup_board()
    members = {
        "percent": add_member(assessment, groups["Academia"], "Ten % Foundation", "woman",
                              email="ten@example.org"),
        "underscore": add_member(assessment, groups["Government"], "snake_case Ltd", "man",
                                 email="snake@example.org"),
        "slash": add_member(assessment, groups["Government"], "A/B Research", None,
                            email="ab@example.org"),
        "plain": add_member(assessment, groups["Government"], "Болат Қасымов", "man",
                            email="bolat@example.org", organisation="Astana IT 100"),
    }
    db.session.commit()
    return assessment, people, members


def listed(client, q) -> set[str]:
    return set(member_links(client.get(f"{A}/board", query_string={"q": q})))


def ids(members, *names) -> set[str]:
    return {str(members[n].id) for n in names}


@pytest.mark.parametrize("who", ["observer", "coordinator"])
def test_percent_and_underscore_are_characters_not_wildcards(client, login, board, who):
    _assessment, people, members = board
    login(people[who])
    assert listed(client, "%") == ids(members, "percent")
    assert listed(client, "%%") == set()
    # The coordinator also searches addresses: board_member@example.org has an underscore.
    own = {str(membership_of(people["board_member"]).id)} if who == "coordinator" else set()
    assert listed(client, "_") == ids(members, "underscore") | own
    assert listed(client, "snake_c") == ids(members, "underscore")
    assert listed(client, "snake%c") == set()
    assert listed(client, "Ten_%") == set()
    assert listed(client, "/") == ids(members, "slash")     # the escape character itself
    assert listed(client, "a/b") == ids(members, "slash")
    assert listed(client, "100") == ids(members, "plain")


def test_a_page_says_no_member_matches_a_lone_percent(client, login, app):
    _assessment, people, _groups = setup_board()
    login(people["observer"])
    body = text(client.get(f"{A}/board?q=%25"))
    assert "0 members match." in body


def test_the_query_escapes_without_a_request(board):
    assessment, _people, members = board
    found = db.session.scalars(queries.board(assessment, search=" _ ", search_emails=False)).all()
    assert [m.id for m in found] == [members["underscore"].id]
    everyone = db.session.scalars(queries.board(assessment, search="   ")).all()
    assert len(everyone) == 5
