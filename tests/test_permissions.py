"""DESIGN section 3, row by row, written out here (not derived from the code under test)."""
import pytest

from mab.assessments.models import Role
from mab.permissions import GRANTS, Action, can

C, R, B, O = "coordinator", "researcher", "board_member", "observer"

TABLE = {
    Action.MANAGE_BOARD: {C},
    Action.VIEW_BALANCE: {C, R, B},
    Action.MANAGE_MEETINGS: {C},
    Action.RSVP: {C, R, B},
    Action.EDIT_DRAFTS: {C, R},
    Action.READ_CIRCULATED: {C, R, B, O},
    Action.READ_UNCIRCULATED: {C, R},
    Action.COMMENT: {C, R, B},
    Action.DISPOSE_COMMENTS: {C, R},
    Action.MANAGE_VALIDATION: {C},
    Action.SIGN_OFF: {B},
    Action.EXPORT: {C, R, O},
}


@pytest.mark.parametrize("action", list(TABLE))
@pytest.mark.parametrize("role", [C, R, B, O])
def test_design_table(action, role):
    assert can(role, action) is (role in TABLE[action])


def test_board_members_see_balance_without_personal_data():
    assert can(B, Action.VIEW_BALANCE)
    assert not can(B, Action.VIEW_BALANCE_PERSONAL)
    assert not can(O, Action.VIEW_BALANCE)


def test_no_role_can_do_nothing():
    assert not any(can(None, action) for action in Action)


def test_every_action_has_a_grant():
    assert set(GRANTS) == set(Action)
    assert all(grants <= set(Role) for grants in GRANTS.values())
