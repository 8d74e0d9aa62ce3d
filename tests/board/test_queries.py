"""The registry, dashboard, export and groups pages run as many queries for 40 members as for 5."""
from datetime import date

import pytest

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.auth.models import Gender
from mab.board.services import create_default_groups
from mab.extensions import db
from mab.types import utcnow
from tests.factories import make_member, make_user, team
from tests.querycount import counting

PAGES = ["/a/kz-2022/board", "/a/kz-2022/balance", "/a/kz-2022/balance?projection=y",
         "/a/kz-2022/board.csv", "/a/kz-2022/balance.csv", "/a/kz-2022/groups"]
GENDERS = [Gender.WOMAN, Gender.MAN, Gender.ANOTHER, Gender.UNDISCLOSED, None]
STATUSES = [BoardStatus.ACTIVE, BoardStatus.ACTIVE, BoardStatus.NOMINEE, BoardStatus.STEPPED_DOWN]


def grow(assessment, groups, start, stop):
    """Board members ``start`` to ``stop``, of every status and gender, spread over the groups."""
    for i in range(start, stop):
        status = STATUSES[i % len(STATUSES)]
        db.session.add(Membership(
            assessment=assessment, user=make_user(name=f"Член {i}", gender=GENDERS[i % 5]),
            role=Role.BOARD_MEMBER, group_id=groups[i % len(groups)].id, board_status=status,
            accepted_at=utcnow(),
            organisation=f"Организация {i}", term_start=date(2022, 1, 1),
            term_end=date(2027, 12, 31),
            appointed_on=None if status == BoardStatus.NOMINEE else date(2022, 2, 1),
            stepped_down_on=date(2023, 1, 1) if status == BoardStatus.STEPPED_DOWN else None))
        if i % 5 == 0:   # the research team grows too
            make_member(assessment, Role.RESEARCHER, gender=Gender.WOMAN)
    db.session.commit()


def measure(client):
    counts = {}
    for page in PAGES:
        client.get(page)   # warm up, so that one-off first-use queries do not count
        with counting() as statements:
            response = client.get(page)
        assert response.status_code == 200, page
        counts[page] = len(statements)
    return counts


def board_size(assessment):
    return db.session.scalar(db.select(db.func.count()).select_from(Membership).where(
        Membership.assessment_id == assessment.id, Membership.role == Role.BOARD_MEMBER))


@pytest.mark.parametrize("role", ["coordinator", "researcher"])
def test_query_counts_do_not_grow_with_the_board(client, login, role):
    assessment, people = team()
    groups = create_default_groups(assessment)
    grow(assessment, groups, 0, 4)
    login(people[role])
    assert board_size(assessment) == 5          # with the team's board member
    small = measure(client)
    grow(assessment, groups, 4, 39)
    assessment = db.session.scalar(db.select(Assessment))
    assert board_size(assessment) == 40
    large = measure(client)
    assert small == large
    assert all(n >= 3 for n in small.values()), small   # the listener did see the queries
