"""Whose voice is heard: comments by stakeholder group and gender (DESIGN section 4).

The same group x gender table as the board's composition, counting comments instead of seats.
"""
from mab.board.rules import ACTIVE, Seat, Table, group_gender_table


def comment_table(voices, groups) -> Table:
    """Comments (and replies) by the commenter's group and gender (a seat per member, weighted
    by their comments: not an object per comment)."""
    return group_gender_table([Seat(v.group_id, v.gender, ACTIVE) for v in voices], groups,
                              weights=[v.comments for v in voices])


def commenter_table(voices, groups) -> Table:
    """Board members who commented at least once, by group and gender."""
    return group_gender_table([Seat(v.group_id, v.gender, ACTIVE) for v in voices
                               if v.comments], groups)


def silent(voices) -> list:
    """Members (active, as ``board_voices`` lists them) who have not commented."""
    return [v for v in voices if not v.comments]
