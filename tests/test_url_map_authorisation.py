"""The URL-map sweep: every rule of the application, as every kind of user, against the table.

The world is the demo (kz-2022) and a second assessment (kg-2023) with its own team and objects.
Every rule of ``app.url_map`` (every method but HEAD and OPTIONS) is called with the ids of real
objects as anonymous, the site admin, each role of kz-2022 and an outsider (kg-2023's
coordinator), and the answer is compared with ``tests/grants.py``. The demo has no translator:
the sweep adds one to kz-2022 (``translator@example.org``). Three more passes over the
rules under ``/a/<slug>/``: kz-2022's members ask for kg-2023's objects under kz-2022's address
(404); the outsider uses their own assessment and is answered as kz-2022's coordinator is (so the
outsider's 404s come from the membership, not from a broken fixture); and kz-2022's board member,
whose membership of kg-2023 still waits for its invitation link, finds nothing there (404).

POSTs go out with an empty (or minimal) form and CSRF off. Whatever one of them changes is
undone before the next request: the database is put back to a snapshot taken after seeding (rows
read once, written back in one transaction), so the order of the checks does not matter, on
SQLite and on PostgreSQL alike. The signed-in roles keep the session cookies they were given at
sign-in, sent with each request, so a logout or a password change cannot end the next check's
session either.
"""
import re
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from sqlalchemy import bindparam, func, select, text

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.auth.models import User
from mab.extensions import db
from tests import grants
from tests.conftest import Client, _empty_database, _prepare_schema, make_app
from tests.factories import PASSWORD, make_assessment, make_member
from tests.grants import ADMIN, ANON, ASSESSMENT, OUT, TOKEN, B, C, O, R, T

# Raise this as routes are added; it guards against the sweep silently checking less.
MIN_PAIRS = 1700
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

KZ_ACCOUNTS = {ADMIN: "admin@example.org", C: "coordinator@example.org",
               R: "researcher@example.org", B: "member01@example.org",
               O: "observer@example.org"}
# Not in the demo: made by ``_kz_objects`` with the factories' password.
KZ_TRANSLATOR = "translator@example.org"


# --- the world -----------------------------------------------------------------------------------

def _user(email) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _membership(user, assessment) -> Membership:
    return db.session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.assessment_id == assessment.id))


class _TokenCatcher:
    """Keep the raw tokens that ``issue_token`` hands out while a service runs (the links are
    only in the mail otherwise)."""

    def __enter__(self):
        import mab.auth.services as auth_services
        self.module, self.original, self.tokens = auth_services, auth_services.issue_token, []

        def catch(*args, **kwargs):
            raw = self.original(*args, **kwargs)
            self.tokens.append(raw)
            return raw

        auth_services.issue_token = catch
        return self

    def __exit__(self, *exc):
        self.module.issue_token = self.original


def _invite(assessment, email, role, actor) -> tuple[Membership, str]:
    from mab.assessments.services import invite_person
    with _TokenCatcher() as caught:
        membership = invite_person(assessment, email=email, name="Pending Person", role=role,
                                   actor=actor)
    return membership, caught.tokens[-1]


def _pending_for_account_holder(assessment, user, role, actor) -> tuple[Membership, str]:
    """A membership still waiting for its link, of a person who has an account (invited before
    they set their password through another assessment's invitation), and that link."""
    from mab.auth.services import send_invitation
    membership = Membership(assessment=assessment, user=user, role=role, accepted_at=None)
    db.session.add(membership)
    db.session.flush()
    with _TokenCatcher() as caught:
        send_invitation(membership, inviter=actor)
    return membership, caught.tokens[-1]


