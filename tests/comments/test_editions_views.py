"""Comments across editions over HTTP (issue 18 item 5): a comment posted on an edition stores
its language and shows on every edition at its paragraph, marked with it; the research team's
translation of a comment (its page, grants, denials and refusals); the matrix, its print view
and CSV with the language and the translation, and the matrix's language filter."""
import csv
import io
import re

import pytest

from mab.comments import services
from mab.comments.models import Comment
from mab.extensions import db
from tests.comments.support import A, as_request, count, events, fresh, world
from tests.drafts.editions_support import translate as make_edition


@pytest.fixture
def w(app):
    w = world()
    make_edition(w.version, "kk")    # complete Kazakh and English editions of version 1
    make_edition(w.version, "en")
    return w


def text(response) -> str:
    return response.get_data(as_text=True)


def post_comment(w, who="board_member", language="kk", block_id="p2", body="Ауылда интернет жоқ."):
    with as_request():
        made = services.add_comment(w.version, w.assessment, w.m(who), body=body,
                                    block_id=block_id, language=language)
    db.session.commit()
    return made


def block(page: str, block_id: str) -> str:
    """The HTML of paragraph ``block_id`` on a version page, up to the next paragraph."""
    start = page.index(f'id="{block_id}"')
    following = re.search(r'<div class="block[^"]*" id="p\d+"', page[start + 10:])
    return page[start:start + 10 + following.start()] if following else page[start:]


def options(page: str) -> list[str]:
    """The values of the translation's language choices."""
    select = re.search(r'<select[^>]*name="translation_language".*?</select>', page, re.S)
    return re.findall(r'<option[^>]*value="(\w*)"', select.group(0))


def translation_url(made, v=None) -> str:
    return f"{A}/comments/{made.id}/translation" + (f"?v={v}" if v else "")


# --- the language of a comment ---------------------------------------------------------------

def test_a_comment_posted_on_the_kazakh_edition_is_stored_in_kazakh(client, login, w):
    login(w.people["board_member"])
    page = text(client.get(f"{w.url}?edition=kk"))
    assert '<input type="hidden" name="language" value="kk">' in page
    response = client.post(f"{w.url}/comments", data={
        "block_id": "p2", "body": "Ауылда интернет жоқ.", "language": "kk"})
    made = db.session.scalars(db.select(Comment)).one()
    assert made.language == "kk" and made.block_id == "p2"
    # Back to the edition it was written on, at the comment.
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/v/1?edition=kk#c{made.id}")


def test_a_language_that_is_not_a_content_language_is_stored_as_the_source(client, login, w):
    login(w.people["board_member"])
    response = client.post(f"{w.url}/comments", data={"body": "General.", "language": "de"})
    made = db.session.scalars(db.select(Comment)).one()
    assert made.language == "ru"
    assert response.headers["Location"].endswith(f"/v/1#c{made.id}")   # the source: no edition


def test_a_reply_stores_the_edition_its_author_read(client, login, w):
    root = post_comment(w)
    login(w.people["researcher"])
    page = text(client.get(f"{A}/comments/{root.id}/replies?v=1&edition=en"))
    assert '<input type="hidden" name="language" value="en">' in page
    response = client.post(f"{A}/comments/{root.id}/replies",
                           data={"body": "Thank you.", "language": "en", "v": "1"})
    assert response.status_code == 302 and "edition=en" in response.headers["Location"]
    (made,) = fresh(root).replies
    assert made.language == "en"


def test_the_thread_shows_on_every_edition_at_its_paragraph_marked_with_its_language(
        client, login, w):
    made = post_comment(w)
    answer = post_comment(w, who="member2", language="en", block_id=None, body="General.")
    old = post_comment(w, who="member2", language=None, block_id="p3", body="Old one.")
    old.language = None     # made before editions: counts as written in the source
    db.session.commit()
    login(w.people["board_member"])
    for edition in ("ru", "kk", "en"):
        page = text(client.get(f"{w.url}?edition={edition}"))
        assert f'id="c{made.id}"' in block(page, "p2"), edition
        assert f'id="c{made.id}"' not in block(page, "p1")
        assert "Written in Қазақша" in block(page, "p2")
        assert f'id="c{answer.id}"' in page and "Written in English" in page
        assert "Written in Русский" in block(page, "p3")
        assert f'lang="kk">' in block(page, "p2")    # the comment's text is marked as Kazakh


def test_a_one_language_assessment_shows_no_language_marks(client, login, w):
    made = post_comment(w)
    w.assessment.languages = "ru"
    db.session.commit()
    login(w.people["researcher"])
    page = text(client.get(w.url))
    assert f'id="c{made.id}"' in page
    assert "Written in" not in page and "Translate the comment" not in page


# --- the team's translation of a comment -----------------------------------------------------

