"""Which required editions keep a round from opening (pure, no app)."""
from mab.editions.rules import Summary
from mab.validation.rules import incomplete_required, manifest_summaries


def s(language, total, current, outdated=0, source=False):
    return Summary(language, total, current, outdated, total - current - outdated, source=source)


SUMMARIES = [s("ru", 3, 3, source=True), s("kk", 3, 2, 1), s("en", 3, 0)]


def test_only_incomplete_editions_of_required_languages_block():
    assert [x.language for x in incomplete_required(SUMMARIES, {"kk", "en"})] == ["kk", "en"]
    assert [x.language for x in incomplete_required(SUMMARIES, {"en"})] == ["en"]
    assert incomplete_required(SUMMARIES, set()) == []


def test_a_complete_edition_and_the_source_never_block():
    complete = [s("ru", 3, 3, source=True), s("kk", 3, 3)]
    assert incomplete_required(complete, {"ru", "kk"}) == []


def test_an_outdated_paragraph_makes_an_edition_incomplete():
    assert incomplete_required([s("kk", 3, 2, 1)], {"kk"})[0].outdated == 1


def test_a_required_language_that_is_not_a_target_is_not_asked_for():
    assert incomplete_required(SUMMARIES, {"uz"}) == []


def test_manifest_rows_read_back_as_summaries():
    rows = [{"language": "ru", "sha256": "a", "source": True, "total": 2, "current": 2,
             "outdated": 0, "missing": 0, "machine_assisted": False},
            {"language": "kk", "sha256": "b", "source": False, "total": 2, "current": 1,
             "outdated": 1, "missing": 0, "machine_assisted": True}]
    pairs = manifest_summaries(rows)
    assert pairs[0][1].source and pairs[0][1].complete
    assert not pairs[1][1].complete and pairs[1][1].outdated == 1
    assert manifest_summaries(None) == []