def _draft(assessment, title, body, researcher, *, attach=False, circulate=True):
    from mab.drafts import services
    draft = services.create_draft(assessment, subject="report", item_id=None, title=title,
                                  owner=_membership(researcher, assessment), body=body,
                                  actor=researcher)
    attachment = None
    if attach:
        attachment = services.add_attachment(draft.versions[0], assessment,
                                             filename=f"{title.lower().replace(' ', '-')}.pdf",
                                             data=PDF, actor=researcher)
    if circulate:
        services.circulate(draft.versions[0], assessment, message="",
                           deadline=assessment.today() + timedelta(days=14), actor=researcher)
    db.session.flush()
    return draft, attachment


def _rsvp_token(meeting, user):
    from mab.meetings.tokens import rsvp_token
    invitation = next(i for i in meeting.invitations if i.membership.user_id == user.id)
    return rsvp_token(invitation)


def _recommendations(assessment, researcher):
    """The assessment's first recommendations draft (the demo's; one made through the register
    when there is none), and a second one never circulated."""
    from mab.drafts.models import Draft, Subject
    from mab.drafts.services import create_draft
    from mab.recommendations.services import add_recommendation
    first = db.session.scalar(select(Draft).where(
        Draft.assessment_id == assessment.id, Draft.subject == Subject.RECOMMENDATIONS)
        .order_by(Draft.id))
    if first is None:
        first = add_recommendation(
            assessment, text="Publish the statistics of blocking requests.", group_ids=[],
            indicator_ids=[], finding_ids=[], priority="high", time_frame="short",
            responsible="Ministry", actor=researcher).version.draft
    hidden = create_draft(assessment, subject=Subject.RECOMMENDATIONS, item_id=None,
                          title="Recommendations not yet circulated", owner=None,
                          body="Fund community networks in remote villages.", actor=researcher)
    db.session.flush()
    return first, hidden


def _followup(assessment, coordinator, researcher) -> dict:
    """A validated recommendation with its follow-up: an update confirmed (with a file), one
    declined (its file), one proposed (tests/recommendations/support_followup.py)."""
    from tests.recommendations.support_followup import sweep_recommendation
    return sweep_recommendation(assessment, researcher, coordinator)


def _evidence(assessment, researcher) -> dict:
    """An indicator of the assessment's framework (an own one for an assessment without) and a
    source with a file serving it (tests/evidence/support_evidence.py)."""
    from tests.evidence.support_evidence import sweep_evidence
    return sweep_evidence(assessment, researcher)


def _release(assessment, coordinator) -> dict:
    """The public site of kz-2022 published with its release 1 (tests/releases/
    support_publication.py), so that /p/<slug>/... answers everyone."""
    from tests.releases.support_publication import sweep_release
    return sweep_release(assessment, coordinator)


def _workshop(assessment, coordinator, researcher) -> dict:
    """A validation workshop that started an hour ago, with a recommendation on its agenda: the
    first of the latest circulated recommendations (a draft of one is made and circulated when
    the assessment has none)."""
    from mab.drafts.services import circulate, create_draft
    from mab.meetings.models import MeetingKind
    from mab.meetings.services import schedule_meeting
    from mab.recommendations import workshop_services
    if not workshop_services.candidates(assessment):
        draft = create_draft(assessment, subject="recommendations", item_id=None,
                             title="Recommendations for the workshop", owner=None,
                             body="Fund community networks in remote villages.",
                             actor=researcher)
        circulate(draft.versions[0], assessment, message="", actor=researcher,
                  deadline=assessment.today() + timedelta(days=14))
        db.session.flush()
    start = (datetime.now(timezone.utc) - timedelta(hours=1)).replace(microsecond=0)
    meeting = schedule_meeting(
        assessment, actor=coordinator, kind=MeetingKind.VALIDATION_WORKSHOP,
        title="Validation workshop (sweep)", starts_at=start, ends_at=start + timedelta(hours=3),
        place="", invitees=[])
    first = workshop_services.candidates(assessment)[0]
    workshop_services.set_agenda(meeting, assessment, [first.key], actor=coordinator)
    (item,) = workshop_services.agenda_items(meeting)
    return {"workshop_meeting": meeting.id, "workshop_item": item.id}


