"""Matrix rows and participation tables from plain objects: no app, no database."""
from datetime import UTC, datetime
from types import SimpleNamespace as NS

from mab.board.rules import Group
from mab.comments import participation
from mab.comments.matrix import row_of
from mab.comments.queries import Voice

WHEN = datetime(2022, 5, 3, 9, 30, tzinfo=UTC)
MEDIA = NS(name="Media and journalists")


def comment(**fields):
    values = {
        "id": 41, "draft_id": 7, "draft": NS(title="Access findings"),
        "version": NS(number=1), "paragraph": 3, "block_id": "p3", "quote": "grew fast",
        "body": "Please cite the *source*.", "withdrawn": False,
        "author": NS(group=MEDIA, role="board_member"), "created_at": WHEN,
        "disposition": None, "response": "", "addressed_in": None, "satisfied": None,
        "language": "kk", "translation": "", "translation_html": "",
        "translation_language": None, "translation_shown": ""}
    values["draft"] = NS(title="Access findings", source_language=fields.pop("source", None))
    values.update(fields)
    return NS(**values)


def test_a_row_carries_everything_the_matrix_prints():
    row = row_of(comment(disposition="partly_accepted", response="Cited in a footnote.",
                         addressed_in=NS(number=2), satisfied=True), replies=3)
    assert (row.comment_id, row.draft_id, row.draft_title, row.version) == (
        41, 7, "Access findings", 1)
    assert (row.paragraph, row.block_id, row.quote) == (3, "p3", "grew fast")
    assert row.comment == "Please cite the *source*." and not row.withdrawn
    assert row.group == "Media and journalists" and row.commenter_role == "board_member"
    assert row.date == WHEN
    assert row.disposition == "partly_accepted" and row.response == "Cited in a footnote."
    assert row.addressed_in == 2 and row.satisfied is True and row.replies == 3
    assert not row.open


def test_an_open_row():
    row = row_of(comment())
    assert row.open and row.disposition is None and row.addressed_in is None
    assert row.response == "" and row.replies == 0 and row.satisfied is None


def test_a_withdrawn_row_keeps_its_place_but_not_its_text():
    row = row_of(comment(withdrawn=True))
    assert row.withdrawn and row.comment == ""
    assert row.paragraph == 3 and row.group == "Media and journalists"
    assert not row.open    # nothing to respond to


def test_a_general_comment_has_no_paragraph_and_no_quote():
    row = row_of(comment(paragraph=None, block_id=None, quote=None))
    assert row.paragraph is None and row.block_id is None and row.quote == ""


def test_the_research_team_and_former_members_have_no_group():
    team = row_of(comment(author=NS(group=None, role="researcher")))
    assert team.group is None and team.commenter_role == "researcher"
    former = row_of(comment(author=None))
    assert former.group is None and former.commenter_role == ""


def test_a_row_names_the_language_the_comment_was_written_in():
    assert row_of(comment()).language == "kk"
    # Stored without one (made before editions): the draft's source language, else the
    # assessment's first language.
    assert row_of(comment(language=None, source="en"), main_language="ru").language == "en"
    assert row_of(comment(language=None), main_language="ru").language == "ru"
    assert row_of(comment(language=None, assessment=NS(language_list=["ru", "kk"]))
                  ).language == "ru"


def test_a_row_carries_the_translation_unless_withdrawn():
    translated = comment(translation="Please cite the *source*.",
                         translation_shown="<p>Please cite the <em>source</em>.</p>",
                         translation_language="en")
    row = row_of(translated)
    assert (row.translation, row.translation_language) == ("Please cite the *source*.", "en")
    assert row.translation_html == "<p>Please cite the <em>source</em>.</p>"
    assert row_of(comment()).translation == "" and row_of(comment()).translation_language is None
    withdrawn = row_of(comment(withdrawn=True, translation="x", translation_language="en"))
    assert withdrawn.translation == "" and withdrawn.translation_language is None


def test_csv_cells_name_the_languages():
    from mab.comments.matrix import CSV_HEADER, csv_cells
    row = row_of(comment(translation="Cite it.", translation_language="en",
                         translation_shown="<p>Cite it.</p>"))
    cells = dict(zip(CSV_HEADER, csv_cells(row, team_label="Research team", link="L"),
                     strict=True))
    assert (cells["language"], cells["translation"], cells["translation_language"]) == (
        "Қазақша", "Cite it.", "English")
    plain = dict(zip(CSV_HEADER, csv_cells(row_of(comment(language="ru")),
                                           team_label="Research team", link="L"), strict=True))
    assert (plain["language"], plain["translation"], plain["translation_language"]) == (
        "Русский", "", "")


# --- participation ---------------------------------------------------------------------------

GROUPS = [Group(1, "Government"), Group(2, "Academia"), Group(3, "Media")]
VOICES = [
    Voice(10, "Aigerim", 1, "woman", 4),
    Voice(11, "Bolat", 1, "man", 1),
    Voice(12, "Dana", 2, "woman", 0),
    Voice(13, "Yerlan", 2, None, 2),
    Voice(14, "Zhanna", 3, "another", 0),
]


def cells(table, name):
    return next((cells, total) for row_name, cells, total in table.rows if row_name == name)


def test_comment_table_counts_comments_by_group_and_gender():
    table = participation.comment_table(VOICES, GROUPS)
    assert table.total == 7
    assert cells(table, "Government") == ({"woman": 4, "man": 1, "another": 0,
                                           "undisclosed": 0}, 5)
    # A gender not recorded counts as undisclosed.
    assert cells(table, "Academia") == ({"woman": 0, "man": 0, "another": 0,
                                         "undisclosed": 2}, 2)
    assert cells(table, "Media") == ({"woman": 0, "man": 0, "another": 0, "undisclosed": 0}, 0)
    assert table.totals == {"woman": 4, "man": 1, "another": 0, "undisclosed": 2}


def test_commenter_table_counts_people_not_comments():
    table = participation.commenter_table(VOICES, GROUPS)
    assert table.total == 3
    assert cells(table, "Government")[1] == 2
    assert cells(table, "Academia") == ({"woman": 0, "man": 0, "another": 0,
                                         "undisclosed": 1}, 1)
    assert cells(table, "Media")[1] == 0


def test_silent_members_are_those_without_a_comment():
    assert [v.name for v in participation.silent(VOICES)] == ["Dana", "Zhanna"]
    assert participation.silent([]) == []


def test_members_without_a_group_get_a_row_of_their_own_when_they_commented():
    voices = [Voice(20, "Nurlan", None, "man", 2), Voice(21, "Olga", None, "woman", 0)]
    table = participation.comment_table(voices, GROUPS)
    assert table.total == 2 and cells(table, None)[1] == 2
    assert participation.commenter_table(voices, GROUPS).total == 1
    # Nobody without a group commented: no empty "no group" row.
    assert None not in [r[0] for r in participation.comment_table(voices[1:], GROUPS).rows]
