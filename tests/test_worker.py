"""``flask mab worker``: the outbox, reminders and digests on a schedule, surviving a failed run,
stopping on SIGTERM; ``--once`` for timers. Mail goes to a local aiosmtpd server."""
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, time as clock_time, timedelta, timezone
from pathlib import Path
from threading import Event

import pytest
from sqlalchemy import select as sql_select

from mab import worker
from mab.extensions import db
from mab.notify.models import OutboxMessage, OutboxStatus
from tests.factories import team
from tests.smtp import inbox, mail_config, smtp_port  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("keep_mab_logger_level")


@pytest.fixture
def app_overrides(smtp_port):
    return mail_config(smtp_port, LOG_LEVEL="INFO")


def queue_invitation(client, login) -> OutboxMessage:
    _, people = team()
    login(people["coordinator"])
    response = client.post("/a/kz-2022/people", data={
        "email": "saule@example.org", "name": "Saule", "role": "board_member", "language": "en"})
    assert response.status_code == 302
    return db.session.scalars(sql_select(OutboxMessage)).one()


def job_lines(output):
    """The job lines among the output (click's usage messages are plain text)."""
    return [line for line in map(json.loads, (text for text in output.splitlines()
                                              if text.startswith("{")))
            if line.get("event") == "job"]


def test_once_runs_every_job_and_delivers_the_outbox(client, login, runner, inbox):
    message_id = queue_invitation(client, login).id
    result = runner.invoke(args=["mab", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert [(line["job"], line["outcome"]) for line in job_lines(result.output)] == [
        ("reminders", "ok"), ("digests", "ok"), ("outbox", "ok")]
    outbox = job_lines(result.output)[-1]
    assert outbox["sent"] == 1 and outbox["level"] == "INFO"
    assert inbox.recipients == [["saule@example.org"]]
    assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.SENT


def test_once_survives_a_failing_job_and_reports_it(client, login, runner, inbox, monkeypatch):
    import mab.meetings.services

    def broken(offsets, now=None):
        raise RuntimeError("reminders exploded")

    monkeypatch.setattr(mab.meetings.services, "send_due_reminders", broken)
    queue_invitation(client, login)
    result = runner.invoke(args=["mab", "worker", "--once"])
    assert result.exit_code == 1          # a timer's unit shows the failure
    lines = job_lines(result.output)
    assert [(line["job"], line["outcome"]) for line in lines] == [
        ("reminders", "error"), ("digests", "ok"), ("outbox", "ok")]
    assert lines[0]["level"] == "ERROR" and "reminders exploded" in lines[0]["exception"]
    assert len(inbox.messages) == 1       # the other jobs still ran


def test_once_runs_only_the_jobs_named(runner):
    result = runner.invoke(args=["mab", "worker", "--once", "--job", "digests"])
    assert result.exit_code == 0
    assert [line["job"] for line in job_lines(result.output)] == ["digests"]


@pytest.mark.parametrize("args", [["--reminder-days", "soon"], ["--digest-at", "7 am"],
                                  ["--interval", "0"], ["--job", "backup"]])
def test_bad_options_are_refused(runner, args):
    result = runner.invoke(args=["mab", "worker", "--once", *args])
    assert result.exit_code == 2 and not job_lines(result.output)


def test_the_loop_keeps_going_after_a_failure_and_keeps_the_schedule(app):
    calls = {"flaky": 0, "outbox": 0, "daily": 0}
    stop = Event()
    start = datetime(2027, 1, 21, 6, 0, tzinfo=timezone.utc)
    clock = iter(start + timedelta(minutes=n) for n in range(100))

    def flaky():
        calls["flaky"] += 1
        raise RuntimeError("flaky job")

    def outbox():
        calls["outbox"] += 1
        if calls["outbox"] == 3:
            stop.set()
        return {"sent": 0}

    def daily():
        calls["daily"] += 1
        return {}

    jobs = [worker.Job("flaky", flaky, worker.every(3600)),
            worker.Job("daily", daily, lambda now: worker.next_daily(now, clock_time(7)),
                       first_due=lambda now: worker.next_daily(now, clock_time(7))),
            worker.Job("outbox", outbox, lambda now: now)]
    passes = worker.run_forever(jobs, 0, stop, clock=lambda: next(clock))
    assert passes == 3
    assert calls == {"flaky": 3, "outbox": 3, "daily": 0}   # failed: tried again each pass


def test_schedule_rules():
    at = clock_time(7, 0)
    morning = datetime(2027, 1, 21, 6, 59, tzinfo=timezone.utc)
    assert worker.next_daily(morning, at) == datetime(2027, 1, 21, 7, 0, tzinfo=timezone.utc)
    seven = datetime(2027, 1, 21, 7, 0, tzinfo=timezone.utc)
    assert worker.next_daily(seven, at) == datetime(2027, 1, 22, 7, 0, tzinfo=timezone.utc)
    assert worker.every(60)(seven) == seven + timedelta(minutes=1)
    assert worker.parse_days("7, 1,7") == [1, 7]
    assert worker.parse_time_of_day("18:30") == clock_time(18, 30)
    for bad in ("7am", "25:00", ""):
        with pytest.raises(ValueError):
            worker.parse_time_of_day(bad)


def test_sigterm_stops_the_loop_cleanly(tmp_path):
    """A real process: started, one pass logged, SIGTERM, exit status 0 and a last line."""
    env = {**os.environ, "MAB_ENV": "development", "MAB_INSTANCE_PATH": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite'}", "LOG_LEVEL": "INFO",
           "MAIL_SERVER": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "mab", "worker", "--interval", "30"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # A thread reads the lines as they come (select() on a buffered pipe can miss a second line
    # that arrived with the first).
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(t) for t in process.stdout], daemon=True)
    reader.start()
    seen = []
    try:
        deadline = time.monotonic() + 30
        while not any(line.get("job") == "outbox" for line in seen):
            assert time.monotonic() < deadline, f"no outbox run logged: {seen}"
            try:
                text = lines.get(timeout=1)
            except queue.Empty:
                assert process.poll() is None, f"the worker ended: {seen}"
                continue
            if text.startswith("{"):
                seen.append(json.loads(text))
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        reader.join(timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=5)
        process.stdout.close()
    rest = "".join(lines.get_nowait() for _ in range(lines.qsize()))
    assert process.returncode == 0
    # No tables in this database: each job failed, was logged, and the worker went on.
    assert {line["job"] for line in seen if line.get("outcome") == "error"} >= {"reminders"}
    last = json.loads(rest.strip().splitlines()[-1])
    assert last["message"] == "worker stopped" and last["level"] == "INFO"