def _kz_objects() -> dict:
    """The demo, and the few objects it lacks: a translator, attachments, an outbox message, a
    pending invitation, and the tokens of the links sent by email."""
    from mab.auth.services import request_password_reset
    from mab.comments.models import Comment
    from mab.drafts.models import Draft
    from mab.meetings.models import Meeting, MeetingStatus
    from mab.meetings.tokens import calendar_token
    from mab.notify.models import OutboxMessage
    from mab.validation.models import ValidationRound

    kz = db.session.scalar(select(Assessment).where(Assessment.slug == "kz-2022"))
    coordinator, researcher = _user("coordinator@example.org"), _user("researcher@example.org")
    member01 = _user("member01@example.org")
    make_member(kz, Role.TRANSLATOR, email=KZ_TRANSLATOR, name="Kazakh Translator")
    drafts = {d.title: d for d in db.session.scalars(select(Draft).where(
        Draft.assessment_id == kz.id))}
    circulated = drafts["Freedom of expression online"]
    revised = drafts["Connectivity and usage"]
    uncirculated = drafts["National Internet governance"]
    annex, attachment = _draft(kz, "Sources annex", "The sources of the findings.", researcher,
                               attach=True)
    from mab.drafts.services import add_attachment
    hidden_attachment = add_attachment(uncirculated.versions[-1], kz, filename="notes.pdf",
                                       data=PDF, actor=researcher)
    pending, invite_token = _invite(kz, "pending@example.org", Role.RESEARCHER, coordinator)
    secret_message = db.session.scalar(select(func.max(OutboxMessage.id)).where(
        OutboxMessage.assessment_id == kz.id, OutboxMessage.recipient == "pending@example.org"))
    with _TokenCatcher() as caught:
        request_password_reset("researcher@example.org")
    db.session.flush()
    meeting = db.session.scalar(select(Meeting).where(
        Meeting.assessment_id == kz.id, Meeting.status == MeetingStatus.SCHEDULED))
    comment = db.session.scalar(select(Comment).where(
        Comment.assessment_id == kz.id, Comment.parent_id.is_(None),
        Comment.author_id == _membership(member01, kz).id).order_by(Comment.id))
    boards = {m.user.email: m for m in db.session.scalars(select(Membership).where(
        Membership.assessment_id == kz.id, Membership.role == Role.BOARD_MEMBER))}
    recommendations, hidden_recommendations = _recommendations(kz, researcher)
    return {
        "slug": kz.slug,
        # The demo's recommendations draft (circulated) and one never circulated (issue 19).
        "recommendations_draft": recommendations.id,
        "recommendation_block": recommendations.versions[-1].blocks[0]["id"],
        "uncirculated_recommendations": hidden_recommendations.id,
        "uncirculated_recommendation_block": hidden_recommendations.versions[-1].blocks[0]["id"],
        "membership_id": boards["member02@example.org"].id,
        "nominee_membership": boards["member13@example.org"].id,
        "pending_membership": pending.id,
        "group_id": boards["member11@example.org"].group_id,
        "meeting_id": meeting.id,
        "draft_id": circulated.id,
        "number": 1,
        "uncirculated_draft": uncirculated.id,
        "revised_draft": revised.id,
        "uncirculated_number": revised.versions[-1].number,
        "comment_id": comment.id,
        "round_id": db.session.scalar(select(func.min(ValidationRound.id)).where(
            ValidationRound.assessment_id == kz.id)),
        "attachment_id": attachment.id,
        "uncirculated_attachment": hidden_attachment.id,
        "message_id": db.session.scalar(select(func.min(OutboxMessage.id)).where(
            OutboxMessage.assessment_id == kz.id)),
        "secret_message": secret_message,
        "user_id": boards["member02@example.org"].user_id,
        "invite_token": invite_token,
        "reset_token": caught.tokens[-1],
        "rsvp_token": _rsvp_token(meeting, member01),
        "calendar_token": calendar_token(member01),
        "bogus_token": "not-a-token",
        "annex_draft": annex.id,
        **_workshop(kz, coordinator, researcher),
        **_evidence(kz, researcher),
        **_followup(kz, coordinator, researcher),
        **_release(kz, coordinator),
        # A language the drafts are translated into, in kz-2022 (ru, kk, en) and kg-2023 (ru, ky,
        # en) alike: the source is the first.
        "language": "en",
    }


