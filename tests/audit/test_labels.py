"""Plain words for every recorded event (issue 15, item 1).

Every action a service records (found by reading the source), every kind of record and every
changed field has a label in mab/audit/labels.py; the audit page and the member history show
labels, sentences and "field: before → after" lines, never the codes, class names or raw JSON
outside the "Technical details".
"""
import ast
import html as html_lib
import pathlib
import re
from datetime import date

import pytest
from sqlalchemy import select

from mab.assessments.models import Assessment, Membership
from mab.audit import labels
from mab.audit.models import AuditEvent
from mab.audit.services import record_event
from mab.auth.models import User
from mab.board import services as board_services
from mab.extensions import db
from mab.meetings import services as meeting_services
from mab.meetings.models import Invitation
from tests.audit.test_visibility import planted  # noqa: F401  (a fixture with many events)
from tests.validation.support import close, open_round, sign, world

ROOT = pathlib.Path(__file__).resolve().parents[2] / "mab"
A = "/a/kz-2022"


def _record_event_calls():
    """Every ``record_event(...)`` call in mab/, as (file, ast.Call)."""
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record_event":
                yield path, node


def _strings(node) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)}


def recorded_actions() -> set[str]:
    found = set()
    for path, call in _record_event_calls():
        assert call.args, f"{path}: record_event without an action"
        strings = _strings(call.args[0])
        assert strings, f"{path}:{call.lineno}: the action must be written out as a string"
        found |= strings
    return found


def recorded_kinds() -> set[str]:
    return {kw.value.value for _p, call in _record_event_calls() for kw in call.keywords
            if kw.arg == "object_type" and isinstance(kw.value, ast.Constant)}


