"""Password policy: plain functions, no app needed."""
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 10
MAX_LENGTH = 256
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str, *, email: str = "", name: str = "") -> list:
    """Return what is wrong with a proposed password (empty when it is acceptable)."""
    password = password or ""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.lower()
    email = (email or "").strip().lower()
    local = email.split("@")[0]
    if email and (lowered == email or (len(local) >= 4 and local in lowered)):
        problems.append(_l("Do not use your email address in your password."))
    if problems:
        return problems
    if lowered in _COMMON:
        problems.append(_l("This is one of the most common passwords; choose another."))
    elif zxcvbn(password[:100], user_inputs=[v for v in (email, local, name) if v])["score"] < 2:
        problems.append(_l("This password is too easy to guess; add more words or characters."))
    return problems
