"""Blocks of a Markdown body and their stable ids.

A block is a run of lines separated by blank lines (a fenced code block stays whole). Ids are
carried from one version to the next so comments stay anchored: an unchanged block keeps its id
wherever it moved; a block edited only slightly (at least 60 % in common, in order) keeps the id of the old block
it resembles most; a block split in two gives its id to the more similar part; two blocks merged
keep the id of the more similar one; deleted blocks' ids are simply not reused; new blocks get new
ids. Pure functions, no app needed.
"""
import re
from difflib import SequenceMatcher

SIMILAR = 0.6


def split_blocks(body: str) -> list[str]:
    blocks, current, fenced = [], [], False
    for line in (body or "").replace("\r\n", "\n").split("\n"):
        if line.strip().startswith("```"):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current).strip("\n"))
                current = []
            continue
        current.append(line.rstrip())
    if current:
        blocks.append("\n".join(current).strip("\n"))
    return [b for b in blocks if b.strip()]


def _normal(text: str) -> str:
    """Runs of whitespace as one space, none at the ends: what a regular expression's ``\\s+``
    would give, several times faster (str.split knows the same spaces)."""
    return " ".join(text.split())


def similarity(a: str, b: str) -> float:
    """Share of text in common, in order (0..1): by character for short paragraphs, by word for
    long ones (as telling, and fast enough for 5,000-word versions)."""
    a, b = _normal(a), _normal(b)
    if len(a) + len(b) > 600:
        a, b = a.split(" "), b.split(" ")
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return matcher.quick_ratio()   # below the threshold anyway: skip the exact ratio
    return matcher.ratio()


def _next_number(old: list[dict]) -> int:
    numbers = [int(b["id"][1:]) for b in old if re.fullmatch(r"p\d+", b.get("id", ""))]
    return max(numbers, default=0) + 1


def assign_ids(texts: list[str], previous: list[dict] | None = None,
               *, start: int | None = None) -> list[dict]:
    """Return ``[{"id", "text"}]`` for ``texts``, reusing the ids of ``previous`` blocks."""
    previous = previous or []
    ids: list[str | None] = [None] * len(texts)
    free = {b["id"]: b["text"] for b in previous}
    # 1. Identical text, wherever it moved.
    by_text: dict[str, list[str]] = {}
    for block in previous:
        by_text.setdefault(_normal(block["text"]), []).append(block["id"])
    for i, text in enumerate(texts):
        candidates = by_text.get(_normal(text))
        if candidates:
            ids[i] = candidates.pop(0)
            free.pop(ids[i], None)
    # 2. Best similar pairs first, each old id used once.
    pairs = sorted(((similarity(text, old_text), i, old_id)
                    for i, text in enumerate(texts) if ids[i] is None
                    for old_id, old_text in free.items()), reverse=True)
    for score, i, old_id in pairs:
        if score < SIMILAR:
            break
        if ids[i] is None and old_id in free:
            ids[i] = old_id
            del free[old_id]
    # 3. New ids for the rest; never reuse an id of the previous version.
    counter = start if start is not None else _next_number(previous)
    result = []
    for i, text in enumerate(texts):
        if ids[i] is None:
            ids[i] = f"p{counter}"
            counter += 1
        result.append({"id": ids[i], "text": text})
    return result


def blocks_for(body: str, previous: list[dict] | None = None) -> list[dict]:
    return assign_ids(split_blocks(body), previous)
