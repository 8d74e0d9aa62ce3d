"""Who may do what in an assessment: DESIGN section 3, in one place.

Pure: views call ``require()`` (through ``assessment_view``), templates call ``can()``; both end
here. Object-level conditions (an *active* board member, a *circulated* version) are checked by
the feature that owns the object, on top of these grants.
"""
import enum

from mab.assessments.models import Role

C, R, B, O = Role.COORDINATOR, Role.RESEARCHER, Role.BOARD_MEMBER, Role.OBSERVER
T = Role.TRANSLATOR   # translates editions and sees the home page: nothing else


class Action(enum.StrEnum):
    VIEW = "view"                                   # the assessment home page
    MANAGE_BOARD = "manage_board"                   # board, groups, policy, invitations
    VIEW_BALANCE = "view_balance"
    VIEW_BALANCE_PERSONAL = "view_balance_personal" # per-person data on the dashboard
    MANAGE_MEETINGS = "manage_meetings"             # schedule, attendance, minutes
    RSVP = "rsvp"
    EDIT_DRAFTS = "edit_drafts"                     # create drafts and versions, circulate
    READ_CIRCULATED = "read_circulated"
    READ_UNCIRCULATED = "read_uncirculated"
    COMMENT = "comment"                             # comment and reply
    DISPOSE_COMMENTS = "dispose_comments"
    EXTEND_DEADLINE = "extend_deadline"             # of a circulation's comment period
    MANAGE_VALIDATION = "manage_validation"         # open and close rounds
    SIGN_OFF = "sign_off"
    EXPORT = "export"                               # exports and annex
    VIEW_OUTBOX = "view_outbox"
    VIEW_AUDIT = "view_audit"
    VIEW_TEAM = "view_team"                         # who is who in the assessment
    VIEW_MEETINGS = "view_meetings"                 # the meetings pages (not the translator)
    EDIT_TRANSLATIONS = "edit_translations"         # translate editions; read the source there
    READ_EVIDENCE = "read_evidence"                 # sources, coverage, recommendations, follow-up
    EDIT_EVIDENCE = "edit_evidence"                 # write sources and recommendations
    PROPOSE_FOLLOW_UP = "propose_follow_up"         # report how a recommendation is implemented
    CONFIRM_FOLLOW_UP = "confirm_follow_up"         # confirm or decline a proposed update
    READ_REPORT = "read_report"                     # the assembled report, its DOCX and open data
    PUBLISH = "publish"                             # publish a release, unpublish the site


GRANTS: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset({C, R, B, O, T}),
    Action.MANAGE_BOARD: frozenset({C}),
    Action.VIEW_BALANCE: frozenset({C, R, B}),
    Action.VIEW_BALANCE_PERSONAL: frozenset({C, R}),
    Action.MANAGE_MEETINGS: frozenset({C}),
    Action.RSVP: frozenset({C, R, B}),
    Action.EDIT_DRAFTS: frozenset({C, R}),
    Action.READ_CIRCULATED: frozenset({C, R, B, O}),
    Action.READ_UNCIRCULATED: frozenset({C, R}),
    Action.COMMENT: frozenset({C, R, B}),
    Action.DISPOSE_COMMENTS: frozenset({C, R}),
    Action.EXTEND_DEADLINE: frozenset({C}),
    Action.MANAGE_VALIDATION: frozenset({C}),
    Action.SIGN_OFF: frozenset({B}),
    Action.EXPORT: frozenset({C, R, O}),
    Action.VIEW_OUTBOX: frozenset({C}),
    Action.VIEW_AUDIT: frozenset({C, O}),
    Action.VIEW_TEAM: frozenset({C, R, B, O}),
    Action.VIEW_MEETINGS: frozenset({C, R, B, O}),
    Action.EDIT_TRANSLATIONS: frozenset({C, R, T}),
    Action.READ_EVIDENCE: frozenset({C, R, B, O}),
    Action.EDIT_EVIDENCE: frozenset({C, R}),
    Action.PROPOSE_FOLLOW_UP: frozenset({C, R, B}),
    Action.CONFIRM_FOLLOW_UP: frozenset({C}),
    Action.READ_REPORT: frozenset({C, R, B, O}),
    Action.PUBLISH: frozenset({C}),
}


def can(role: Role | str | None, action: Action | str) -> bool:
    if role is None:
        return False
    return Role(role) in GRANTS[Action(action)]


def roles_for(action: Action | str) -> frozenset[Role]:
    return GRANTS[Action(action)]
