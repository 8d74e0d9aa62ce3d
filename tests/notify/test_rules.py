from datetime import datetime, timedelta, timezone

from mab.notify.rules import gives_up, next_attempt, retry_delay


def test_backoff_doubles_and_is_capped():
    assert retry_delay(1) == timedelta(minutes=1)
    assert retry_delay(2) == timedelta(minutes=2)
    assert retry_delay(5) == timedelta(minutes=16)
    assert retry_delay(30) == timedelta(hours=6)


def test_next_attempt_and_giving_up():
    now = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
    assert next_attempt(now, 3) == now + timedelta(minutes=4)
    assert not gives_up(9, 10) and gives_up(10, 10)
