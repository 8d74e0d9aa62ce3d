"""The rules of commenting, as plain functions: no app, no database."""
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from mab.comments import rules
from mab.comments.rules import Placed, place
from mab.drafts.diff import Segment
from mab.markdown import render_markdown

TODAY = date(2022, 6, 15)
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)

V1 = [{"id": "p1", "text": "Internet use grew fast."},
      {"id": "p2", "text": "Mobile data is cheap in cities."},
      {"id": "p3", "text": "Rural coverage is poor."}]
# Version 2: p1 unchanged, p2 edited, p3 removed, p4 new.
V2 = [{"id": "p1", "text": "Internet use grew fast."},
      {"id": "p2", "text": "Mobile data is cheap in most cities."},
      {"id": "p4", "text": "A new paragraph on affordability."}]
BLOCKS = {1: V1, 2: V2}


def c(id, version_id, block_id=None):
    return SimpleNamespace(id=id, version_id=version_id, block_id=block_id)


# --- place: carrying comments over to later versions -------------------------------------------

def test_a_comment_on_an_unchanged_paragraph_stays_at_it_unmarked():
    placement = place([c(1, 1, "p1")], BLOCKS, V2)
    [placed] = placement.by_block["p1"]
    assert placed.comment.id == 1
    assert placed.changed is False and placed.segments == ()
    assert not placement.removed and not placement.general


def test_a_comment_on_an_edited_paragraph_is_marked_changed_with_the_word_diff():
    placement = place([c(2, 1, "p2")], BLOCKS, V2)
    [placed] = placement.by_block["p2"]
    assert placed.changed is True
    assert [s.text.strip() for s in placed.segments if s.op == "insert"] == ["most"]
    assert not [s for s in placed.segments if s.op == "delete"]
    # The segments rebuild both texts: what the commenter read and what is there now.
    then = "".join(s.text for s in placed.segments if s.op != "insert")
    now = "".join(s.text for s in placed.segments if s.op != "delete")
    assert then == V1[1]["text"] and now == V2[1]["text"]


def test_a_comment_on_a_removed_paragraph_is_listed_with_what_it_said():
    placement = place([c(3, 1, "p3")], BLOCKS, V2)
    assert "p3" not in placement.by_block
    [placed] = placement.removed
    assert placed.comment.id == 3 and placed.changed is True
    assert placed.segments == (Segment("delete", "Rural coverage is poor."),)


def test_a_removed_paragraph_whose_text_is_unknown_is_still_listed():
    placement = place([c(3, 7, "p3")], BLOCKS, V2)     # version 7's blocks were not given
    assert [p.comment.id for p in placement.removed] == [3]
    assert placement.removed[0].segments == ()


def test_general_comments_stay_general():
    placement = place([c(4, 1), c(5, 2, "")], BLOCKS, V2)
    assert [p.comment.id for p in placement.general] == [4, 5]
    assert all(p == Placed(p.comment) for p in placement.general)
    assert not placement.by_block and not placement.removed


def test_a_comment_made_on_the_version_being_read_is_not_marked_changed():
    placement = place([c(6, 2, "p2"), c(7, 2, "p4")], BLOCKS, V2)
    assert [p.changed for p in placement.by_block["p2"]] == [False]
    assert [p.changed for p in placement.by_block["p4"]] == [False]


def test_on_the_original_version_nothing_is_changed_or_removed():
    placement = place([c(1, 1, "p1"), c(2, 1, "p2"), c(3, 1, "p3")], BLOCKS, V1)
    assert sorted(placement.by_block) == ["p1", "p2", "p3"]
    assert not any(p.changed for ps in placement.by_block.values() for p in ps)
    assert not placement.removed


def test_no_comment_is_ever_dropped_and_order_is_kept_per_paragraph():
    comments = [c(1, 1, "p1"), c(2, 1, "p2"), c(3, 1, "p3"), c(4, 1), c(5, 2, "p4"),
                c(6, 2, "p2"), c(8, 1, "p1"), c(9, 1, "p9"), c(10, 2)]
    placement = place(comments, BLOCKS, V2)
    assert len(placement) == len(comments)
    ids = sorted([p.comment.id for ps in placement.by_block.values() for p in ps]
                 + [p.comment.id for p in placement.general + placement.removed])
    assert ids == sorted(x.id for x in comments)
    assert [p.comment.id for p in placement.by_block["p1"]] == [1, 8]
    assert [p.comment.id for p in placement.by_block["p2"]] == [2, 6]
    assert [p.comment.id for p in placement.removed] == [3, 9]


def test_place_on_an_empty_version_lists_every_anchored_comment_as_removed():
    placement = place([c(1, 1, "p1"), c(4, 1)], BLOCKS, [])
    assert [p.comment.id for p in placement.removed] == [1]
    assert [p.comment.id for p in placement.general] == [4]
    assert len(placement) == 2


def test_paragraph_numbers_count_from_one_in_order():
    assert rules.paragraph_numbers(V2) == {"p1": 1, "p2": 2, "p4": 3}
    assert rules.paragraph_numbers([]) == {}


# --- the period ---------------------------------------------------------------------------------

def test_comments_are_open_through_the_deadline_day():
    assert not rules.period_over(TODAY, TODAY)
    assert not rules.period_over(TOMORROW, TODAY)
    assert rules.period_over(YESTERDAY, TODAY)
    assert not rules.period_over(None, TODAY)


