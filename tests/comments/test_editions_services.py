"""Comments and editions, use cases (issue 18 item 5): the language a comment and a reply are
stored in, and the research team's translation of a comment (stored rendered, audited, refused
with a field and nothing saved)."""
import pytest

from mab.comments import services
from mab.comments.models import Comment
from mab.errors import DomainError
from mab.extensions import db
from tests.comments.support import as_request, count, events, fresh, world


@pytest.fixture
def w(app):
    return world(other=False)


def post(w, who="board_member", language=None, **kw):
    with as_request():
        made = services.add_comment(w.version, w.assessment, w.m(who), body=kw.pop("body", "A."),
                                    language=language, **kw)
    db.session.commit()
    return made


def answer(w, parent, who="researcher", language=None):
    with as_request():
        made = services.reply(parent, w.assessment, w.m(who), body="Thanks.", language=language)
    db.session.commit()
    return made


def translate(w, target, text, language, who="researcher"):
    services.translate(target, w.assessment, w.m(who), text=text, language=language)
    db.session.commit()
    return fresh(target)


def test_a_comment_stores_the_edition_its_author_read(w):
    made = post(w, language="kk", block_id="p2")
    assert fresh(made).language == "kk"
    assert events("comment.added")[-1].changes["language"] == "kk"
    assert fresh(post(w, language="en")).language == "en"


def test_a_language_that_is_not_a_content_language_is_stored_as_the_source(w):
    assert [fresh(post(w, language=lang)).language for lang in (None, "", "de")] == [
        "ru", "ru", "ru"]
    w.draft.source_language = "kk"
    db.session.commit()
    assert fresh(post(w, language="de")).language == "kk"


def test_a_reply_stores_its_own_language(w):
    root = post(w, language="kk", block_id="p1")
    made = answer(w, root, language="en")
    assert fresh(made).language == "en"
    assert events("comment.replied")[-1].changes["language"] == "en"
    assert fresh(answer(w, root, who="board_member", language="xx")).language == "ru"


def test_written_in_counts_a_comment_without_a_language_as_the_source(w):
    made = post(w, language="kk")
    made.language = None
    db.session.commit()
    assert services.written_in(fresh(made), w.assessment) == "ru"
    w.draft.source_language = "en"
    db.session.commit()
    assert services.written_in(fresh(made), w.assessment) == "en"


def test_the_team_translates_a_comment_stored_rendered_and_audited(w):
    made = post(w, language="kk", body="Ауылда **интернет** жоқ.")
    done = translate(w, made, "There is no **Internet** in villages.<script>x()</script>", "en")
    assert done.translation.startswith("There is no **Internet**")
    assert done.translation_language == "en"
    assert "<strong>Internet</strong>" in done.translation_html
    assert "<script>" not in done.translation_html
    assert done.translated_by_id == w.people["researcher"].id
    assert done.body == "Ауылда **интернет** жоқ." and done.language == "kk"   # untouched
    (event,) = events("comment.translated")
    assert event.object_type == "Comment" and event.object_id == str(made.id)
    assert event.changes["translation_language"] == [None, "en"]
    assert event.changes["translation"][0] == ""
    # Changed: audited with before and after; the same again: nothing recorded.
    first = done.translation
    translate(w, made, "No Internet in villages.", "ru", who="coordinator")
    assert events("comment.translated")[-1].changes == {
        "translation": [first, "No Internet in villages."],
        "translation_language": ["en", "ru"]}
    translate(w, made, "No Internet in villages.", "ru", who="coordinator")
    assert len(events("comment.translated")) == 2


def test_a_reply_may_be_translated_too(w):
    root = post(w, language="ru")
    made = answer(w, root, who="board_member", language="kk")
    assert translate(w, made, "Thank you.", "en").translation_html == "<p>Thank you.</p>"


def refused(w, target, text, language):
    before = (target.translation, target.translation_language, target.translation_html)
    with pytest.raises(DomainError) as caught:
        services.translate(target, w.assessment, w.m("researcher"), text=text, language=language)
    db.session.rollback()
    again = fresh(target)
    assert (again.translation, again.translation_language, again.translation_html) == before
    assert events("comment.translated") == []
    return caught.value


def test_an_empty_or_too_long_translation_is_refused(w):
    made = post(w, language="kk")
    for text in ("", "   \n ", None):
        error = refused(w, made, text, "en")
        assert error.field == "translation" and "Write the translation" in str(error.message)
    error = refused(w, made, "x" * 10_001, "en")
    assert error.field == "translation" and "10000" in str(error.message)


def test_the_comment_s_own_language_and_others_are_refused(w):
    made = post(w, language="kk")
    error = refused(w, made, "Same.", "kk")
    assert error.field == "translation_language"
    assert "written in Қазақша" in str(error.message)
    for language in ("de", "", None):
        assert refused(w, made, "Other.", language).field == "translation_language"
    # Stored without a language: written in the source, Russian.
    made.language = None
    db.session.commit()
    assert "Русский" in str(refused(w, fresh(made), "Same.", "ru").message)


def test_a_withdrawn_comment_is_not_translated(w):
    made = post(w, language="kk")
    with as_request():
        services.withdraw(made, w.assessment, w.m("board_member"))
    db.session.commit()
    error = refused(w, fresh(made), "Text.", "en")
    assert "withdrawn" in str(error.message)
    assert count(Comment, Comment.translation != "") == 0


def test_rerendering_keeps_the_translation_rendered(w):
    made = translate(w, post(w, language="kk"), "*Yes*", "en")
    made.translation_html = ""
    db.session.commit()
    assert services.rerender_batch(0, only_empty=True)[1] == 1
    db.session.commit()
    assert fresh(made).translation_html == "<p><em>Yes</em></p>"