def recorded_fields() -> set[str]:
    """The keys of every ``changes={...}`` literal, and the fields the services compare and
    record one by one (their tuples of field names)."""
    found = set()
    for _path, call in _record_event_calls():
        for kw in call.keywords:
            if kw.arg == "changes" and isinstance(kw.value, ast.Dict):
                found |= {k.value for k in kw.value.keys if isinstance(k, ast.Constant)}
    from mab.board.services import BOARD_FIELDS, POLICY_FIELDS
    from mab.meetings.services import FIELDS as MEETING_FIELDS
    found |= set(BOARD_FIELDS) | set(POLICY_FIELDS) | set(MEETING_FIELDS)
    # Fields set by name in a service before the event is recorded: changes["x"] = ...,
    # _apply(obj, {"x": ...}), before/after dicts and (field, value) tuples.
    for path in ROOT.rglob("services.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'changes\["(\w+)"\]', text))
        for block in re.findall(r"_apply\(\w+, \{(.*?)\}\)", text, re.S):
            found |= set(re.findall(r'"(\w+)":', block))
        for block in re.findall(r"(?:before|after) = \{(.*?)\}", text, re.S):
            found |= set(re.findall(r'"(\w+)":', block))
        for block in re.findall(r"for field, value in \((.*?)\):", text, re.S):
            found |= set(re.findall(r'\("(\w+)",', block))
    return found


def test_the_source_scan_finds_the_actions_it_should():
    actions = recorded_actions()
    assert {"validation.closed", "draft.consultation_ended", "policy.updated",
            "board.member_appointed", "groups.created", "groups.updated"} <= actions
    assert len(actions) >= 55
    fields = recorded_fields()
    assert {"appointed_on", "deadline", "require_dispositions", "gender", "timezone",
            "disposition", "addressed_in", "minutes", "core_only", "retired"} <= fields


def test_every_recorded_action_has_a_label_and_a_sentence():
    missing = sorted(a for a in recorded_actions() if a not in labels.ACTIONS)
    assert not missing, f"give these actions a label and a sentence in labels.py: {missing}"
    for action, (label, sentence) in labels.ACTIONS.items():
        assert str(label) and "%(record)s" in str(sentence) or "%(actor)s" in str(sentence), action


def test_every_changed_field_and_record_kind_has_a_label():
    missing = sorted(f for f in recorded_fields() if f not in labels.FIELDS)
    assert not missing, f"give these fields a label in labels.py: {missing}"
    missing = sorted(k for k in recorded_kinds() if k not in labels.KINDS)
    assert not missing, f"give these kinds a label in labels.py: {missing}"


def _check_stored_events():
    rows = db.session.execute(select(AuditEvent.action, AuditEvent.object_type,
                                     AuditEvent.changes)).all()
    assert rows
    for action, kind, changes in rows:
        assert action in labels.ACTIONS, action
        assert kind in labels.KINDS, (action, kind)
        for key in changes or {}:
            assert key.isdigit() or key in labels.FIELDS, (action, key)


def test_the_demo_records_only_labelled_events(app):
    from mab.demo import seed
    with app.test_request_context("/"):
        seed()
    _check_stored_events()


def test_a_busy_assessment_records_only_labelled_events(planted):  # noqa: F811
    _check_stored_events()


# --- the pages ---------------------------------------------------------------------------------

def visible_text(page: str) -> str:
    """What a reader sees: no <details> (the technical JSON), no tags, no attributes."""
    page = re.sub(r"<details\b.*?</details>", " ", page, flags=re.S)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


CLASS_NAMES = ("DraftVersion", "SignOff", "ValidationRound", "StakeholderGroup", "Membership",
               "Attachment")


@pytest.fixture
def closed_round(app):
    with app.test_request_context("/"):
        w = world(other=False)
    round_ = open_round(w)
    sign(w, round_)
    close(w, round_)
    board_services.appoint(w.m("nominee"), w.assessment.today(),
                           actor=w.people["coordinator"])
    db.session.commit()
    return w


def test_the_english_log_tells_what_happened_in_sentences(client, login, closed_round):
    w = closed_round
    login(w.people["coordinator"])
    page = client.get(f"{A}/audit").get_data(as_text=True)
    text = visible_text(page)
    assert "Validation round closed" in text
    assert re.search(r"closed the validation round on “[^”]+”, version 1: (not )?validated", text)
    assert "recorded a decision on" in text and "Endorse" in text
    assert 'data-action="validation.closed"' in page          # the code, for tests and tools
    closed = re.search(r'data-action="validation\.closed".*?</tr>', page, re.S).group(0)
    technical = re.search(r'<details class="technical">.*?</details>', closed, re.S).group(0)
    assert "Technical details" in technical and "&#34;passed&#34;" in technical
    for code in ("validation.", "board.", "draft.") + CLASS_NAMES:
        assert code not in text, code
    # The filter lists the kinds in words, its values stay the class names.
    select_html = re.search(r'<select[^>]*name="object_type".*?</select>', page, re.S).group(0)
    assert '<option value="ValidationRound">Validation round</option>' in select_html
    assert '<option value="SignOff">Decision on a validation round</option>' in select_html


def test_the_russian_log_and_member_history_have_no_codes(client, login, closed_round, app):
    w = closed_round
    coordinator = w.people["coordinator"]
    coordinator.language = "ru"
    db.session.commit()
    login(coordinator)
    text = visible_text(client.get(f"{A}/audit").get_data(as_text=True))
    for code in ("validation.", "board.", "draft.", "membership.") + CLASS_NAMES:
        assert code not in text, code
    member = w.m("nominee")
    page = client.get(f"{A}/board/{member.id}").get_data(as_text=True)
    history = visible_text(page.split('id="history-heading"', 1)[1])
    assert "board.member_appointed" not in history and "appointed_on" not in history
    assert 'data-action="board.member_appointed"' in page
    assert not re.search(r"\d{4}-\d{2}-\d{2}", history)


def test_the_demo_log_in_russian_has_no_codes_or_class_names(client, login, app):
    from mab.demo import seed
    with app.test_request_context("/"):
        seed()
    assessment = db.session.scalar(select(Assessment).where(Assessment.slug == "kz-2022"))
    coordinator = db.session.scalar(select(User).join(Membership).where(
        Membership.assessment_id == assessment.id, Membership.role == "coordinator"))
    coordinator.language = "ru"
    db.session.commit()
    login(coordinator)
    page = client.get(f"{A}/audit").get_data(as_text=True)
    text = visible_text(page)
    for code in ("validation.", "board.", "groups.", "demo.", "framework.") + CLASS_NAMES + (
            "Assessment", "Framework"):
        assert code not in text, code
    assert "Журнал" in text or "журнал" in text


def test_the_member_history_is_a_list_of_sentences(client, login, closed_round):
    w = closed_round
    login(w.people["coordinator"])
    member = w.m("nominee")
    page = client.get(f"{A}/board/{member.id}").get_data(as_text=True)
    history = visible_text(page.split('id="history-heading"', 1)[1].split("</section>", 1)[0])
    assert "appointed" in history and "to the board" in history
    assert "Appointed on:" in history
    assert "(appointed_on)" not in history


def test_an_empty_history_is_not_a_numbered_list(client, login, closed_round):
    w = closed_round
    login(w.people["coordinator"])
    recorded = set(db.session.scalars(select(AuditEvent.object_id).where(
        AuditEvent.object_type == "Membership")))
    member = next((m for m in db.session.scalars(select(Membership).where(
        Membership.assessment_id == w.assessment.id, Membership.board_status.is_not(None)))
        if str(m.id) not in recorded), None)
    if member is None:
        pytest.skip("every member of the world has a recorded change")
    page = client.get(f"{A}/board/{member.id}").get_data(as_text=True)
    assert "No recorded change." in page
    assert '<li class="empty">' not in page


def test_meeting_attendance_names_the_members(app, closed_round):
    w = closed_round
    from mab.audit.present import describe
    meeting = w.workshop
    if not meeting.invitations:
        meeting.invitations.append(Invitation(membership_id=w.m("board_member").id))
        db.session.commit()
    marks = {i.id: "present" for i in meeting.invitations}
    meeting_services.record_attendance(meeting, w.assessment, marks,
                                       actor=w.people["coordinator"])
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "meeting.attendance"))
    with app.test_request_context("/"):
        d = describe([event], w.assessment, hide_uncirculated=False, personal=True)[0]
    assert d.label == "Attendance recorded"
    assert any(line.text.endswith("→ Present") for line in d.lines)
    assert not any(line.label.isdigit() for line in d.lines)
    assert any(line.label == "Aigerim Board" for line in d.lines)
    assert d.sentence.endswith("recorded who attended “Validation workshop”")


