"""mab.assessments.rules, pure: who is the research team and whom a person speaks for."""
import pytest

from mab.assessments.rules import in_research_team, speaks_for


@pytest.mark.parametrize("role, team", [("coordinator", True), ("researcher", True),
                                        ("board_member", False), ("observer", False),
                                        ("", False)])
def test_the_research_team_is_the_coordinator_and_the_researchers(role, team):
    assert in_research_team(role) is team


def test_a_person_speaks_for_their_group_else_the_research_team():
    assert speaks_for("Academia", "board_member", team_label="Team") == "Academia"
    assert speaks_for("Academia", "researcher", team_label="Team") == "Academia"
    assert speaks_for(None, "researcher", team_label="Team") == "Team"
    assert speaks_for(None, "coordinator", team_label="Team") == "Team"
    assert speaks_for(None, "board_member", team_label="Team") is None
    assert speaks_for(None, "observer", team_label="Team") is None
