"""Pure rules of editions: paragraph hashes, translation status, carrying translations into a
new version, and the manifest hash a validation round signs. No app needed."""
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from mab.drafts.paragraphs import _normal

MISSING, CURRENT, OUTDATED = "missing", "current", "outdated"


@lru_cache(maxsize=8192)
def paragraph_hash(text: str) -> str:
    """SHA-256 of a source paragraph, blind to how its lines are wrapped. Remembered: a list page
    asks for the same source paragraphs' hashes once per language."""
    return hashlib.sha256(_normal(text).encode("utf-8")).hexdigest()


def paragraph_status(source_block: dict, translated: dict | None) -> str:
    if translated is None or not translated.get("text", "").strip():
        return MISSING
    if translated.get("source_hash") != paragraph_hash(source_block["text"]):
        return OUTDATED
    return CURRENT


def source_index(edition_blocks: list[dict]) -> dict[str, str]:
    """``{paragraph id: the source paragraph's hash it was made from}`` of the paragraphs an
    edition translates: all a status needs, kept beside the blocks (``Edition.source_index``) so
    that list pages count statuses without reading the translations' text."""
    return {b["id"]: b.get("source_hash", "") for b in edition_blocks
            if b.get("text", "").strip()}


def statuses(source_blocks: list[dict], edition_blocks: list[dict]) -> dict[str, str]:
    """``{paragraph id: status}`` for every paragraph of the source, in its order."""
    by_id = {b["id"]: b for b in edition_blocks}
    return {b["id"]: paragraph_status(b, by_id.get(b["id"])) for b in source_blocks}


@dataclass(frozen=True)
class Summary:
    """An edition's state: how many of the source's paragraphs are current, outdated, missing."""
    language: str
    total: int
    current: int
    outdated: int
    missing: int
    source: bool = False

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.current == self.total

    @property
    def translated(self) -> int:
        return self.current + self.outdated


def summary(language: str, source_blocks: list[dict], edition_blocks: list[dict]) -> Summary:
    return summary_of_index(language, source_blocks, source_index(edition_blocks))


def summary_of_index(language: str, source_blocks: list[dict],
                     index: dict[str, str]) -> Summary:
    """:func:`summary` from an edition's :func:`source_index`."""
    current = outdated = 0
    for block in source_blocks:
        made_from = index.get(block["id"])
        if made_from is None:
            continue
        if made_from == paragraph_hash(block["text"]):
            current += 1
        else:
            outdated += 1
    total = len(source_blocks)
    return Summary(language, total, current, outdated, total - current - outdated)


def source_summary(language: str, source_blocks: list[dict]) -> Summary:
    n = len(source_blocks)
    return Summary(language, n, n, 0, 0, source=True)


def translate(edition_blocks: list[dict], source_blocks: list[dict], block_id: str,
              text: str) -> list[dict]:
    """The edition's blocks with paragraph ``block_id`` translated as ``text`` (made from the
    source paragraph as it is now); an empty text removes the translation. Blocks come back in
    the source's order, and paragraphs the source no longer has are dropped."""
    source = {b["id"]: b for b in source_blocks}
    if block_id not in source:
        raise KeyError(block_id)
    by_id = {b["id"]: dict(b) for b in edition_blocks}
    text = (text or "").replace("\r\n", "\n").strip()
    if text:
        basis = source[block_id]["text"]
        by_id[block_id] = {"id": block_id, "text": text, "source_hash": paragraph_hash(basis),
                           "basis": basis}
    else:
        by_id.pop(block_id, None)
    return [by_id[b["id"]] for b in source_blocks if b["id"] in by_id]


def carry_over(edition_blocks: list[dict], new_source_blocks: list[dict]) -> list[dict]:
    """A new version's edition from the previous one: every paragraph the new source still has
    keeps its translation and the hash it was made from, so a changed source paragraph shows as
    outdated (and its ``basis`` gives the diff); removed paragraphs are dropped."""
    by_id = {b["id"]: dict(b) for b in edition_blocks}
    return [by_id[b["id"]] for b in new_source_blocks if b["id"] in by_id]


def edition_text(blocks: list[dict]) -> str:
    """The edition as one Markdown body, paragraphs in order."""
    return "\n\n".join(b["text"] for b in blocks if b.get("text", "").strip())


def edition_hash(language: str, blocks: list[dict]) -> str:
    """SHA-256 of what an edition says: its language and each paragraph's id, text and the
    source paragraph it was made from."""
    payload = json.dumps({"language": language,
                          "paragraphs": [[b["id"], b["text"], b.get("source_hash", "")]
                                         for b in blocks]},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def manifest_hash(source_language: str, source_sha256: str,
                  editions: list[tuple[str, str]]) -> str:
    """What a round on a version with translations signs: the source version's hash and each
    edition's, by language. Without translations it is the source version's own hash, so rounds
    on one-language drafts keep the hash they always had."""
    if not editions:
        return source_sha256
    lines = [f"{source_language} source {source_sha256}"]
    lines += [f"{language} translation {sha}" for language, sha in sorted(editions)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
