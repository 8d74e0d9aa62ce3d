"""Differences between two versions: paragraph by paragraph (by stable id), then word by word."""
import re
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Segment:
    op: str       # "equal", "insert", "delete"
    text: str


@dataclass(frozen=True)
class ParagraphChange:
    op: str                   # "equal", "changed", "added", "removed"
    block_id: str
    segments: tuple[Segment, ...]


TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(segments)


def diff_blocks(old: list[dict], new: list[dict]) -> list[ParagraphChange]:
    """Align two versions' blocks by id (order of the new version, removed ones where they were)."""
    old_by_id = {b["id"]: b["text"] for b in old}
    new_ids = {b["id"] for b in new}
    changes: list[ParagraphChange] = []
    removed = [b for b in old if b["id"] not in new_ids]
    old_positions = {b["id"]: n for n, b in enumerate(old)}
    pending_removed = list(removed)
    for block in new:
        # Removed blocks that stood before this block's old position come first.
        position = old_positions.get(block["id"])
        while pending_removed and position is not None and \
                old_positions[pending_removed[0]["id"]] < position:
            gone = pending_removed.pop(0)
            changes.append(ParagraphChange("removed", gone["id"],
                                           (Segment("delete", gone["text"]),)))
        if block["id"] not in old_by_id:
            changes.append(ParagraphChange("added", block["id"],
                                           (Segment("insert", block["text"]),)))
        elif old_by_id[block["id"]] == block["text"]:
            changes.append(ParagraphChange("equal", block["id"],
                                           (Segment("equal", block["text"]),)))
        else:
            changes.append(ParagraphChange("changed", block["id"],
                                           word_diff(old_by_id[block["id"]], block["text"])))
    for gone in pending_removed:
        changes.append(ParagraphChange("removed", gone["id"], (Segment("delete", gone["text"]),)))
    return changes
