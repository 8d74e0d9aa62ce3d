"""The background worker: the outbox, meeting reminders and comment digests on a schedule.

``flask mab worker`` runs passes every ``--interval`` seconds until SIGTERM or SIGINT:

- ``reminders`` (``send_due_reminders``) at the first pass, then every ``reminders_every``
  seconds (hourly by default); it never reminds twice for the same meeting and offset;
- ``digests`` (``send_digests``) once a day at ``digest_at`` (UTC), first at the next such time,
  so a restart does not send a second digest that day;
- ``outbox`` (``deliver_outbox``) on every pass, last, so what the others queued leaves at once.

Each job runs in its own transaction; an exception is logged with its traceback and the worker
goes on (the failed job is tried again at the next pass). A signal lets the running job finish,
then the loop ends. ``--once`` runs the chosen jobs one time each, for systemd timers or cron,
and exits 1 if one failed.
"""
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time as clock_time, timedelta, timezone
from threading import Event

from flask import current_app

from mab.extensions import db

log = logging.getLogger("mab.worker")

JOB_NAMES = ("reminders", "digests", "outbox")   # the order of a pass


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], dict]                           # does the work; returns counts to log
    next_due: Callable[[datetime], datetime]          # when to run again, after a run at ``now``
    first_due: Callable[[datetime], datetime] = lambda now: now


# --- schedule rules (pure) ----------------------------------------------------------------------

def every(seconds: int) -> Callable[[datetime], datetime]:
    return lambda now: now + timedelta(seconds=seconds)


def next_daily(now: datetime, at: clock_time) -> datetime:
    """The next moment at ``at`` (UTC) strictly after ``now``."""
    today = datetime.combine(now.date(), at, tzinfo=timezone.utc)
    return today if today > now else today + timedelta(days=1)


def parse_time_of_day(text: str) -> clock_time:
    """``"07:00"`` -> 07:00; ValueError for anything else."""
    hours, _, minutes = text.strip().partition(":")
    return clock_time(int(hours), int(minutes or 0))


def parse_days(text: str) -> list[int]:
    """``"7,1"`` -> [1, 7]; ValueError for anything but whole numbers."""
    return sorted({int(d) for d in text.split(",") if d.strip()})


# --- the jobs -----------------------------------------------------------------------------------

def outbox_job(limit: int = 200) -> dict:
    from mab.notify.services import deliver_outbox
    counts = deliver_outbox(limit=limit)
    db.session.commit()
    return counts


def reminders_job(offsets: list[int]) -> dict:
    from mab.meetings.services import send_due_reminders
    with _link_context():
        queued = send_due_reminders(offsets)
    db.session.commit()
    return {"queued": queued}


def digests_job() -> dict:
    from mab.comments.services import send_digests
    with _link_context():
        queued = send_digests()
    db.session.commit()
    return {"queued": queued}


def _link_context():
    """Mail links are built with ``url_for`` (BASE_URL + path): a request context to build in."""
    return current_app.test_request_context("/")


def default_jobs(*, limit: int = 200, reminder_days: list[int] | None = None,
                 reminders_every: int = 3600, digest_at: clock_time = clock_time(7, 0)
                 ) -> dict[str, Job]:
    days = reminder_days if reminder_days is not None else [7, 1]
    return {
        "reminders": Job("reminders", lambda: reminders_job(days), every(reminders_every)),
        "digests": Job("digests", digests_job, lambda now: next_daily(now, digest_at),
                       first_due=lambda now: next_daily(now, digest_at)),
        "outbox": Job("outbox", lambda: outbox_job(limit), lambda now: now),
    }


# --- running ------------------------------------------------------------------------------------

def run_job(job: Job) -> bool:
    """Run one job in its own transaction; log the outcome; never raise (but for a signal's
    KeyboardInterrupt and SystemExit)."""
    started = time.perf_counter()
    try:
        counts = job.run()
    except Exception:
        db.session.rollback()
        log.exception("job failed", extra={"event": "job", "job": job.name, "outcome": "error",
                                           "duration_ms": _ms(started)})
        return False
    finally:
        db.session.remove()
    log.info("", extra={"event": "job", "job": job.name, "outcome": "ok",
                        "duration_ms": _ms(started), **{k: v for k, v in (counts or {}).items()
                                                        if k not in _RESERVED}})
    return True


def run_once(jobs: list[Job]) -> bool:
    """Each job one time, in order; True when all succeeded."""
    results = [run_job(job) for job in jobs]
    return all(results)


def run_forever(jobs: list[Job], interval: float, stop: Event,
                clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> int:
    """Passes every ``interval`` seconds until ``stop`` is set; returns the number of passes."""
    now = clock()
    due = {job.name: job.first_due(now) for job in jobs}
    log.info("worker started", extra={"event": "worker", "interval": interval,
                                      "jobs": [job.name for job in jobs],
                                      "first_due": {n: d.isoformat() for n, d in due.items()}})
    passes = 0
    while not stop.is_set():
        now = clock()
        for job in jobs:
            if stop.is_set():
                break
            if due[job.name] <= now and run_job(job):
                due[job.name] = job.next_due(now)   # a failed job is tried again next pass
        passes += 1
        stop.wait(interval)
    log.info("worker stopped", extra={"event": "worker", "passes": passes})
    return passes


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


# Keys a job's counts may not use in a log record.
_RESERVED = frozenset({"event", "job", "outcome", "duration_ms", "message", "args", "msg",
                       "name", "levelname", "exc_info"})
