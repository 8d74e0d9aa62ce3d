"""Word and paragraph differences between two versions."""
from mab.drafts.diff import ParagraphChange, Segment, diff_blocks, word_diff


def old_side(segments):
    return "".join(s.text for s in segments if s.op != "insert")


def new_side(segments):
    return "".join(s.text for s in segments if s.op != "delete")


def blocks(*pairs):
    return [{"id": i, "text": t} for i, t in pairs]


# --- word_diff --------------------------------------------------------------------------------

def test_equal_text_is_one_equal_segment():
    assert word_diff("Same words here.", "Same words here.") == (
        Segment("equal", "Same words here."),)


def test_a_replaced_word_is_deleted_then_inserted_in_place():
    assert word_diff("The plan was agreed.", "The budget was agreed.") == (
        Segment("equal", "The "), Segment("delete", "plan"), Segment("insert", "budget"),
        Segment("equal", " was agreed."))


def test_inserted_and_deleted_words():
    assert word_diff("one three", "one two three") == (
        Segment("equal", "one "), Segment("insert", "two "), Segment("equal", "three"))
    assert word_diff("one two three", "one three") == (
        Segment("equal", "one "), Segment("delete", "two "), Segment("equal", "three"))


def test_diff_works_on_whole_words_not_characters():
    segments = word_diff("household survey", "household surveys")
    assert Segment("delete", "survey") in segments and Segment("insert", "surveys") in segments


def test_from_empty_and_to_empty():
    assert word_diff("", "New text") == (Segment("insert", "New text"),)
    assert word_diff("Old text", "") == (Segment("delete", "Old text"),)
    assert word_diff("", "") == ()


def test_both_sides_can_be_rebuilt_exactly():
    old = "Доступ к Интернету в сельской местности\nостаётся ограниченным,  и дорогим."
    new = "Доступ к Интернету в сёлах остаётся\nограниченным и очень дорогим!"
    segments = word_diff(old, new)
    assert old_side(segments) == old and new_side(segments) == new
    assert {s.op for s in segments} == {"equal", "delete", "insert"}


# --- diff_blocks ------------------------------------------------------------------------------

def ops(changes):
    return [(c.op, c.block_id) for c in changes]


def test_identical_versions_are_all_equal():
    old = blocks(("p1", "A."), ("p2", "B."))
    changes = diff_blocks(old, old)
    assert ops(changes) == [("equal", "p1"), ("equal", "p2")]
    assert changes[0] == ParagraphChange("equal", "p1", (Segment("equal", "A."),))


def test_changed_added_and_removed():
    old = blocks(("p1", "The plan was agreed."), ("p2", "Gone soon."), ("p3", "Kept."))
    new = blocks(("p1", "The budget was agreed."), ("p3", "Kept."), ("p4", "Brand new."))
    changes = diff_blocks(old, new)
    assert ops(changes) == [("changed", "p1"), ("removed", "p2"), ("equal", "p3"),
                            ("added", "p4")]
    assert changes[0].segments == word_diff("The plan was agreed.", "The budget was agreed.")
    assert changes[1].segments == (Segment("delete", "Gone soon."),)
    assert changes[3].segments == (Segment("insert", "Brand new."),)


def test_removed_blocks_appear_where_they_were():
    old = blocks(("p1", "First."), ("p2", "Second."), ("p3", "Third."), ("p4", "Fourth."),
                 ("p5", "Fifth."))
    # First, third and last removed.
    new = blocks(("p2", "Second."), ("p4", "Fourth."))
    assert ops(diff_blocks(old, new)) == [("removed", "p1"), ("equal", "p2"), ("removed", "p3"),
                                          ("equal", "p4"), ("removed", "p5")]


def test_several_removed_in_a_row_keep_their_order():
    old = blocks(("p1", "A."), ("p2", "B."), ("p3", "C."), ("p4", "D."))
    new = blocks(("p1", "A."), ("p4", "D."))
    assert ops(diff_blocks(old, new)) == [("equal", "p1"), ("removed", "p2"), ("removed", "p3"),
                                          ("equal", "p4")]


def test_everything_removed_and_replaced():
    old = blocks(("p1", "A."), ("p2", "B."))
    new = blocks(("p3", "C."))
    assert ops(diff_blocks(old, new)) == [("added", "p3"), ("removed", "p1"), ("removed", "p2")]
    assert ops(diff_blocks(old, [])) == [("removed", "p1"), ("removed", "p2")]
    assert ops(diff_blocks([], new)) == [("added", "p3")]


def test_new_blocks_follow_the_order_of_the_new_version():
    old = blocks(("p1", "A."), ("p2", "B."), ("p3", "C."))
    new = blocks(("p3", "C."), ("p5", "New."), ("p1", "A changed."), ("p2", "B."))
    assert ops(diff_blocks(old, new)) == [("equal", "p3"), ("added", "p5"), ("changed", "p1"),
                                          ("equal", "p2")]


def test_a_removed_block_before_a_moved_block_comes_before_it():
    old = blocks(("p1", "A."), ("p2", "B."), ("p3", "C."))
    new = blocks(("p3", "C."), ("p1", "A."))
    assert ops(diff_blocks(old, new)) == [("removed", "p2"), ("equal", "p3"), ("equal", "p1")]


def test_every_block_of_both_versions_appears_once():
    old = blocks(*[(f"p{n}", f"Old {n}.") for n in range(1, 9)])
    new = blocks(("p8", "Old 8."), ("p9", "New."), ("p2", "Old 2 edited."), ("p5", "Old 5."))
    changes = diff_blocks(old, new)
    assert sorted(c.block_id for c in changes) == sorted(
        {b["id"] for b in old} | {b["id"] for b in new})
    assert [c.block_id for c in changes if c.op != "removed"] == ["p8", "p9", "p2", "p5"]