@pytest.mark.parametrize("circulated, deadline, expected", [
    (False, TOMORROW, rules.NOT_CIRCULATED),
    (False, None, rules.NOT_CIRCULATED),
    (True, TOMORROW, None),
    (True, TODAY, None),
    (True, YESTERDAY, rules.CLOSED),
])
def test_comment_problem(circulated, deadline, expected):
    assert rules.comment_problem(circulated=circulated, deadline=deadline, today=TODAY) == expected


@pytest.mark.parametrize("deadline, by_team, team_in_thread, root_withdrawn, expected", [
    (TOMORROW, False, False, False, None),            # in time: anyone
    (TODAY, False, False, False, None),
    (YESTERDAY, True, False, False, None),            # the team may always reply
    (YESTERDAY, False, True, False, None),            # a board member answering the team
    (YESTERDAY, False, False, False, rules.CLOSED),   # a board member, the team silent
    (TOMORROW, False, False, True, rules.WITHDRAWN),  # no replies under a withdrawn comment
    (YESTERDAY, True, True, True, rules.WITHDRAWN),
])
def test_reply_problem(deadline, by_team, team_in_thread, root_withdrawn, expected):
    assert rules.reply_problem(deadline=deadline, today=TODAY, by_team=by_team,
                               team_in_thread=team_in_thread,
                               root_withdrawn=root_withdrawn) == expected


EDIT_OK = {"is_author": True, "withdrawn": False, "has_replies": False, "disposed": False,
           "deadline": TOMORROW, "today": TODAY}


@pytest.mark.parametrize("change, expected", [
    ({}, None),
    ({"deadline": TODAY}, None),
    ({"is_author": False}, rules.NOT_AUTHOR),
    ({"withdrawn": True}, rules.WITHDRAWN),
    ({"disposed": True}, rules.DISPOSED),
    ({"has_replies": True}, rules.HAS_REPLIES),
    ({"deadline": YESTERDAY}, rules.CLOSED),
    # Someone else is told first that it is not theirs, whatever else holds.
    ({"is_author": False, "withdrawn": True, "disposed": True}, rules.NOT_AUTHOR),
    ({"disposed": True, "has_replies": True}, rules.DISPOSED),
])
def test_edit_problem(change, expected):
    assert rules.edit_problem(**{**EDIT_OK, **change}) == expected


@pytest.mark.parametrize("is_author, withdrawn, disposed, expected", [
    (True, False, False, None),
    (False, False, False, rules.NOT_AUTHOR),
    (True, True, False, rules.WITHDRAWN),
    (True, False, True, rules.DISPOSED),
    (False, True, True, rules.NOT_AUTHOR),
])
def test_withdraw_problem(is_author, withdrawn, disposed, expected):
    assert rules.withdraw_problem(is_author=is_author, withdrawn=withdrawn,
                                  disposed=disposed) == expected


@pytest.mark.parametrize("is_author, disposed, expected", [
    (True, True, None),
    (True, False, rules.NOT_DISPOSED),
    (False, True, rules.NOT_AUTHOR),
    (False, False, rules.NOT_AUTHOR),
])
def test_verdict_problem(is_author, disposed, expected):
    assert rules.verdict_problem(is_author=is_author, disposed=disposed) == expected


# --- quotes -------------------------------------------------------------------------------------

@pytest.mark.parametrize("rendered, plain", [
    ("<p>Plain text.</p>", "Plain text."),
    ("<p>Fish &amp; chips &lt;3 &quot;ok&quot;</p>", 'Fish & chips <3 "ok"'),
    ("<p>line one\nline   two</p>", "line one line two"),
    ("<ul>\n<li>one</li>\n<li>two</li>\n</ul>", "one two"),
    ("<p>x<br>y</p>", "x y"),
    # What a reader selects: inline markup adds no space of its own.
    ("<p>Use is <strong>growing</strong>, fast.</p>", "Use is growing, fast."),
    ('<p>See <a href="https://unesco.org">UNESCO</a>\'s report.</p>', "See UNESCO's report."),
    ("<p>H<sub>2</sub>O and <em>et al.</em>;</p>", "H2O and et al.;"),
])
def test_plain_text_is_what_the_reader_sees(rendered, plain):
    assert rules.plain_text(rendered) == plain


def test_normalise_quote_folds_spaces():
    assert rules.normalise_quote("  grew \n\t fast ") == "grew fast"
    assert rules.normalise_quote(None) == ""


@pytest.mark.parametrize("quote, plain, source, expected", [
    ("grew fast", "Internet use grew fast.", "", True),
    ("  grew\n  fast ", "Internet use grew fast.", "", True),         # spaces folded
    ("", "anything", "", True),                                      # no quote: fine
    ("   ", "anything", "", True),
    ("grew slowly", "Internet use grew fast.", "", False),
    ("Grew fast", "Internet use grew fast.", "", False),               # exact, case included
    ("**growing**", "Use is growing.", "Use is **growing**.", True),    # as written
    ("is **growing**", "Use is growing.", "Use  is\n**growing**.", True),
    ("growing", "Use is growing.", "Use is **growing**.", True),
    ("shrinking", "Use is growing.", "Use is **growing**.", False),
])
def test_quote_in(quote, plain, source, expected):
    assert rules.quote_in(quote, plain, source) is expected


def test_a_passage_selected_across_inline_markup_is_in_its_paragraph():
    source = "Access is **affordable**, says [the regulator](https://example.org)'s report."
    shown = rules.plain_text(str(render_markdown(source)))
    for selected in ("affordable, says the regulator's", "Access is affordable,",
                     "the regulator's report."):
        assert rules.quote_in(selected, shown, source), selected
    assert not rules.quote_in("affordable, says nobody", shown, source)
