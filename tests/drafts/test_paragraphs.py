"""Blocks of a Markdown body and the carry-over of their ids from one version to the next."""
from mab.drafts.paragraphs import assign_ids, blocks_for, similarity, split_blocks

# Realistic paragraphs, long enough for similarity to mean something.
MEETING = "The board met in March 2022 and agreed the plan for the household survey."
RURAL = "Access to the Internet in rural areas remains limited and costly for most households."
LAW = "The law on access to information was amended in 2021 and now covers state companies."
GENDER = "Women are less likely than men to use the Internet every day, especially after 50."
SCHOOLS = "Most schools have a connection, but few teachers were trained to use it in class."


def ids(blocks):
    return [b["id"] for b in blocks]


def texts(blocks):
    return [b["text"] for b in blocks]


# --- split_blocks -----------------------------------------------------------------------------

def test_blocks_are_separated_by_blank_lines():
    body = "First line\nsame paragraph\n\n\n\nSecond\r\n\r\nThird  \n   \n"
    assert split_blocks(body) == ["First line\nsame paragraph", "Second", "Third"]


def test_empty_and_blank_bodies_have_no_blocks():
    assert split_blocks("") == []
    assert split_blocks(None) == []
    assert split_blocks("\n   \n\t\n") == []


def test_a_fenced_code_block_stays_whole_with_its_blank_lines():
    body = ("Before.\n\n```python\ndef f():\n\n    return 1\n\n\nprint(f())\n```\n\nAfter.")
    blocks = split_blocks(body)
    assert blocks == ["Before.", "```python\ndef f():\n\n    return 1\n\n\nprint(f())\n```",
                      "After."]


def test_a_fence_directly_after_text_joins_that_block_and_closes():
    body = "Intro:\n```\na\n\nb\n```\nOutro in the same block.\n\nNext."
    assert split_blocks(body) == ["Intro:\n```\na\n\nb\n```\nOutro in the same block.", "Next."]


def test_an_unclosed_fence_keeps_the_rest_together():
    assert split_blocks("A.\n\n```\ncode\n\nmore code") == ["A.", "```\ncode\n\nmore code"]


# --- assign_ids -------------------------------------------------------------------------------

def test_first_version_numbers_blocks_from_p1():
    assert assign_ids([MEETING, RURAL, LAW]) == [
        {"id": "p1", "text": MEETING}, {"id": "p2", "text": RURAL}, {"id": "p3", "text": LAW}]
    assert ids(blocks_for(f"{MEETING}\n\n{RURAL}")) == ["p1", "p2"]


def test_start_sets_the_first_new_number():
    assert ids(assign_ids([MEETING, RURAL], start=7)) == ["p7", "p8"]


def test_unchanged_blocks_keep_their_ids():
    old = assign_ids([MEETING, RURAL, LAW])
    assert assign_ids([MEETING, RURAL, LAW], old) == old


def test_unchanged_blocks_keep_their_ids_despite_whitespace_changes():
    old = assign_ids([MEETING, RURAL])
    new = assign_ids([MEETING.replace(" ", "  ") + "  ", RURAL.replace(" the ", "\nthe ")], old)
    assert ids(new) == ["p1", "p2"]


def test_a_slightly_edited_block_keeps_its_id():
    old = assign_ids([MEETING, RURAL, LAW])
    edited = MEETING.replace("the plan", "a revised plan")
    assert similarity(MEETING, edited) >= 0.6
    new = assign_ids([edited, RURAL, LAW], old)
    assert ids(new) == ["p1", "p2", "p3"]
    assert new[0]["text"] == edited


def test_a_rewritten_block_gets_a_new_id():
    old = assign_ids([MEETING, RURAL])
    new = assign_ids([MEETING, "Completely different text about mobile tariffs."], old)
    assert ids(new) == ["p1", "p3"]   # p2 is gone and never reused


def test_moved_blocks_keep_their_ids():
    old = assign_ids([MEETING, RURAL, LAW, GENDER])
    new = assign_ids([GENDER, LAW, MEETING, RURAL], old)
    assert ids(new) == ["p4", "p3", "p1", "p2"]
    assert texts(new) == [GENDER, LAW, MEETING, RURAL]


def test_a_moved_and_edited_block_keeps_its_id():
    old = assign_ids([MEETING, RURAL, LAW])
    new = assign_ids([LAW.replace("2021", "2020"), MEETING, RURAL], old)
    assert ids(new) == ["p3", "p1", "p2"]


