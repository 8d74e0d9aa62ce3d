"""Comments and editions, pure rules (issue 18 item 5): the language a comment is stored in,
the language a comment stored without one counts as, and the languages it may be translated
into."""
from mab.comments import rules

LANGUAGES = ["ru", "kk", "en"]


def test_a_comment_is_stored_in_the_edition_read_when_it_is_a_content_language():
    assert rules.comment_language("kk", LANGUAGES, "ru") == "kk"
    assert rules.comment_language("en", LANGUAGES, "ru") == "en"
    assert rules.comment_language("ru", LANGUAGES, "kk") == "ru"


def test_anything_else_is_stored_as_the_source_language():
    for posted in (None, "", "de", "KK", "kk ", "ru,kk"):
        assert rules.comment_language(posted, LANGUAGES, "ru") == "ru", posted
    # A one-language assessment: always its language.
    assert rules.comment_language("kk", ["ru"], "ru") == "ru"


def test_a_comment_without_a_language_was_written_in_the_source():
    assert rules.written_in("kk", "ru", "ru") == "kk"
    assert rules.written_in(None, "en", "ru") == "en"      # the draft's source language
    assert rules.written_in(None, None, "ru") == "ru"      # the assessment's main language
    assert rules.written_in("", None, "kk") == "kk"


def test_a_comment_is_translated_into_any_other_content_language():
    assert rules.translation_languages(LANGUAGES, "kk") == ["ru", "en"]
    assert rules.translation_languages(LANGUAGES, "ru") == ["kk", "en"]
    # Written in a language no longer among the content languages: any of them.
    assert rules.translation_languages(LANGUAGES, "de") == LANGUAGES
    assert rules.translation_languages(["ru"], "ru") == []
