"""Searches take % and _ as letters, not as SQL wildcards (issue 14 item 6; the board's own search
is tested in tests/board/test_search.py): the site admin's accounts and the drafts list."""
from mab.auth import queries as account_queries
from mab.drafts import queries as draft_queries
from mab.drafts.models import Draft, Subject
from mab.extensions import db
from tests.factories import make_assessment, make_user


def test_accounts_search_takes_percent_and_underscore_literally(app):
    make_user(email="plain@example.org", name="Aigerim")
    make_user(email="first_last@example.org", name="100 % Ltd")
    db.session.commit()

    def found(q):
        return {u.email for u in db.session.scalars(account_queries.accounts(q))}

    assert found("%") == {"first_last@example.org"}
    assert found("_") == {"first_last@example.org"}
    assert found("t_l") == {"first_last@example.org"}
    assert found("a%g") == set()
    assert found("AIGERIM") == {"plain@example.org"}


def test_drafts_search_takes_percent_and_underscore_literally(app):
    assessment = make_assessment()
    for title in ("Access at 100 %", "Gender_gap", "Openness"):
        db.session.add(Draft(assessment_id=assessment.id, subject=Subject.THEME, title=title))
    db.session.commit()

    def found(q):
        return {d.title for d in db.session.scalars(
            draft_queries.drafts(assessment, circulated_only=False, search=q))}

    assert found("%") == {"Access at 100 %"}
    assert found("_") == {"Gender_gap"}
    assert found("o%s") == set()
    assert found("OPEN") == {"Openness"}
