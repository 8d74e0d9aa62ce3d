"""Plain factory functions: they add rows and flush; the test decides when to commit."""
import itertools

from werkzeug.security import generate_password_hash

from mab.assessments.models import Assessment, Membership, Role
from mab.auth.models import User
from mab.extensions import db
from mab.types import utcnow

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hash(password):
    if password not in _hash_cache:
        _hash_cache[password] = generate_password_hash(password, method="pbkdf2:sha256:1000")
    return _hash_cache[password]


def make_user(email=None, *, password=PASSWORD, name=None, **fields) -> User:
    n = next(_counter)
    user = User(email=email or f"person{n}@example.org", name=name or f"Person {n}",
                password_hash=_hash(password) if password else None, **fields)
    db.session.add(user)
    db.session.flush()
    return user


def make_assessment(slug=None, **fields) -> Assessment:
    n = next(_counter)
    values = {"slug": slug or f"test-{n}", "title": f"Test assessment {n}", "country": "Kazakhstan",
              "year": 2022, "timezone": "Asia/Almaty", "languages": "ru,kk,en"}
    values.update(fields)
    assessment = Assessment(**values)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def make_member(assessment, role=Role.BOARD_MEMBER, user=None, **user_fields) -> User:
    user = user or make_user(**user_fields)
    # A person who never set a password is an invitee: their membership waits for its link.
    db.session.add(Membership(assessment=assessment, user=user, role=Role(role),
                              accepted_at=utcnow() if user.has_account else None))
    db.session.flush()
    return user


def team(assessment=None):
    """An assessment with one person in each role (and an outsider), committed."""
    assessment = assessment or make_assessment(slug="kz-2022")
    people = {role.value: make_member(assessment, role, email=f"{role.value}@example.org")
              for role in Role}
    people["outsider"] = make_user(email="outsider@example.org")
    people["admin"] = make_user(email="admin@example.org", is_site_admin=True)
    db.session.commit()
    return assessment, people


def sign_in_client(client, user, *, user_agent="pytest"):
    """A live server-side session for ``user`` and the session cookie naming it; returns it."""
    from mab.auth.sessions import start_session

    row = start_session(user, user_agent=user_agent)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = row.token
        session["_fresh"] = True
    return row
