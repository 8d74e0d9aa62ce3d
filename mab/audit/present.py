"""Audit events in plain words for a page: a label, a sentence and "field: before → after"
lines, in the reader's language, with the stored JSON kept for the technically minded.

The names a sentence needs (a draft's title, a meeting's, a member's) come from the event's own
changes where they are stored, or from one query per kind of record for the whole page (never one
per event). A role that may not read uncirculated drafts never gets the title of one.
"""
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mab import i18n
from mab.assessments.models import BOARD_STATUS_LABELS, ROLE_LABELS, Membership
from mab.audit import labels
from mab.audit.rules import shown_changes
from mab.auth.models import GENDER_LABELS, User
from mab.board.models import DEFAULT_GROUP_NAMES, StakeholderGroup
from mab.comments.models import DISPOSITION_LABELS, Comment
from mab.drafts.models import SUBJECT_LABELS, Draft, DraftVersion
from mab.evidence.models import DATA_STATUS_LABELS, SOURCE_KIND_LABELS
from mab.extensions import db
from mab.framework.models import Framework
from mab.meetings.models import (
    ATTENDANCE_LABELS, KIND_LABELS, MEETING_STATUS_LABELS, RSVP_LABELS, Meeting)
from mab.recommendations.models import (
    FOLLOW_UP_LABELS, POSITION_LABELS, PRIORITY_LABELS, TIME_FRAME_LABELS)
from mab.validation.models import DECISION_LABELS, ValidationRound

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
LIST_FIELDS = frozenset({"groups", "added", "removed", "languages"})   # a list, not [before, after]
MEMBER_FIELDS = frozenset({"owner", "membership_id", "added", "removed"})
MEETING_FIELDS = frozenset({"meeting_id", "approved_in", "workshop", "workshop_unlinked",
                            "on_behalf_at_meeting"})
COMMENT_EMAIL_LABELS = {"immediate": _l("An email for each comment"),
                        "daily": _l("One summary a day")}
ENUMS = {"role": ROLE_LABELS, "decision": DECISION_LABELS, "disposition": DISPOSITION_LABELS,
         "rsvp": RSVP_LABELS, "kind": KIND_LABELS, "subject": SUBJECT_LABELS,
         "gender": GENDER_LABELS, "language": i18n.LANGUAGE_NAMES,
         "translation_language": i18n.LANGUAGE_NAMES,
         "languages": i18n.LANGUAGE_NAMES, "required_languages": i18n.LANGUAGE_NAMES,
         "follow_up_status": FOLLOW_UP_LABELS,
         "comment_emails": COMMENT_EMAIL_LABELS, "source_kind": SOURCE_KIND_LABELS,
         "data_status": DATA_STATUS_LABELS, "workshop_position": POSITION_LABELS,
         "priority": PRIORITY_LABELS, "time_frame": TIME_FRAME_LABELS}


@dataclass
class Line:
    label: str
    text: str = ""
    hidden: bool = False


@dataclass
class Described:
    action: str
    label: str
    sentence: str
    kind: str
    lines: list[Line] = field(default_factory=list)
    technical: str = ""


def _quoted(text) -> str:
    return _("“%(text)s”", text=text)


def _version_words(title, number) -> str:
    if title is None:
        return _("a draft, version %(n)s", n=number) if number else _("a draft")
    if not number:
        return _quoted(title)
    return _("“%(title)s”, version %(n)s", title=title, n=number)


