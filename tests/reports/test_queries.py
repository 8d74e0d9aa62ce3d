"""The annex runs as many SQL statements for a large assessment as for a small one."""
import pytest

from mab.auth.models import Gender
from mab.extensions import db
from tests.drafts.support import make_draft
from tests.querycount import counting
from tests.reports.support import (
    A,
    add_comments,
    annex_world,
    hold_meeting,
    schedule_workshop,
)
from tests.validation.support import (
    add_board_member,
    circulate,
    close,
    on_behalf,
    open_round,
    sign,
)

GENDERS = [Gender.WOMAN, Gender.MAN, Gender.ANOTHER, Gender.UNDISCLOSED, None]
PAGES = [f"{A}/annex", f"{A}/annex?print=1", f"{A}/annex?lang=ru", f"{A}/annex.zip"]


def grow(w, members=24, meetings=4, drafts=5):
    """More members in every group, more held meetings with roll calls, more circulated drafts
    with comments, replies and dispositions, and a closed round on each with decisions."""
    names = []
    for n in range(members):
        who = f"extra{n}"
        w.people[who] = add_board_member(w.assessment, f"{who}@example.org",
                                         w.groups[n % len(w.groups)],
                                         gender=GENDERS[n % len(GENDERS)],
                                         name=f"Участник {n}", organisation=f"Org {n}")
        names.append(who)
    # Decisions are given at meetings held (in the annex) and at workshops still scheduled.
    held = [w.meeting] + [schedule_workshop(w, f"Workshop {k}", days=k + 1) for k in range(3)]
    for k in range(meetings):
        held += [hold_meeting(w, f"Extra meeting {k}", days_ago=20 + k,
                     present=names[k::2] + ["board_member"], excused=names[k + 1::5])]
    for k in range(drafts):
        version = circulate(make_draft(w.assessment, w.people["researcher"], f"Extra {k}.",
                                       title=f"Extra draft {k}"), w.assessment,
                            w.people["researcher"])
        add_comments(w, version, comments=4, accepted=2, noted=1, replies=2,
                     who=names[k])
        round_ = open_round(w, version)
        for n, who in enumerate(names[:12]):
            if n % 4 == 0:          # given at one of the meetings
                on_behalf(w, round_, who, "endorse", meeting=held[(n + k) % len(held)])
            else:
                sign(w, round_, who, ("endorse", "reservations", "object")[n % 3],
                     "" if n % 3 == 0 else f"Statement {n}.")
        if k % 2:
            sign(w, round_, names[1], "endorse")        # a changed decision
        close(w, round_)


def measure(client, login, user):
    login(user)
    counts = {}
    for url in PAGES:
        db.session.expunge_all()           # every request starts empty, as in production
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


@pytest.mark.parametrize("who", ["coordinator", "observer"])
def test_the_annex_does_not_grow_with_the_assessment(client, login, app, who):
    with app.test_request_context("/"):
        w = annex_world()
        # The small assessment has one of each kind of thing: here an open round with a
        # decision recorded at a meeting.
        workshop = schedule_workshop(w, "Validation workshop in Astana")
        on_behalf(w, open_round(w, w.second), "late", "endorse", meeting=workshop)
        user_id = w.people[who].id
        small = measure(client, login, w.people[who])
        w = reattach(w)
        grow(w)
        large = measure(client, login, db.session.get(type(w.people[who]), user_id))
    assert large == small
    # The counts are of pages that show what was added.
    html = client.get(f"{A}/annex").get_data(as_text=True)
    assert "Участник 23" in html and "Extra meeting 3" in html and "Extra draft 4" in html


def reattach(w):
    merge = db.session.merge
    w.assessment, w.draft, w.version, w.second, w.workshop, w.round, w.meeting = (
        merge(w.assessment), merge(w.draft), merge(w.version), merge(w.second),
        merge(w.workshop), merge(w.round), merge(w.meeting))
    w.people = {k: merge(v) for k, v in w.people.items()}
    w.groups = [merge(g) for g in w.groups]
    return w