def test_deleted_blocks_ids_are_not_reused():
    old = assign_ids([MEETING, RURAL, LAW])
    new = assign_ids([MEETING, LAW, GENDER], old)
    assert ids(new) == ["p1", "p3", "p4"]
    # Even when the deleted block was the last one: the next number follows the highest id.
    new = assign_ids([MEETING, RURAL, SCHOOLS], old)
    assert ids(new) == ["p1", "p2", "p4"]


def test_a_split_block_gives_its_id_to_the_more_similar_part():
    first = "The board met in March 2022 and agreed the plan for the household survey"
    combined = first + ", which the statistics office will run in the autumn of the same year."
    old = assign_ids([combined, RURAL])
    # Split into the long head and a short tail: the head resembles the old block more.
    head, tail = first + ".", "The statistics office will run it in the autumn."
    assert similarity(combined, head) > similarity(combined, tail)
    new = assign_ids([head, tail, RURAL], old)
    assert ids(new) == ["p1", "p3", "p2"]
    # The same when the more similar part comes second.
    new = assign_ids([tail, head, RURAL], old)
    assert ids(new) == ["p3", "p1", "p2"]


def test_merged_blocks_keep_the_id_of_the_more_similar_one():
    old = assign_ids([MEETING, RURAL, LAW])
    merged = MEETING + " " + RURAL          # RURAL is the longer, so the more similar
    assert similarity(RURAL, merged) > similarity(MEETING, merged) >= 0.6
    new = assign_ids([merged, LAW], old)
    assert ids(new) == ["p2", "p3"]
    # The other merged id (p1) is dropped, not reused for the next new block.
    newer = assign_ids([merged, LAW, GENDER], new, start=4)
    assert ids(newer) == ["p2", "p3", "p4"]


def test_merged_blocks_where_the_first_dominates():
    tail = "See annex 2."
    old = assign_ids([RURAL, tail, LAW])
    new = assign_ids([RURAL + " " + tail, LAW], old)
    assert ids(new) == ["p1", "p3"]


def test_each_old_id_is_used_once():
    old = assign_ids([MEETING, RURAL])
    # Two near copies of one old block: only one of them can carry p1.
    copy_a = MEETING.replace("March", "April")
    copy_b = MEETING.replace("March", "May")
    new = assign_ids([copy_a, copy_b, RURAL], old)
    assert sorted(ids(new)) == ["p1", "p2", "p3"]
    assert new[2]["id"] == "p2"
    assert len(set(ids(new))) == 3


def test_identical_duplicates_take_ids_in_order():
    old = assign_ids([MEETING, MEETING, RURAL])
    assert ids(old) == ["p1", "p2", "p3"]
    new = assign_ids([RURAL, MEETING, MEETING, MEETING], old)
    assert ids(new) == ["p3", "p1", "p2", "p4"]


def test_identical_text_wins_over_a_more_similar_pairing():
    old = assign_ids([MEETING, MEETING.replace("March", "April")])
    new = assign_ids([MEETING.replace("March", "April"), MEETING], old)
    assert ids(new) == ["p2", "p1"]


def test_new_ids_never_reuse_an_id_of_an_earlier_version():
    v1 = assign_ids([MEETING, RURAL, LAW])                         # p1 p2 p3
    v2 = assign_ids([MEETING, RURAL], v1)                          # p3 deleted
    assert ids(v2) == ["p1", "p2"]
    # Without ``start`` the next number comes from the previous version only: p3 again.
    assert ids(assign_ids([MEETING, RURAL, GENDER], v2)) == ["p1", "p2", "p3"]
    # With the highest number over all versions, the deleted p3 is never handed out again.
    highest = max(int(b["id"][1:]) for version in (v1, v2) for b in version)
    v3 = assign_ids([MEETING, RURAL, GENDER], v2, start=highest + 1)
    assert ids(v3) == ["p1", "p2", "p4"]
    # The removed text coming back is new too: its old id belonged to an older version.
    v4 = assign_ids([MEETING, RURAL, GENDER, LAW], v3, start=5)
    assert ids(v4) == ["p1", "p2", "p4", "p5"]


def test_ids_that_are_not_numbered_are_kept_and_numbering_ignores_them():
    old = [{"id": "intro", "text": MEETING}, {"id": "p2", "text": RURAL}]
    new = assign_ids([MEETING, RURAL, LAW], old)
    assert ids(new) == ["intro", "p2", "p3"]


def test_code_blocks_carry_ids_like_any_block():
    code = "```\nline one\n\nline two\n```"
    v1 = blocks_for(f"{MEETING}\n\n{code}\n\n{RURAL}")
    assert ids(v1) == ["p1", "p2", "p3"] and v1[1]["text"] == code
    v2 = blocks_for(f"{code}\n\n{MEETING}", v1)
    assert ids(v2) == ["p2", "p1"]
