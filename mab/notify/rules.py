"""Pure rules of mail delivery."""
from datetime import datetime, timedelta

BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the ``attempts``-th failure: 1, 2, 4 ... minutes, at most 6 h."""
    if attempts < 1:
        return timedelta(0)
    return min(BASE_DELAY * (2 ** (attempts - 1)), MAX_DELAY)


def next_attempt(now: datetime, attempts: int) -> datetime:
    return now + retry_delay(attempts)


def gives_up(attempts: int, max_attempts: int) -> bool:
    return attempts >= max_attempts