def _kg_objects() -> tuple[dict, User]:
    """A second assessment made through the factories and services: a team, a meeting, a draft
    with a circulated version, an attachment, a comment, an open validation round."""
    from mab.board.services import create_default_groups
    from mab.comments.services import add_comment
    from mab.drafts.services import save_body
    from mab.meetings.models import MeetingKind
    from mab.meetings.services import schedule_meeting
    from mab.notify.models import OutboxMessage
    from mab.validation.services import open_round

    kg = make_assessment(slug="kg-2023", title="Kyrgyzstan IUI assessment", country="Kyrgyzstan",
                         year=2023, timezone="Asia/Bishkek", languages="ru,ky,en")
    groups = create_default_groups(kg)
    people = {role: make_member(kg, role, email=f"{role.value}@example.kg", name=f"KG {role}")
              for role in Role}
    member = _membership(people[Role.BOARD_MEMBER], kg)
    member.board_status, member.group_id = BoardStatus.ACTIVE, groups[0].id
    nominee = _membership(make_member(kg, Role.BOARD_MEMBER, email="nominee@example.kg"), kg)
    nominee.board_status, nominee.group_id = BoardStatus.NOMINEE, groups[1].id
    coordinator, researcher = people[Role.COORDINATOR], people[Role.RESEARCHER]
    db.session.flush()
    pending, _token = _invite(kg, "pending@example.kg", Role.OBSERVER, coordinator)
    own_pending, account_invite_token = _pending_for_account_holder(
        kg, _user("member01@example.org"), Role.OBSERVER, coordinator)
    start = (datetime.now(timezone.utc) + timedelta(days=10)).replace(microsecond=0)
    meeting = schedule_meeting(
        kg, actor=coordinator, kind=MeetingKind.BOARD_MEETING, title="Board meeting",
        starts_at=start, ends_at=start + timedelta(hours=2), place="Bishkek",
        invitees=[_membership(people[r], kg) for r in (Role.COORDINATOR, Role.RESEARCHER,
                                                       Role.BOARD_MEMBER)])
    draft, attachment = _draft(kg, "Access findings", "Access is uneven.\n\nPrices fell.",
                               researcher, attach=True)
    uncirculated, hidden_attachment = _draft(kg, "Rights findings", "Not yet circulated.",
                                             researcher, attach=True, circulate=False)
    revised, _ = _draft(kg, "Openness findings", "First text.", researcher)
    save_body(revised, kg, body="Second text.", change_summary="Rewritten", base_revision=0,
              base_number=1, actor=researcher)
    version = draft.versions[0]
    recommendations, _hidden = _recommendations(kg, researcher)
    comment = add_comment(version, kg, member, body="Please cite the 2023 survey.")
    kg.require_dispositions = False     # the comment stays open, its version in validation
    round_ = open_round(version, kg, deadline=kg.today() + timedelta(days=7), actor=coordinator,
                        end_consultation=True)
    workshop_objects = _workshop(kg, coordinator, researcher)
    db.session.flush()
    return {
        "slug": kg.slug,
        "membership_id": member.id,
        "nominee_membership": nominee.id,
        "pending_membership": pending.id,
        "group_id": groups[0].id,
        "meeting_id": meeting.id,
        "draft_id": draft.id,
        "number": 1,
        "uncirculated_draft": uncirculated.id,
        "revised_draft": revised.id,
        "uncirculated_number": 2,
        "comment_id": comment.id,
        "round_id": round_.id,
        "attachment_id": attachment.id,
        "uncirculated_attachment": hidden_attachment.id,
        "message_id": db.session.scalar(select(func.min(OutboxMessage.id)).where(
            OutboxMessage.assessment_id == kg.id)),
        "pending_own_membership": own_pending.id,
        "account_invite_token": account_invite_token,
        **workshop_objects,
        **_evidence(kg, researcher),
        **_followup(kg, coordinator, researcher),
        "recommendations_draft": recommendations.id,
        "recommendation_block": recommendations.versions[-1].blocks[0]["id"],
    }, coordinator