def test_the_team_translates_a_comment_on_its_own_page(client, login, w):
    made = post_comment(w)
    login(w.people["researcher"])
    page = text(client.get(w.url))
    assert f'href="{translation_url(made, 1)}"' in block(page, "p2")
    assert "Translate the comment" in page
    form = text(client.get(translation_url(made, 1)))
    assert "Ауылда интернет жоқ." in form and "Written in Қазақша" in form
    assert options(form) == ["", "ru", "en"]     # never the comment's own language
    response = client.post(translation_url(made), data={
        "translation": "No Internet in the villages.", "translation_language": "en", "v": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/v/1#c{made.id}")
    done = fresh(made)
    assert (done.translation, done.translation_language) == ("No Internet in the villages.", "en")
    assert done.translation_html == "<p>No Internet in the villages.</p>"
    assert len(events("comment.translated")) == 1
    # Shown on demand under the comment, on every edition.
    for edition in ("ru", "kk"):
        page = text(client.get(f"{w.url}?edition={edition}"))
        shown = block(page, "p2")
        assert '<details class="comment__translation">' in shown
        assert "<summary>Translation (English)</summary>" in shown
        assert "No Internet in the villages." in shown
        assert "Change the translation" in shown
    # The board member reads it too, but is not offered the form.
    client.post("/logout")
    login(w.people["board_member"])
    page = text(client.get(w.url))
    assert "Translation (English)" in page and "Change the translation" not in page


def test_a_reply_is_translated_and_shown_in_its_thread(client, login, w):
    root = post_comment(w)
    with as_request():
        made = services.reply(root, w.assessment, w.m("researcher"), body="Рахмет.",
                              language="kk")
    db.session.commit()
    login(w.people["coordinator"])
    assert client.post(translation_url(made), data={
        "translation": "Thanks.", "translation_language": "ru", "v": "1"}).status_code == 302
    page = text(client.get(w.url))
    reply_html = page[page.index(f'id="c{made.id}"'):]
    assert "Translation (Русский)" in reply_html[:2000] and "Thanks." in reply_html[:2000]


def snapshot():
    return [(c.id, c.translation, c.translation_language, c.translation_html, c.translated_by_id)
            for c in db.session.scalars(db.select(Comment).order_by(Comment.id))]


@pytest.mark.parametrize("who", ["board_member", "observer", "translator"])
def test_others_in_the_assessment_may_not_translate(client, login, w, who):
    made = post_comment(w)
    before = snapshot()
    login(w.people[who])
    assert client.get(translation_url(made, 1)).status_code == 403
    response = client.post(translation_url(made), data={
        "translation": "Mine.", "translation_language": "en"})
    assert response.status_code == 403
    assert snapshot() == before and events("comment.translated") == []


def test_another_assessment_s_comment_does_not_exist_here(client, login, w):
    made = post_comment(w)
    before = snapshot()
    for who in ("other_coordinator", "other_researcher", "outsider"):
        login(w.people[who])
        assert client.get(translation_url(made, 1)).status_code == 404, who
        assert client.post(translation_url(made), data={
            "translation": "Mine.", "translation_language": "en"}).status_code == 404, who
        client.post("/logout")
    # The other assessment's team, under its own address: still not this comment.
    login(w.people["other_coordinator"])
    assert client.get(f"/a/uz-2023/comments/{made.id}/translation").status_code == 404
    assert snapshot() == before and events("comment.translated") == []


def test_signed_out_visitors_are_sent_to_sign_in(client, w):
    made = post_comment(w)
    response = client.get(translation_url(made, 1))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_empty_translation_or_the_comment_s_own_language_is_refused(client, login, w):
    made = post_comment(w)
    login(w.people["researcher"])
    before = snapshot()
    response = client.post(translation_url(made), data={
        "translation": "  ", "translation_language": "en", "v": "1"})
    assert response.status_code == 422
    page = text(response)
    assert 'id="translation-error"' in page and "Write the translation." in page
    response = client.post(translation_url(made), data={
        "translation": "Same words.", "translation_language": "kk", "v": "1"})
    assert response.status_code == 422
    page = text(response)
    assert 'id="translation_language-error"' in page
    assert "The comment is written in Қазақша; choose another language" in page
    assert "Same words." in page                 # the input is kept
    response = client.post(translation_url(made), data={
        "translation": "Words.", "translation_language": "", "v": "1"})
    assert response.status_code == 422 and 'id="translation_language-error"' in text(response)
    assert snapshot() == before and events("comment.translated") == []


def test_a_withdrawn_comment_offers_no_translation(client, login, w):
    made = post_comment(w)
    with as_request():
        services.withdraw(made, w.assessment, w.m("board_member"))
    db.session.commit()
    login(w.people["researcher"])
    page = text(client.get(translation_url(made, 1)))
    assert "This comment was withdrawn." in page and 'name="translation"' not in page
    before = snapshot()
    client.post(translation_url(made), data={"translation": "X.", "translation_language": "en"})
    assert snapshot() == before
    assert "Translate the comment" not in block(text(client.get(w.url)), "p2")


def test_the_translation_page_uses_no_codes_and_keeps_to_content_languages(client, login, w):
    made = post_comment(w, language="ru")
    w.assessment.languages = "ru,kk"
    db.session.commit()
    login(w.people["coordinator"])
    form = text(client.get(translation_url(made, 1)))
    assert options(form) == ["", "kk"]
    assert ">Қазақша</option>" in form and "Written in Русский" in form
    w.assessment.languages = "ru"
    db.session.commit()
    page = text(client.get(translation_url(made, 1)))
    assert "no other language to translate the comment into" in page
    assert 'name="translation"' not in page


# --- the matrix --------------------------------------------------------------------------------

def matrix_world(w):
    kk = post_comment(w, body="Қазақша пікір.")
    en = post_comment(w, who="member2", language="en", block_id="p1", body="English remark.")
    old = post_comment(w, who="member2", language=None, block_id="p3", body="Old remark.")
    old.language = None
    services.translate(kk, w.assessment, w.m("researcher"), text="A comment in Kazakh.",
                       language="en")
    db.session.commit()
    return kk, en, old


def test_the_csv_carries_the_language_and_the_translation(client, login, w):
    kk, en, old = matrix_world(w)
    login(w.people["observer"])
    rows = list(csv.reader(io.StringIO(client.get(f"{A}/comments.csv").data.decode("utf-8-sig"))))
    header = rows[0]
    assert header[4:8] == ["comment", "language", "translation", "translation_language"]
    by_comment = {r[4]: dict(zip(header, r)) for r in rows[1:]}
    row = by_comment["Қазақша пікір."]
    assert (row["language"], row["translation"], row["translation_language"]) == (
        "Қазақша", "A comment in Kazakh.", "English")
    assert (by_comment["English remark."]["language"],
            by_comment["English remark."]["translation"]) == ("English", "")
    assert by_comment["Old remark."]["language"] == "Русский"   # stored without: the source


def test_the_matrix_shows_and_filters_by_language(client, login, w):
    kk, en, old = matrix_world(w)
    login(w.people["researcher"])
    page = text(client.get(f"{A}/comments"))
    assert 'name="language"' in page and ">Қазақша</option>" in page
    assert "Written in Қазақша" in page and "Translation (English)" in page
    assert "A comment in Kazakh." in page
    only_kk = text(client.get(f"{A}/comments?language=kk"))
    assert "Қазақша пікір." in only_kk and "English remark." not in only_kk
    assert "Old remark." not in only_kk
    only_ru = text(client.get(f"{A}/comments?language=ru"))
    assert "Old remark." in only_ru and "Қазақша пікір." not in only_ru
    # The filter goes with the CSV and the print view; an unknown language is no filter.
    assert "language=kk" in only_kk[only_kk.index("Download CSV") - 300:]
    csv_kk = client.get(f"{A}/comments.csv?language=kk").data.decode("utf-8-sig")
    assert "Қазақша пікір." in csv_kk and "English remark." not in csv_kk
    printed = text(client.get(f"{A}/comments?print=1&language=en"))
    assert "English remark." in printed and "Қазақша пікір." not in printed
    assert "English remark." in text(client.get(f"{A}/comments?language=de"))


def test_the_print_view_shows_the_translation(client, login, w):
    matrix_world(w)
    login(w.people["coordinator"])
    printed = text(client.get(f"{A}/comments?print=1"))
    assert "Translation (English)" in printed
    assert '<div class="prose" lang="en"><p>A comment in Kazakh.</p></div>' in printed


def test_the_matrix_page_makes_no_more_queries_with_translations(client, login, w, app):
    from sqlalchemy import event
    matrix_world(w)
    login(w.people["coordinator"])
    client.get(f"{A}/comments")
    statements = []

    def counting(*args):
        statements.append(args)
    event.listen(db.engine, "before_cursor_execute", counting)
    try:
        client.get(f"{A}/comments")
        few = len(statements)
        for n in range(5):
            made = post_comment(w, who="member2", language="en", body=f"More {n}.")
            services.translate(made, w.assessment, w.m("researcher"), text=f"Ещё {n}.",
                               language="ru")
            db.session.commit()
        statements.clear()
        client.get(f"{A}/comments")
        assert len(statements) == few
    finally:
        event.remove(db.engine, "before_cursor_execute", counting)
    assert count(Comment, Comment.translation != "") == 6


def test_a_refused_comment_comes_back_on_the_edition_it_was_written_on(client, login, w):
    login(w.people["board_member"])
    response = client.post(f"{w.url}/comments", data={
        "block_id": "p2", "body": "  ", "language": "kk"})
    assert response.status_code == 422
    page = text(response)
    assert '<input type="hidden" name="language" value="kk">' in page
    assert "[kk] Mobile data is cheap in cities." in block(page, "p2")   # the Kazakh edition
    assert count(Comment) == 0