class _Names:
    """Every name the page's events need, one query per kind of record."""

    def __init__(self, events, assessment, hide_uncirculated: bool):
        self.assessment = assessment
        want: dict[str, set] = {k: set() for k in (
            "Draft", "DraftVersion", "ValidationRound", "Comment", "Meeting", "Membership",
            "User", "StakeholderGroup", "Framework")}

        def add(kind, value):
            try:
                want[kind].add(int(value))
            except (TypeError, ValueError):
                pass

        for e in events:
            if e.object_type in want and e.object_id:
                add(e.object_type, e.object_id)
            changes = e.changes or {}
            add("Draft", changes.get("draft_id"))
            add("ValidationRound", changes.get("round_id"))
            add("Comment", changes.get("parent_id"))
            for key, value in changes.items():
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if key in MEETING_FIELDS:
                        add("Meeting", v)
                    elif key in MEMBER_FIELDS:
                        add("Membership", v)
                    elif key == "group_id":
                        add("StakeholderGroup", v)
                    elif key == "framework":
                        add("Framework", v)
                if key.isdigit():
                    add("Membership", key)
        hidden = None
        if hide_uncirculated:
            from mab.audit.queries import _as_text, _uncirculated_objects
            hidden = _uncirculated_objects(assessment)["Draft"]   # ids as text

        def rows(statement, ids):
            return db.session.execute(statement).all() if ids else []

        def draft_ok(statement):
            if hidden is None:
                return statement
            return statement.where(_as_text(Draft.id).not_in(hidden))

        a = assessment.id
        self.drafts = {r[0]: r[1] for r in rows(draft_ok(select(Draft.id, Draft.title).where(
            Draft.assessment_id == a, Draft.id.in_(want["Draft"]))), want["Draft"])}
        self.versions = {r[0]: (r[1], r[2]) for r in rows(draft_ok(
            select(DraftVersion.id, Draft.title, DraftVersion.number)
            .join(Draft, Draft.id == DraftVersion.draft_id)
            .where(Draft.assessment_id == a, DraftVersion.id.in_(want["DraftVersion"]))),
            want["DraftVersion"])}
        self.rounds = {r[0]: (r[1], r[2]) for r in rows(draft_ok(
            select(ValidationRound.id, Draft.title, DraftVersion.number)
            .join(DraftVersion, DraftVersion.id == ValidationRound.version_id)
            .join(Draft, Draft.id == DraftVersion.draft_id)
            .where(ValidationRound.assessment_id == a,
                   ValidationRound.id.in_(want["ValidationRound"]))), want["ValidationRound"])}
        self.comments = {r[0]: (r[1], r[2]) for r in rows(draft_ok(
            select(Comment.id, Draft.title, DraftVersion.number)
            .join(DraftVersion, DraftVersion.id == Comment.version_id)
            .join(Draft, Draft.id == DraftVersion.draft_id)
            .where(Comment.assessment_id == a, Comment.id.in_(want["Comment"]))),
            want["Comment"])}
        self.meetings = {r[0]: r[1] for r in rows(select(Meeting.id, Meeting.title).where(
            Meeting.assessment_id == a, Meeting.id.in_(want["Meeting"])), want["Meeting"])}
        self.members = {r[0]: r[1] or r[2] for r in rows(
            select(Membership.id, User.name, User.email).join(User, User.id == Membership.user_id)
            .where(Membership.assessment_id == a, Membership.id.in_(want["Membership"])),
            want["Membership"])}
        self.users = {r[0]: r[1] or r[2] for r in rows(
            select(User.id, User.name, User.email).where(User.id.in_(want["User"])),
            want["User"])}
        # Each group in the reader's language (else the assessment's first, else its name).
        locale, languages = get_locale(), assessment.language_list
        self.groups = {r[0]: i18n.localized(r[2], r[1], locale, languages) for r in rows(
            select(StakeholderGroup.id, StakeholderGroup.name, StakeholderGroup.names).where(
                StakeholderGroup.assessment_id == a,
                StakeholderGroup.id.in_(want["StakeholderGroup"])), want["StakeholderGroup"])}
        self.frameworks = {r[0]: r[1] for r in rows(
            select(Framework.id, Framework.name).where(Framework.id.in_(want["Framework"])),
            want["Framework"])}

    @staticmethod
    def _get(table, value):
        try:
            return table.get(int(value))
        except (TypeError, ValueError):
            return None

    def member(self, value) -> str:
        return self._get(self.members, value) or _("member %(id)s", id=value)

    def meeting(self, value) -> str:
        title = self._get(self.meetings, value)
        return _quoted(title) if title else _("meeting %(id)s", id=value)

    def record(self, e) -> str:
        """The record an event is about, in words."""
        kind, oid, changes = e.object_type, e.object_id, e.changes or {}
        if kind == "Draft":
            title = self._get(self.drafts, oid)
            return _quoted(title) if title else _("a draft")
        if kind == "DraftVersion":
            title, number = self._get(self.versions, oid) or (None, changes.get("number"))
            return _version_words(title, number)
        if kind in ("ValidationRound", "SignOff"):
            key = oid if kind == "ValidationRound" else changes.get("round_id")
            return _version_words(*(self._get(self.rounds, key) or (None, None)))
        if kind == "Comment":
            found = self._get(self.comments, oid) or self._get(
                self.comments, changes.get("parent_id"))
            if found:
                return _version_words(*found)
            title = self._get(self.drafts, changes.get("draft_id"))
            return _version_words(title, changes.get("version"))
        if kind == "Attachment":
            return _quoted(changes.get("filename") or "…")
        if kind == "Meeting":
            return self.meeting(oid)
        if kind == "Invitation":
            return self.meeting(changes.get("meeting_id"))
        if kind == "Membership":
            return self.member(oid)
        if kind == "User":
            return self._get(self.users, oid) or _("an account")
        if kind == "StakeholderGroup":
            # The group as the reader knows it today; a deleted one by the name recorded.
            name = changes.get("name")
            name = name[-1] if isinstance(name, list) else name
            return _quoted(self._get(self.groups, oid) or name or "…")
        if kind == "Assessment":
            return _quoted(self.assessment.title)
        if kind == "Framework":
            return _quoted(self._get(self.frameworks, oid) or "…")
        if kind == "Source":   # by the title it had then (its reference when none is stored)
            name = changes.get("title") or changes.get("source")
            name = name[-1] if isinstance(name, list) else name
            return _quoted(name) if name else str(changes.get("reference") or "…")
        if kind == "IndicatorEvidence":
            return str(changes.get("indicator") or "…")
        if kind == "Recommendation":   # its draft and version (the paragraph id is technical)
            return _version_words(self._get(self.drafts, changes.get("draft_id")),
                                  changes.get("number"))
        if kind == "FollowUpUpdate":   # the recommendations draft it follows up
            title = self._get(self.drafts, changes.get("draft_id"))
            return _("a recommendation of %(draft)s", draft=_quoted(title)) if title else \
                _("a recommendation")
        return str(labels.kind_label(kind)) + (f" {oid}" if oid else "")

    def value(self, key: str, value, action: str) -> str:
        """One stored value in words."""
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, list):
            return ", ".join(self.value(key, v, action) for v in value) or "—"
        if isinstance(value, dict):
            return _("see the technical details")
        if key == "status" or key.isdigit():
            table = (ATTENDANCE_LABELS if key.isdigit() else MEETING_STATUS_LABELS
                     if action.startswith("meeting.") else BOARD_STATUS_LABELS)
            return str(table.get(value, value))
        if key in ENUMS:
            return str(ENUMS[key].get(value, value))
        if key in MEMBER_FIELDS:
            return self.member(value)
        if key in MEETING_FIELDS:
            return self.meeting(value)
        if key == "group_id":
            return self._get(self.groups, value) or "—"
        if key == "groups" and value in DEFAULT_GROUP_NAMES:   # the default groups created
            return i18n.localized(DEFAULT_GROUP_NAMES[value], value, get_locale())
        if key == "framework":
            return _quoted(self._get(self.frameworks, value) or value)
        if isinstance(value, (int, float)):
            return format_decimal(value, locale=get_locale())
        if isinstance(value, str) and ISO_DATE.match(value):
            return i18n.date_filter(date.fromisoformat(value))
        if isinstance(value, str) and ISO_DATETIME.match(value):
            try:
                return i18n.datetime_filter(datetime.fromisoformat(value))
            except ValueError:
                return value
        return str(value)

    def change(self, key: str, value, action: str) -> str:
        if isinstance(value, list) and len(value) == 2 and key not in LIST_FIELDS:
            return f"{self.value(key, value[0], action)} → {self.value(key, value[1], action)}"
        return self.value(key, value, action)