# --- putting the database back -----------------------------------------------------------------

class Snapshot:
    """Every row of every table, read once and written back on ``restore()``.

    Tables are emptied and refilled in dependency order in one transaction. A foreign key that
    points at the same table or at one filled later (the cycle between assessments and their own
    frameworks, a comment's parent) is written empty first and filled in once every row is there,
    so no database privilege or deferrable constraint is needed.
    """

    def __init__(self):
        db.session.remove()
        self.tables = list(db.metadata.sorted_tables)
        self.postgres = db.engine.dialect.name == "postgresql"
        with db.engine.connect() as conn:
            self.rows = {t.name: [dict(r._mapping) for r in conn.execute(
                t.select().order_by(*t.primary_key.columns))] for t in self.tables}
        order = {t.name: n for n, t in enumerate(self.tables)}
        self.later = {t.name: sorted({fk.parent.name for fk in t.foreign_keys
                                      if order.get(fk.column.table.name, -1) >= order[t.name]
                                      and fk.parent.nullable})
                      for t in self.tables}
        self.serials = [t for t in self.tables if len(t.primary_key.columns) == 1
                        and list(t.primary_key.columns)[0].autoincrement in (True, "auto")
                        and list(t.primary_key.columns)[0].type.python_type is int]

    def restore(self):
        db.session.remove()
        with db.engine.begin() as conn:
            if self.postgres:
                names = ", ".join(f'"{t.name}"' for t in self.tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(self.tables):
                    conn.execute(table.delete())
            for table in self.tables:
                rows, later = self.rows[table.name], self.later[table.name]
                if rows:
                    conn.execute(table.insert(), [{**row, **dict.fromkeys(later)}
                                                  for row in rows])
            for table in self.tables:
                for column in self.later[table.name]:
                    (key,) = table.primary_key.columns
                    values = [{"_key": row[key.name], "_value": row[column]}
                              for row in self.rows[table.name] if row[column] is not None]
                    if values:
                        conn.execute(table.update().where(key == bindparam("_key"))
                                     .values({column: bindparam("_value")}), values)
            if self.postgres:
                for table in self.serials:
                    column = list(table.primary_key.columns)[0].name
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column}'), "
                        f"COALESCE((SELECT MAX(\"{column}\") FROM \"{table.name}\"), 0) + 1, "
                        "false)"))


# --- the sweep ------------------------------------------------------------------------------------

@dataclass
class World:
    app: object
    client: Client
    objects: dict           # assessment slug -> URL variable values
    cookies: dict           # role -> session cookie value
    snapshot: Snapshot


