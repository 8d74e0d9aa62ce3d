"""Which editions a reader is offered and shown, what a translated paragraph shows, and which
editions go out with a circulation (mab/editions/reading.py: pure, no app)."""
from mab.editions import reading
from mab.editions.rules import CURRENT, MISSING, OUTDATED, Summary, paragraph_hash

SOURCE = Summary("ru", 3, 3, 0, 0, source=True)
KK_COMPLETE = Summary("kk", 3, 3, 0, 0)
EN_PARTIAL = Summary("en", 3, 1, 1, 1)
EN_NONE = Summary("en", 3, 0, 0, 3)


def codes(summaries):
    return [s.language for s in summaries]


def test_readers_are_offered_the_source_and_circulated_or_complete_editions():
    assert codes(reading.offered([SOURCE, KK_COMPLETE, EN_PARTIAL])) == ["ru", "kk"]
    # Circulated complete, an edition now partial (say, unfinished later) is still offered.
    assert codes(reading.offered([SOURCE, KK_COMPLETE, EN_PARTIAL],
                                 circulated={"en"})) == ["ru", "kk", "en"]
    assert codes(reading.offered([SOURCE, EN_NONE])) == ["ru"]


def test_the_research_team_is_offered_every_edition_begun():
    assert codes(reading.offered([SOURCE, KK_COMPLETE, EN_PARTIAL],
                                 sees_uncirculated=True)) == ["ru", "kk", "en"]
    assert codes(reading.offered([SOURCE, EN_NONE], sees_uncirculated=True)) == ["ru"]


def test_the_edition_read_is_the_one_asked_for_else_the_account_language_else_the_source():
    offered = ["ru", "kk"]
    assert reading.chosen(offered, "kk", "en", "ru") == "kk"
    assert reading.chosen(offered, None, "kk", "ru") == "kk"
    assert reading.chosen(offered, "en", "kk", "ru") == "kk"      # en not offered
    assert reading.chosen(offered, "xx", "en", "ru") == "ru"
    assert reading.chosen(offered, "", None, "ru") == "ru"


def test_the_edition_beside():
    offered = ["ru", "kk", "en"]
    assert reading.beside(offered, "kk", "en") == "en"
    assert reading.beside(offered, "kk", "kk") is None             # not itself
    assert reading.beside(offered, "kk", "xx") is None
    assert reading.beside(offered, "kk", None, compare=True) == "ru"   # the source first
    assert reading.beside(offered, "ru", None, compare=True) == "kk"
    assert reading.beside(["ru"], "ru", None, compare=True) is None


def test_a_translated_paragraph_shows_its_translation_only_when_current():
    source = {"id": "p1", "text": "Доступ растёт."}
    current = {"id": "p1", "text": "Қолжетімділік өсуде.",
               "source_hash": paragraph_hash("Доступ растёт.")}
    outdated = {**current, "source_hash": paragraph_hash("Доступ рос.")}
    assert reading.paragraph(source, current) == ("Қолжетімділік өсуде.", CURRENT)
    assert reading.paragraph(source, outdated) == ("Доступ растёт.", OUTDATED)
    assert reading.paragraph(source, None) == ("Доступ растёт.", MISSING)
    assert reading.paragraph(source, {**current, "text": "  "}) == ("Доступ растёт.", MISSING)


def test_complete_editions_go_out_with_a_circulation():
    going, staying = reading.circulated_with([SOURCE, KK_COMPLETE, EN_PARTIAL])
    assert codes(going) == ["kk"] and codes(staying) == ["en"]
    assert reading.circulated_with([SOURCE]) == ([], [])
    # An empty source has nothing to translate: no edition is complete.
    assert reading.circulated_with([Summary("ru", 0, 0, 0, 0, source=True),
                                    Summary("kk", 0, 0, 0, 0)])[0] == []
