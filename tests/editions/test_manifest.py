"""The manifest a validation round signs: the source version's hash and each edition's. Changing
any edition, in any way that matters, changes the hash members sign (pure, no app)."""
from mab.editions.rules import edition_hash, manifest_hash, paragraph_hash
from mab.validation.rules import manifest, manifest_sha256

SOURCE = [{"id": "p1", "text": "Политика обоснована."}, {"id": "p2", "text": "Доступ неравен."}]
SOURCE_SHA = "a" * 64


def kk(text2="Қолжетімділік біркелкі емес."):
    return [{"id": "p1", "text": "Саясат негізді.", "source_hash": paragraph_hash(SOURCE[0]["text"])},
            {"id": "p2", "text": text2, "source_hash": paragraph_hash(SOURCE[1]["text"])}]


EN = [{"id": "p1", "text": "Policy is sound.", "source_hash": paragraph_hash(SOURCE[0]["text"])}]


def signed(kk_blocks=None, en_blocks=EN, *, machine=False, source_sha=SOURCE_SHA):
    kk_blocks = kk() if kk_blocks is None else kk_blocks
    rows = manifest("ru", source_sha, SOURCE,
                    [("kk", edition_hash("kk", kk_blocks), kk_blocks, machine),
                     ("en", edition_hash("en", en_blocks), en_blocks, False)])
    return rows, manifest_sha256(rows)


def test_the_manifest_lists_the_source_first_then_the_editions_with_their_figures():
    rows, _sha = signed()
    assert [(r["language"], r["source"]) for r in rows] == [("ru", True), ("en", False),
                                                            ("kk", False)]
    source, en, kk_row = rows
    assert source["sha256"] == SOURCE_SHA and source["current"] == source["total"] == 2
    assert (kk_row["total"], kk_row["current"], kk_row["outdated"], kk_row["missing"]) == (2, 2, 0, 0)
    assert (en["current"], en["missing"]) == (1, 1)
    assert kk_row["sha256"] == edition_hash("kk", kk()) and kk_row["machine_assisted"] is False


def test_the_hash_changes_when_any_edition_changes():
    _rows, base = signed()
    assert signed()[1] == base                                       # stable
    assert signed(kk("Қолжетімділік әркелкі."))[1] != base           # a word of a translation
    assert signed(en_blocks=EN + [{"id": "p2", "text": "Access is uneven.",
                                   "source_hash": paragraph_hash(SOURCE[1]["text"])}])[1] != base
    assert signed(en_blocks=[])[1] != base                           # a paragraph removed
    assert signed(source_sha="b" * 64)[1] != base                    # the source
    outdated = kk()
    outdated[1]["source_hash"] = paragraph_hash("Доступ был неравен.")
    assert signed(outdated)[1] != base                               # made from another source


def test_an_edition_hash_depends_on_its_language():
    assert edition_hash("kk", EN) != edition_hash("en", EN)


def test_without_editions_the_round_signs_the_version_hash():
    rows = manifest("ru", SOURCE_SHA, SOURCE, [])
    assert manifest_sha256(rows) == SOURCE_SHA == manifest_hash("ru", SOURCE_SHA, [])


def test_the_order_editions_come_in_does_not_matter():
    a = manifest("ru", SOURCE_SHA, SOURCE, [("kk", "1" * 64, kk(), False),
                                            ("en", "2" * 64, EN, False)])
    b = manifest("ru", SOURCE_SHA, SOURCE, [("en", "2" * 64, EN, False),
                                            ("kk", "1" * 64, kk(), False)])
    assert a == b and manifest_sha256(a) == manifest_sha256(b)
