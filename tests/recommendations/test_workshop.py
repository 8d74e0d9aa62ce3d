"""The workshop's pure rules: what positions do to a version's paragraphs, and an amendment's
wording."""
import pytest

from mab.drafts.paragraphs import split_blocks
from mab.recommendations import workshop
from mab.recommendations.workshop import Decision, apply, body_of, one_paragraph

BLOCKS = [{"id": "p1", "text": "Publish statistics."}, {"id": "p2", "text": "Adopt a law."},
          {"id": "p3", "text": "Extend broadband."}, {"id": "p4", "text": "Train judges."},
          {"id": "p5", "text": "Set up an IGF."}]


def test_every_position_on_its_paragraph():
    outcome = apply(BLOCKS, {
        "p1": Decision("endorsed"), "p2": Decision("amended", "  Adopt a data protection law. "),
        "p3": Decision("rejected"), "p4": Decision("deferred")})
    assert outcome.blocks == [
        {"id": "p1", "text": "Publish statistics."},
        {"id": "p2", "text": "Adopt a data protection law."},   # same id: same recommendation
        {"id": "p4", "text": "Train judges."},                  # deferred: kept as it is
        {"id": "p5", "text": "Set up an IGF."}]                 # no position: kept
    assert outcome.counts == {"endorsed": 1, "amended": 1, "rejected": 1, "deferred": 1,
                              "unchanged": 1}
    assert outcome.changed


def test_no_positions_change_nothing_and_leave_the_blocks_given_alone():
    outcome = apply(BLOCKS, {})
    assert outcome.blocks == BLOCKS and outcome.blocks is not BLOCKS
    assert outcome.blocks[0] is not BLOCKS[0]
    assert outcome.counts["unchanged"] == 5 and not outcome.changed


def test_endorsed_and_deferred_only_are_no_change():
    outcome = apply(BLOCKS, {"p1": Decision("endorsed"), "p2": Decision("deferred")})
    assert outcome.blocks == BLOCKS
    assert not outcome.changed


def test_every_paragraph_rejected_leaves_none():
    outcome = apply(BLOCKS, {b["id"]: Decision("rejected") for b in BLOCKS})
    assert outcome.blocks == [] and outcome.counts["rejected"] == 5
    assert body_of(outcome.blocks) == ""


def test_positions_on_paragraphs_the_version_lacks_are_ignored():
    outcome = apply(BLOCKS[:1], {"p9": Decision("rejected"), "p1": Decision("endorsed")})
    assert outcome.blocks == BLOCKS[:1]
    assert outcome.counts == {"endorsed": 1, "amended": 0, "rejected": 0, "deferred": 0,
                              "unchanged": 0}


def test_an_amendment_without_wording_keeps_the_paragraph():
    outcome = apply(BLOCKS[:1], {"p1": Decision("amended", "   ")})
    assert outcome.blocks == BLOCKS[:1]


def test_order_is_kept():
    outcome = apply(BLOCKS, {"p5": Decision("amended", "Fund the IGF."),
                             "p1": Decision("rejected")})
    assert [b["id"] for b in outcome.blocks] == ["p2", "p3", "p4", "p5"]


@pytest.mark.parametrize("texts", [
    ["One."],
    ["One.", "Two,\non two lines.", "  Indented three."],
    ["A list:\n- first\n- second", "```\ncode\n\nwith a blank line\n```", "After the code."],
    [],
])
def test_body_of_splits_back_into_the_same_paragraphs(texts):
    blocks = [{"id": f"p{n}", "text": t} for n, t in enumerate(texts, 1)]
    body = body_of(blocks)
    assert split_blocks(body) == texts
    assert body.count("\n\n") >= len(texts) - 1


def test_body_of_a_real_version_gives_its_body_back():
    body = "First.\n\nSecond,\nstill second.\n\nThird."
    blocks = [{"id": f"p{n}", "text": t} for n, t in enumerate(split_blocks(body), 1)]
    assert body_of(blocks) == body


@pytest.mark.parametrize("text, wording", [
    ("Adopt a law.", "Adopt a law."),
    ("\n\n  Adopt a law.   \n\n", "  Adopt a law."),
    ("Adopt a law\nby 2027.  ", "Adopt a law\nby 2027."),
    ("```\ncode\n\nmore\n```", "```\ncode\n\nmore\n```"),
    ("", None),
    ("   \n  ", None),
    (None, None),
    ("Two.\n\nParagraphs.", None),
    ("```\nan open code block", None),
])
def test_one_paragraph(text, wording):
    assert one_paragraph(text) == wording


def test_the_positions_are_the_models():
    from mab.recommendations.models import Position
    assert set(workshop.POSITIONS) == {p.value for p in Position}
