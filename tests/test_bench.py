"""The benchmark's data generator keeps working as the models change (``make bench`` uses it)."""
from sqlalchemy import func, select

from bench.generate import SIZES, generate
from mab.assessments.models import BoardStatus, Membership, Role
from mab.auth.models import User
from mab.board.models import StakeholderGroup
from mab.extensions import db


def _board(dataset):
    return db.session.scalars(select(Membership).where(
        Membership.assessment_id == dataset.assessment_id,
        Membership.role == Role.BOARD_MEMBER)).all()


def test_generate_small_and_the_large_sizes_counts(app):
    # Generating national-large takes minutes (400 drafts x 4 versions): `make bench` does it;
    # here the small size runs the very same steps.
    small = generate("small")
    large = SIZES["national-large"]
    assert (large["board_members"], large["meetings"], large["invitees"]) == (60, 40, 60)
    assert (large["indicators"], large["drafts"], large["versions"]) == (303, 400, 4)

    assert len(_board(small)) == 15 == SIZES["small"]["board_members"]
    for dataset in (small,):
        board = _board(dataset)
        assert {m.board_status for m in board} == set(BoardStatus)
        assert {None, "undisclosed", "woman", "man"} <= {m.user.gender for m in board}
        assert any("а" <= ch <= "я" for m in board for ch in m.user.name.lower())
        assert any(m.user.name.isascii() for m in board)
        assert db.session.scalar(select(func.count()).select_from(StakeholderGroup).where(
            StakeholderGroup.assessment_id == dataset.assessment_id)) == 9
        roles = db.session.scalars(select(Membership.role).where(
            Membership.assessment_id == dataset.assessment_id)).all()
        assert (roles.count(Role.COORDINATOR), roles.count(Role.RESEARCHER),
                roles.count(Role.OBSERVER)) == (1, 3, 2)
        assert db.session.get(User, dataset.ids["coordinator_id"]).has_account
        assert db.session.get(Membership, dataset.ids["member_id"]).assessment_id == \
            dataset.assessment_id