def _detail(e, names: _Names) -> str:
    changes = e.changes or {}
    if e.action == "validation.closed":
        return _("validated") if changes.get("passed") else _("not validated")
    if e.action == "validation.signed":
        return names.value("decision", changes.get("decision"), e.action)
    if e.action == "meeting.rsvp":
        answer = changes.get("rsvp")
        return names.value("rsvp", answer[-1] if isinstance(answer, list) else answer, e.action)
    return ""


def describe(events, assessment, *, hide_uncirculated: bool, personal: bool) -> list[Described]:
    """The events in words, in the order given (a fixed number of queries, whatever their
    number)."""
    events = list(events)
    names = _Names(events, assessment, hide_uncirculated)
    out = []
    for e in events:
        actor = e.actor.display_name if e.actor else _("The system")
        sentence = str(labels.action_sentence(e.action)) % {
            "actor": actor, "record": names.record(e), "detail": _detail(e, names)}
        shown = shown_changes(e.action, e.changes, personal=personal)
        lines, raw = [], {}
        for c in shown:
            raw[c.field] = "…" if c.hidden else c.value
            if c.field in labels.TECHNICAL_FIELDS:
                continue
            label = (names.member(c.field) if c.field.isdigit()
                     else str(labels.field_label(c.field)))
            lines.append(Line(label, "" if c.hidden else names.change(c.field, c.value, e.action),
                              c.hidden))
        technical = json.dumps({"action": e.action, "record": e.object_type,
                                "id": e.object_id, "changes": raw},
                               ensure_ascii=False, indent=1, sort_keys=True, default=str)
        out.append(Described(e.action, str(labels.action_label(e.action)), sentence,
                             str(labels.kind_label(e.object_type)), lines, technical))
    return out
