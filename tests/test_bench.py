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


def test_generate_both_sizes(app):
    small, large = generate("small"), generate("national-large")

    assert len(_board(small)) == 15 == SIZES["small"]["board_members"]
    assert len(_board(large)) == 60 == SIZES["national-large"]["board_members"]
    for dataset in (small, large):
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
