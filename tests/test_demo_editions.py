"""The demo's findings in three languages (issue 18 item 8): one circulated with complete Kazakh
and English translations and commented on in Russian, Kazakh and English; one whose version 2
revised a paragraph, so that paragraph's Kazakh translation is outdated."""
from sqlalchemy import func, select

from mab.auth.models import User
from mab.comments.models import Comment
from mab.demo import ACCESS, EQUITY, EQUITY_REVISED, seed
from mab.drafts.models import Draft
from mab.editions import queries, rules
from mab.extensions import db


def _draft(assessment, title) -> Draft:
    return db.session.scalar(select(Draft).where(Draft.assessment_id == assessment.id,
                                                 Draft.title == title))


def _figures(summaries):
    return {s.language: (s.source, s.total, s.current, s.outdated, s.missing) for s in summaries}


def test_a_finding_in_russian_circulated_with_complete_kazakh_and_english(demo):
    draft = _draft(demo, ACCESS[1])
    assert draft.source_language == "ru" and queries.target_languages(draft, demo) == ["kk", "en"]
    [version] = draft.versions
    assert version.frozen and version.circulation.languages == "kk,en"
    summaries = queries.summaries(version, draft, demo)
    assert _figures(summaries) == {"ru": (True, 4, 4, 0, 0), "kk": (False, 4, 4, 0, 0),
                                   "en": (False, 4, 4, 0, 0)}
    assert all(s.complete for s in summaries)
    editions = {e.language: e for e in version.editions}
    for language, column in (("kk", 1), ("en", 2)):
        edition = editions[language]
        assert [b["id"] for b in edition.blocks] == [b["id"] for b in version.blocks]
        assert [b["text"] for b in edition.blocks] == [p[column] for p in ACCESS[2]]
        assert not edition.machine_assisted


def test_a_revised_finding_shows_its_kazakh_paragraph_outdated(demo):
    draft = _draft(demo, EQUITY[1])
    first, second = draft.versions
    assert draft.source_language == "ru"
    assert first.frozen and first.circulation.languages == "kk" and not second.frozen
    assert _figures(queries.summaries(first, draft, demo)) == {
        "ru": (True, 4, 4, 0, 0), "kk": (False, 4, 4, 0, 0), "en": (False, 4, 0, 0, 4)}
    # Version 2 kept every paragraph id: the revised one is the same paragraph, changed.
    assert [b["id"] for b in second.blocks] == [b["id"] for b in first.blocks]
    index, revised = EQUITY_REVISED
    assert second.blocks[index]["text"] == revised != first.blocks[index]["text"]
    assert _figures(queries.summaries(second, draft, demo)) == {
        "ru": (True, 4, 4, 0, 0), "kk": (False, 4, 3, 1, 0), "en": (False, 4, 2, 0, 2)}
    kazakh = next(e for e in second.editions if e.language == "kk")
    status = rules.statuses(second.blocks, kazakh.blocks)
    outdated = second.blocks[index]["id"]
    assert status[outdated] == rules.OUTDATED
    assert [s for block_id, s in status.items() if block_id != outdated] == [rules.CURRENT] * 3
    # Its basis is the Russian paragraph it was translated from: the diff has both sides.
    basis = next(b["basis"] for b in kazakh.blocks if b["id"] == outdated)
    assert basis == first.blocks[index]["text"]
    english = next(e for e in second.editions if e.language == "en")
    assert set(rules.statuses(second.blocks, english.blocks).values()) == {
        rules.CURRENT, rules.MISSING}


def test_the_first_finding_has_comments_in_three_languages_one_translated(demo):
    draft = _draft(demo, ACCESS[1])
    version = draft.versions[0]
    comments = db.session.scalars(select(Comment).where(Comment.draft_id == draft.id)
                                  .order_by(Comment.id)).all()
    assert sorted(c.language for c in comments) == ["en", "kk", "ru"]
    by_id = {b["id"]: n for n, b in enumerate(version.blocks, start=1)}
    for comment in comments:
        assert comment.version_id == version.id and comment.parent_id is None
        assert by_id[comment.block_id] == comment.paragraph
        assert comment.author.user.language == comment.language   # the edition they read
        assert comment.body_html.startswith("<p>")
    [translated] = [c for c in comments if c.translation]
    assert (translated.language, translated.translation_language) == ("kk", "ru")
    assert "<strong>2022 года</strong>" in translated.translation_html
    researcher = db.session.scalar(select(User).where(User.email == "researcher@example.org"))
    assert translated.translated_by_id == researcher.id
    # The demo's other comments carry no language (written before there were editions).
    others = db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.assessment_id == demo.id, Comment.draft_id != draft.id,
        Comment.language.is_not(None)))
    assert others == 0


def test_seeding_again_adds_no_second_translated_finding(app, demo):
    with app.test_request_context("/"):
        created, _accounts = seed()
    assert not created
    assert db.session.scalar(select(func.count()).select_from(Draft).where(
        Draft.title.in_([ACCESS[1], EQUITY[1]]))) == 2
