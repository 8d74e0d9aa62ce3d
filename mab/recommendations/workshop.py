"""Pure rules of a validation workshop: what the board's positions do to a version's
recommendations (its paragraphs), and the wording an amendment may have. No app, no database.

A position is about one paragraph, named by its stable id:

- endorsed: the paragraph stays as it is;
- amended: the paragraph takes the new wording and keeps its id (it is the same recommendation,
  reworded: its details, comments and follow-up stay with it);
- rejected: the paragraph is removed;
- deferred: the paragraph stays as it is (the board will decide at a later meeting; until then
  the recommendation is neither removed nor reworded);
- no position: the paragraph stays as it is.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field

from mab.drafts.paragraphs import split_blocks

ENDORSED, AMENDED, REJECTED, DEFERRED = "endorsed", "amended", "rejected", "deferred"
POSITIONS = (ENDORSED, AMENDED, REJECTED, DEFERRED)
UNCHANGED = "unchanged"   # the count of paragraphs without a position


@dataclass(frozen=True)
class Decision:
    """The board's position on one paragraph, and the new wording when it is amended."""
    position: str
    amended_text: str = ""


@dataclass(frozen=True)
class Outcome:
    """The paragraphs of the next version (``{"id", "text"}``, ids kept) and how many
    paragraphs each position concerned (``unchanged``: those without a position)."""
    blocks: list[dict]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.counts.get(AMENDED) or self.counts.get(REJECTED))


def apply(blocks: list[dict], positions: Mapping[str, Decision]) -> Outcome:
    """The version's paragraphs after the positions (by paragraph id). Positions on ids the
    version does not have are ignored; an amendment without wording keeps the paragraph."""
    counts = dict.fromkeys((*POSITIONS, UNCHANGED), 0)
    result = []
    for block in blocks:
        decision = positions.get(block["id"])
        if decision is None:
            counts[UNCHANGED] += 1
            result.append({"id": block["id"], "text": block["text"]})
            continue
        counts[decision.position] += 1
        if decision.position == REJECTED:
            continue
        text = block["text"]
        if decision.position == AMENDED and decision.amended_text.strip():
            text = decision.amended_text.strip()
        result.append({"id": block["id"], "text": text})
    return Outcome(result, counts)


def body_of(blocks: list[dict]) -> str:
    """The version body of these paragraphs: their text, a blank line between two. Split again
    (mab.drafts.paragraphs.split_blocks) it gives the same paragraphs, when each is one."""
    return "\n\n".join(block["text"] for block in blocks)


def one_paragraph(text: str) -> str | None:
    """The amended wording as the one paragraph it must be (lines' trailing spaces and blank
    lines at the ends dropped, as a version's paragraphs are), or None when it is empty or is
    several paragraphs (a blank line inside) or opens a code block it does not close (it would
    swallow the paragraphs after it)."""
    parts = split_blocks(text or "")
    if len(parts) != 1:
        return None
    fences = sum(1 for line in parts[0].split("\n") if line.strip().startswith("```"))
    return parts[0] if fences % 2 == 0 else None
