"""Editions made straight through the ORM and the pure rules (as the translator's editor would
save them), for the tests of the draft pages that show editions."""
from mab.editions import rules
from mab.editions.models import Edition
from mab.extensions import db


def translate(version, language, texts=None, *, count=None, machine=False) -> Edition:
    """``version``'s edition in ``language``: ``texts`` {paragraph id: text}, or the first
    ``count`` paragraphs (all without it) as "[kk] <source text>"."""
    edition = next((e for e in version.editions if e.language == language), None)
    if edition is None:
        edition = Edition(version=version, language=language, blocks=[])
        db.session.add(edition)
    source = version.blocks or []
    if texts is None:
        texts = {b["id"]: f"[{language}] {b['text']}" for b in source[:count]}
    blocks = list(edition.blocks or [])
    for block_id, text in texts.items():
        blocks = rules.translate(blocks, source, block_id, text)
    edition.blocks = blocks
    edition.machine_assisted = machine
    db.session.commit()
    return edition


def outdate(edition, block_id):
    """Make one paragraph of ``edition`` look translated from an earlier source text."""
    edition.blocks = [{**b, "source_hash": rules.paragraph_hash("an earlier text"),
                       "basis": "an earlier text"} if b["id"] == block_id else b
                      for b in edition.blocks]
    db.session.commit()
