"""Carrying translations into a new version (unchanged, changed, removed, added paragraphs), the
paragraph statuses that follow, and the hashes that change with any edition. Pure: no app."""
from mab.drafts.diff import word_diff
from mab.drafts.paragraphs import assign_ids, split_blocks
from mab.editions import rules

V1 = "Access is uneven.\n\nPrices fell in 2022.\n\nRural schools lack connections."


def version(body, previous=None):
    return assign_ids(split_blocks(body), previous)


def translated(source_blocks, texts):
    blocks = []
    for block, text in zip(source_blocks, texts):
        blocks = rules.translate(blocks, source_blocks, block["id"], text)
    return blocks


def test_a_new_version_keeps_unchanged_marks_changed_drops_removed_and_misses_added():
    v1 = version(V1)
    kk = translated(v1, ["Қолжетімділік біркелкі емес.", "Бағалар 2022 жылы төмендеді.",
                         "Ауыл мектептерінде байланыс жоқ."])
    assert rules.summary("kk", v1, kk).complete
    # v2: paragraph 1 unchanged, paragraph 2 edited slightly, paragraph 3 removed, one added.
    v2 = version("Access is uneven.\n\nPrices fell sharply in 2022.\n\n"
                 "A new paragraph about libraries and public access points.", v1)
    ids = [b["id"] for b in v2]
    assert ids[:2] == [v1[0]["id"], v1[1]["id"]] and ids[2] not in {b["id"] for b in v1}
    carried = rules.carry_over(kk, v2)
    status = rules.statuses(v2, carried)
    assert status == {ids[0]: rules.CURRENT, ids[1]: rules.OUTDATED, ids[2]: rules.MISSING}
    # Unchanged: the same translation and hash; changed: the old translation, made from the old
    # source, whose word diff with the new source shows what to update.
    assert carried[0] == kk[0]
    assert carried[1]["text"] == "Бағалар 2022 жылы төмендеді."
    assert carried[1]["basis"] == "Prices fell in 2022."
    diff = word_diff(carried[1]["basis"], v2[1]["text"])
    assert [s.text for s in diff if s.op == "insert"] == ["sharply "]
    # Removed: dropped from the edition.
    assert v1[2]["id"] not in {b["id"] for b in carried}
    summary = rules.summary("kk", v2, carried)
    assert (summary.current, summary.outdated, summary.missing, summary.total) == (1, 1, 1, 3)
    assert not summary.complete and summary.translated == 2


def test_an_outdated_paragraph_becomes_current_when_translated_again():
    v1 = version(V1)
    kk = translated(v1, ["a", "b", "c"])
    v2 = version(V1.replace("Prices fell", "Prices rose"), v1)
    carried = rules.carry_over(kk, v2)
    assert rules.statuses(v2, carried)[v2[1]["id"]] == rules.OUTDATED
    fixed = rules.translate(carried, v2, v2[1]["id"], "b2")
    assert rules.summary("kk", v2, fixed).complete
    assert fixed[1]["basis"] == "Prices rose in 2022."


def test_rewrapped_source_lines_do_not_outdate_a_translation():
    v1 = version("One line\nand another.")
    kk = translated(v1, ["Бір жол."])
    v2 = version("One line and\nanother.", v1)
    assert rules.statuses(v2, rules.carry_over(kk, v2)) == {v2[0]["id"]: rules.CURRENT}


def test_an_empty_translation_is_missing():
    v1 = version(V1)
    kk = translated(v1, ["a", "b", "c"])
    cleared = rules.translate(kk, v1, v1[0]["id"], "   \n")
    assert rules.statuses(v1, cleared)[v1[0]["id"]] == rules.MISSING
    assert [b["id"] for b in cleared] == [v1[1]["id"], v1[2]["id"]]


def test_carrying_over_an_empty_edition_gives_an_empty_one():
    v1 = version(V1)
    assert rules.carry_over([], version(V1 + "\n\nMore.", v1)) == []


def test_the_edition_and_manifest_hashes_change_with_any_edition():
    v1 = version(V1)
    kk = translated(v1, ["a", "b", "c"])
    en = translated(v1, ["x", "y", "z"])
    source = "0" * 64
    base = rules.manifest_hash("ru", source, [("kk", rules.edition_hash("kk", kk)),
                                              ("en", rules.edition_hash("en", en))])
    edited = rules.translate(kk, v1, v1[1]["id"], "b!")
    assert rules.edition_hash("kk", edited) != rules.edition_hash("kk", kk)
    assert rules.manifest_hash("ru", source, [("kk", rules.edition_hash("kk", edited)),
                                              ("en", rules.edition_hash("en", en))]) != base
    # A carried-over edition whose source changed hashes differently from a current one.
    v2 = version(V1.replace("Prices fell", "Prices rose"), v1)
    carried = rules.carry_over(kk, v2)
    redone = rules.translate(carried, v2, v2[1]["id"], "b")
    assert rules.edition_hash("kk", carried) != rules.edition_hash("kk", redone)
    # The order the editions are listed in does not matter; the source's hash does.
    assert rules.manifest_hash("ru", source, [("en", rules.edition_hash("en", en)),
                                              ("kk", rules.edition_hash("kk", kk))]) == base
    assert rules.manifest_hash("ru", "1" * 64, [("kk", rules.edition_hash("kk", kk)),
                                                ("en", rules.edition_hash("en", en))]) != base
    assert rules.manifest_hash("ru", source, []) == source


# --- the source index: what list pages count statuses from -------------------------------------

def test_the_source_index_gives_the_same_summary_as_the_blocks():
    from mab.editions.models import Edition
    import mab.models  # noqa: F401  (every mapper, for the model below)
    v1 = [{"id": "p1", "text": "Один."}, {"id": "p2", "text": "Два."}, {"id": "p3", "text": "Три."}]
    v2 = [{"id": "p1", "text": "Один."}, {"id": "p2", "text": "Два, иначе."}, {"id": "p4", "text": "Четыре."}]
    blocks = []
    for block_id, text in (("p1", "Бір."), ("p2", "Екі."), ("p3", "Үш.")):
        blocks = rules.translate(blocks, v1, block_id, text)
    carried = rules.carry_over(blocks, v2)
    for source, edition_blocks in ((v1, blocks), (v2, carried), (v2, []),
                                   (v1, rules.translate(blocks, v1, "p2", ""))):
        index = rules.source_index(edition_blocks)
        assert rules.summary_of_index("kk", source, index) == rules.summary("kk", source,
                                                                            edition_blocks)
    assert rules.summary_of_index("kk", v2, rules.source_index(carried)) == rules.Summary(
        "kk", 3, 1, 1, 1)
    # The model keeps it in step whenever the blocks are set.
    edition = Edition(language="kk", blocks=blocks)
    assert edition.source_index == rules.source_index(blocks) and set(edition.source_index) == {
        "p1", "p2", "p3"}
    edition.blocks = rules.translate(blocks, v1, "p3", "")
    assert set(edition.source_index) == {"p1", "p2"}


def test_a_rendered_paragraph_is_remembered_and_sanitised():
    from mab.markdown import render_paragraph
    first = render_paragraph("Access is *uneven* <script>alert(1)</script>")
    assert "<em>uneven</em>" in first and "<script>" not in first
    assert render_paragraph("Access is *uneven* <script>alert(1)</script>") is first
