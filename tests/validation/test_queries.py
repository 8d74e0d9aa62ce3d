"""The validation pages run as many SQL statements for a large board with many decisions as for
a small one."""
import pytest

from mab.auth.models import Gender
from mab.extensions import db
from tests.drafts.support import make_draft
from tests.querycount import counting
from tests.validation.support import (
    A,
    add_board_member,
    circulate,
    close,
    make_meeting,
    on_behalf,
    open_round,
    sign,
    world,
)

GENDERS = [Gender.WOMAN, Gender.MAN, Gender.ANOTHER, Gender.UNDISCLOSED, None]


def grow(w, members, open_, closed, tag):
    """``members`` more active members across the groups; most decide in both rounds, some
    change their minds, some are recorded on their behalf at one of several meetings."""
    for n in range(members):
        w.people[f"{tag}{n}"] = add_board_member(
            w.assessment, f"{tag}{n}@example.org", w.groups[n % len(w.groups)],
            gender=GENDERS[n % len(GENDERS)], name=f"Член совета {tag} {n}",
            organisation=f"Organisation {n}")
    meetings = [make_meeting(w.assessment, f"Workshop {tag} {k}") for k in range(3)]
    for round_ in (open_, closed):
        for n in range(members - 2):
            who = f"{tag}{n}"
            if n % 5 == 0:
                on_behalf(w, round_, who, "endorse", meeting=meetings[n % 3])
                continue
            if n % 4 == 0:
                sign(w, round_, who, "object", f"Objection {n}.")
            sign(w, round_, who, ("endorse", "reservations", "object")[n % 3],
                 "" if n % 3 == 0 else f"Statement {n}.")


def pages(open_, closed):
    return {
        "index": f"{A}/validation",
        "open round": f"{A}/validation/{open_.id}",
        "closed round": f"{A}/validation/{closed.id}",
        "certificate": f"{A}/validation/{closed.id}/certificate",
    }


def measure(client, login, user, urls):
    """Each request starts with an empty session, as in production (nothing the test holds
    saves a query)."""
    login(user)
    counts = {}
    for name, url in urls.items():
        db.session.expunge_all()
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(statements)
    return counts


def reattach(w, *rounds):
    merge = db.session.merge
    w.assessment, w.draft, w.version, w.workshop = (
        merge(w.assessment), merge(w.draft), merge(w.version), merge(w.workshop))
    w.people = {k: merge(v) for k, v in w.people.items()}
    w.groups = [merge(g) for g in w.groups]
    return [merge(r) for r in rounds]


@pytest.mark.parametrize("who", ["coordinator", "board_member", "observer"])
def test_validation_pages_do_not_grow_with_members_and_decisions(client, login, app, who):
    with app.test_request_context("/"):
        w = world(other=False)
    open_ = open_round(w)
    other = circulate(make_draft(w.assessment, w.people["researcher"], "Recommendations.",
                                 title="Recommendations"), w.assessment, w.people["researcher"])
    closed = open_round(w, other)
    sign(w, open_, "board_member", "endorse")
    sign(w, closed, "member2", "reservations", "Small changes.")
    # The closed round gets its decisions before closing, in both sizes.
    grow(w, 3, open_, closed, "a")
    close(w, closed)
    small = measure(client, login, w.people[who], pages(open_, closed))
    open_, closed = reattach(w, open_, closed)

    # A second, larger pair of rounds on new drafts (the first pair is closed or stays small).
    open_2 = open_round(w, circulate(make_draft(w.assessment, w.people["researcher"], "Big.",
                                                title="Big report"), w.assessment,
                                     w.people["researcher"]))
    closed_2 = open_round(w, circulate(make_draft(w.assessment, w.people["researcher"],
                                                  "Big 2.", title="Big annex"), w.assessment,
                                       w.people["researcher"]))
    grow(w, 40, open_2, closed_2, "b")
    close(w, closed_2)
    db.session.commit()
    large = measure(client, login, w.people[who], pages(open_2, closed_2))
    open_2, closed_2 = reattach(w, open_2, closed_2)
    assert large == small

    # And the pages show what was grown (counting working pages).
    login(w.people["coordinator"])
    html = client.get(f"{A}/validation/{closed_2.id}/certificate").get_data(as_text=True)
    assert "Член совета b 37" in html and "Statement 37." in html
    html = client.get(f"{A}/validation/{open_2.id}").get_data(as_text=True)
    assert "Objection 4." in html and "Workshop b 0" in html