def test_values_are_formatted_in_the_reader_s_language(app, closed_round):
    """Dates as dates, booleans as Yes/No, ids as names, enums by their labels: in Russian."""
    from mab.audit.present import describe
    w = closed_round
    member, group = w.m("member2"), w.groups[2]
    record_event("board.member_updated", member, actor=w.people["coordinator"],
                 assessment=w.assessment,
                 changes={"term_end": [date(2026, 12, 18), date(2027, 12, 4)],
                          "group_id": [member.group_id, group.id],
                          "coi_declaration": [None, "none"], "require_dispositions": [True, False],
                          "status": ["nominee", "active"]})
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    with app.test_request_context("/"):
        from flask_babel import force_locale
        with force_locale("ru"):
            d = describe([event], w.assessment, hide_uncirculated=False, personal=True)[0]
    lines = {line.label: line.text for line in d.lines}
    assert d.label != "board.member_updated"      # its Russian comes with the catalogue merge
    assert "Second Member" in d.sentence and "board." not in d.sentence
    texts = " | ".join(lines.values())
    assert "18 дек. 2026\u202fг. → 4 дек. 2027\u202fг." in texts
    assert "Да → Нет" in texts
    assert f"→ {group.names.get('ru', group.name)}" in texts   # the group in Russian
    assert "Кандидат → " in texts
    assert not re.search(r"\d{4}-\d{2}-\d{2}", texts)
    # The stored codes stay available for the technically minded.
    assert '"term_end"' in d.technical and "2027-12-04" in d.technical