def _sign_in(app, email, password) -> tuple[str, int]:
    """Sign in through the form; the session cookie, and the id of the device's session."""
    from mab.auth.models import UserSession
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, f"{email} could not sign in ({response.status_code})"
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    assert cookie is not None, f"{email}: no session cookie after signing in"
    session_id = db.session.scalar(select(func.max(UserSession.id)).join(UserSession.user)
                                   .where(User.email == email))
    return cookie.value, session_id


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from mab.demo import DEMO_PASSWORD, seed
    app = make_app(None, UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")))
    app.test_client_class = Client
    with app.app_context():
        _prepare_schema(app)
        try:
            with app.test_request_context("/"):   # services build mail links with url_for
                seed()
                objects = {"kz-2022": _kz_objects()}
                kg, outsider = _kg_objects()
                objects["kg-2023"] = kg
                objects["kg-2023:ids"] = {**kg, "slug": "kz-2022"}   # kz-2022's address
                db.session.commit()
            signed = {role: _sign_in(app, email, DEMO_PASSWORD)
                      for role, email in KZ_ACCOUNTS.items()}
            signed[T] = _sign_in(app, KZ_TRANSLATOR, PASSWORD)
            signed[OUT] = _sign_in(app, outsider.email, PASSWORD)
            cookies = {role: cookie for role, (cookie, _id) in signed.items()}
            objects["kz-2022"]["own_session"] = {role: id_ for role, (_c, id_) in signed.items()}
            # Someone else's device: member02's, who plays none of the roles.
            objects["kz-2022"]["session_id"] = _sign_in(app, "member02@example.org",
                                                        DEMO_PASSWORD)[1]
            yield World(app, app.test_client(use_cookies=False), objects, cookies, Snapshot())
        finally:
            _empty_database(app)


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in grants.SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - grants.SKIPPED_METHODS):
            yield f"{method} {rule.rule}", rule, method


DENIALS = {TOKEN: {400, 401, 403, 404, 410}}
DEFAULT_DENIALS = {401, 403, 404}


def _outcome(response) -> int | str:
    if response.status_code in (301, 302, 303, 307, 308):
        if urlsplit(response.headers.get("Location", "")).path == "/login":
            return "login"
    return response.status_code


def expected(grant: grants.Grant, role: str) -> str | set:
    """"grant", or the set of outcomes that are the right denial for ``role``."""
    if role in grant.roles:
        return "grant"
    if grant.denial and role != ANON:
        return set(grant.denial)
    if grant.kind == TOKEN:
        return {400, 401, 404}
    if role == ANON:
        return {"login"}
    if grant.kind == ASSESSMENT and role in (OUT, ADMIN):
        return {404}
    return {404} if role in grant.hidden else {403}


def judge(grant: grants.Grant, role: str, outcome, want) -> bool:
    if isinstance(outcome, int) and outcome >= 500:
        return False
    if want == "grant":
        if outcome == "login":
            return grant.signs_out and role != ANON
        return outcome not in DENIALS.get(grant.kind, DEFAULT_DENIALS)
    return outcome in want


class Sweep:
    def __init__(self, world: World):
        self.world = world
        self.adapter = world.app.url_map.bind("localhost")
        self.pairs = 0
        self.failures: list[str] = []
        self.restores = 0

    def url(self, rule, method, grant, slug, role) -> str:
        objects = self.world.objects[slug]
        values = {}
        for name in rule.arguments:
            key = grant.ids.get(name, name)
            for source in (objects, self.world.objects["kz-2022"], self.world.objects["kg-2023"]):
                value = source.get(key)
                if value is not None:
                    break
            if isinstance(value, dict):          # one per role, e.g. each one's own session
                value = value.get(role, value[C])
            if value is None:
                raise LookupError(f"{method} {rule.rule}: no fixture object for <{name}> "
                                  f"({key!r}); add one to the sweep's world")
            values[name] = value
        return self.adapter.build(rule.endpoint, values, method=method)

    def call(self, method, url, role, data):
        cookie = self.world.cookies.get(role)
        headers = {"Cookie": f"session={cookie}"} if cookie else {}
        try:
            response = self.world.client.open(url, method=method, headers=headers,
                                              data=dict(data) if method != "GET" else None)
            outcome = _outcome(response)
            response.close()
        except Exception as error:    # TESTING propagates exceptions: that is a 500
            db.session.rollback()
            outcome = f"500 ({type(error).__name__}: {error})"
        return outcome

    def check(self, key, rule, method, grant, role, want, *, slug="kz-2022", note=""):
        url = self.url(rule, method, grant, slug, role)
        outcome = self.call(method, url, role, grant.data)
        self.pairs += 1
        ok = (not isinstance(outcome, str) or outcome == "login") and \
            judge(grant, role, outcome, want)
        if not ok:
            label = f" [{grant.label}]" if grant.label else ""
            wanted = "a grant" if want == "grant" else " or ".join(map(str, sorted(want, key=str)))
            self.failures.append(f"{key}{label}{note} as {role}: got {outcome}, want {wanted} "
                                 f"({url})")
        # A POST that was refused as it should be changed nothing; after any other, put the
        # database back (a logout, too: it ended the session the next check signs in with).
        if method != "GET" and not (ok and want != "grant"):
            self.world.snapshot.restore()
            self.restores += 1


