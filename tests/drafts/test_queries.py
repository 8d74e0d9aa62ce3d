"""The draft pages run as many SQL queries for 30 drafts × 4 versions as for 3 drafts × 2."""

import pytest
from sqlalchemy import select

from mab.assessments.models import Role
from mab.drafts.models import Draft
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from tests.drafts.support import (
    A,
    attach,
    circulate,
    import_sample,
    make_draft,
    membership_of,
    new_version,
    setup,
)
from tests.factories import make_member
from tests.querycount import counting


# Bookkeeping of a read (a first opening, a visit) is written once, not a cost that grows.
BOOKKEEPING = ("INSERT INTO version_views", "INSERT INTO visits")


def grow(assessment, people, drafts, versions):
    """Up to ``drafts`` drafts, each new one with ``versions`` versions (all but the last
    circulated), an attachment on every version, owners and indicators spread around, and
    board views."""
    researchers = [people["researcher"]] + [
        make_member(assessment, Role.RESEARCHER, email=f"writer{n}-{drafts}@example.org",
                    name=f"Исследователь {n}") for n in range(3)]
    db.session.commit()
    indicators = db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.kind == ItemKind.INDICATOR).order_by(FrameworkItem.id)).all()
    board = membership_of(people["board_member"], assessment)
    from mab.drafts.services import record_view
    for n in range(db.session.query(Draft).count(), drafts):
        author = researchers[n % len(researchers)]
        indicator = indicators[n % len(indicators)] if n % 3 else None
        draft = make_draft(assessment, author,
                           "\n\n".join(f"Paragraph {k} of draft {n}." for k in range(5)),
                           title=f"Draft {n:02d}",
                           subject="indicator" if indicator else "report",
                           item_id=indicator.id if indicator else None)
        for number in range(1, versions + 1):
            version = draft.versions[-1]
            attach(version, assessment, author, f"annex-{n}-{number}.pdf")
            if number == versions:
                break
            circulate(draft, assessment, author)
            record_view(version, board)
            db.session.commit()
            new_version(draft, assessment, author,
                        "\n\n".join(f"Paragraph {k} of draft {n}, revision {number}."
                                    for k in range(5 + number)), f"Revision {number}")
    db.session.commit()


def last_draft():
    return db.session.scalars(select(Draft).order_by(Draft.id.desc())).first()


def pages(draft):
    return {
        "index": f"{A}/drafts",
        "index filtered": f"{A}/drafts?subject=indicator&q=draft",
        "draft": f"{A}/drafts/{draft.id}",
        "first version": f"{A}/drafts/{draft.id}/v/1",
        "diff": f"{A}/drafts/{draft.id}/diff",
        "diff 1-2": f"{A}/drafts/{draft.id}/diff?a=1&b=2",
        "edit": f"{A}/drafts/{draft.id}/edit",
        "catalogue": f"{A}/framework",
        "home": f"{A}/",
    }


def measure(client, login, user, draft, skip=()):
    login(user)
    counts = {}
    for name, url in pages(draft).items():
        if name in skip:
            continue
        # The first opening of a circulated version by a reader records a view: count both.
        for visit in ("first", "again"):
            with counting() as statements:
                response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
            # Recording the one view (or not, if an earlier page recorded it) is not a cost
            # that grows; every other statement counts.
            counts[name, visit] = len([s for s in statements
                                       if not s.startswith(BOOKKEEPING)])
    return counts


@pytest.mark.parametrize("who", ["researcher", "coordinator", "board_member", "observer"])
def test_the_number_of_queries_does_not_grow_with_drafts_and_versions(client, login, who):
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])
    skip = {"edit"} if who in ("board_member", "observer") else set()

    grow(assessment, people, 3, 2)
    small = measure(client, login, people[who], last_draft(), skip)
    grow(assessment, people, 30, 4)
    assert db.session.query(Draft).count() == 30
    large_draft = last_draft()
    assert len(large_draft.versions) == 4
    large = measure(client, login, people[who], large_draft, skip)
    assert large == small
    # And the pages show what was added (the counts are of working pages).
    login(people[who])
    html = client.get(f"{A}/drafts").get_data(as_text=True)
    assert "Draft 29" in html and "Draft 00" in html