def test_the_snapshot_puts_back_what_a_post_changed(world):
    from mab.meetings.models import Meeting, MeetingStatus
    objects = world.objects["kz-2022"]
    sweep = Sweep(world)
    url = f"/a/kz-2022/meetings/{objects['meeting_id']}/cancel"
    assert sweep.call("POST", url, C, {"confirm": "1"}) == 302
    assert sweep.call("POST", "/logout", C, {}) == "login"
    assert db.session.get(Meeting, objects["meeting_id"]).status == MeetingStatus.CANCELLED
    world.snapshot.restore()
    assert db.session.get(Meeting, objects["meeting_id"]).status == MeetingStatus.SCHEDULED
    again = Snapshot()
    assert again.rows == world.snapshot.rows    # every row of every table, as it was
    # The signed-in roles' sessions survive it: each still opens their account page.
    for role in grants.SIGNED_IN:
        assert sweep.call("GET", "/account", role, {}) == 200, role


def test_every_rule_has_an_entry_in_the_grant_table(world):
    keys = {key for key, _rule, _method in _rules(world.app)}
    missing = sorted(keys - grants.TABLE.keys())
    stale = sorted(grants.TABLE.keys() - keys)
    assert not missing, ("Rules of app.url_map with no entry in tests/grants.py; say who may "
                         "call each:\n  " + "\n  ".join(missing))
    assert not stale, ("Entries of tests/grants.py for rules the app no longer has:\n  "
                       + "\n  ".join(stale))


def test_every_rule_answers_each_role_as_the_grant_table_says(world, capsys):
    started = time.monotonic()
    sweep = Sweep(world)
    id_names = re.compile(r"<(?:int:)?(\w+_id|number)>")
    for key, rule, method in sorted(_rules(world.app), key=lambda r: (r[1].rule, r[2])):
        if key not in grants.TABLE:
            sweep.failures.append(f"{key}: no entry in tests/grants.py")
            continue
        for grant in grants.checks(key):
            for role in grants.ROLES:
                sweep.check(key, rule, method, grant, role, expected(grant, role))
        primary = grants.checks(key)[0]
        if primary.kind != ASSESSMENT:
            continue
        # The outsider in their own assessment answers as kz-2022's coordinator does.
        sweep.check(key, rule, method, primary, OUT, expected(primary, C), slug="kg-2023",
                    note=" in their own kg-2023")
        # member01 is only invited to kg-2023 (that membership waits for its link): kg-2023
        # does not exist for them yet.
        sweep.check(key, rule, method, primary, B, {404}, slug="kg-2023",
                    note=" in kg-2023, where they are only invited")
        # kg-2023's objects under kz-2022's address: found by no one.
        if id_names.search(rule.rule):
            foreign = replace(primary, label="kg-2023 ids")
            for role in grants.MEMBERS:
                want = {404} if role in primary.roles else {403, 404}
                sweep.check(key, rule, method, foreign, role, want, slug="kg-2023:ids")
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(f"\nURL-map sweep: {sweep.pairs} (route, role) pairs checked in {elapsed:.1f} s, "
              f"database restored {sweep.restores} times")
    assert not sweep.failures, (f"{len(sweep.failures)} of {sweep.pairs} checks disagree with "
                                "tests/grants.py:\n  " + "\n  ".join(sweep.failures))
    assert sweep.pairs >= MIN_PAIRS, f"only {sweep.pairs} (route, role) pairs were checked"
