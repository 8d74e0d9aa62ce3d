"""``flask mab ...``: administration commands, all safe to run twice."""
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from mab import worker as worker_jobs
from mab.errors import DomainError
from mab.extensions import db

cli = AppGroup("mab", help="MAB administration commands.")


def _link_context():
    """Commands run outside a request, but mail links are built with ``url_for`` (BASE_URL +
    path): give them a request context to build paths in."""
    return current_app.test_request_context("/")


@cli.command("create-admin")
@click.option("--email", required=True, help="The administrator's email address.")
@click.option("--name", default="Site administrator", show_default=True)
@click.option("--password", envvar="MAB_ADMIN_PASSWORD", prompt=True, hide_input=True,
              confirmation_prompt=True, help="Or set MAB_ADMIN_PASSWORD.")
def create_admin(email, name, password):
    """Create a site administrator, or make an existing account one."""
    from mab.auth.services import create_admin as create

    try:
        user, created = create(email, name, password)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"{'Created' if created else 'Updated'} site administrator {user.email}.")


@cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no users yet.")
def seed_demo(if_empty):
    """Load the demo assessment (kz-2022) and its demo accounts."""
    from mab.auth.models import User
    from mab.demo import DEMO_PASSWORD, seed

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo accounts are never created in production.")
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database has data already; demo not loaded.")
        return
    created, accounts = seed()
    db.session.commit()
    click.echo("Demo data loaded." if created else "Demo data was there already.")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, label in accounts:
        click.echo(f"  {email:<28} {label}")


@cli.command("rerender-markdown")
@click.option("--only-empty", is_flag=True,
              help="Only comments whose HTML is not stored yet (saved before it was kept).")
def rerender_markdown(only_empty):
    """Render the Markdown of every comment and response again and store the HTML: after an
    upgrade that changes the renderer (mab/markdown.py), or to fill rows saved before it was
    stored. Pages show the stored HTML; a row without it is rendered on each view."""
    from mab.comments.services import rerender_batch

    changed, last = 0, 0
    while (batch := rerender_batch(last, only_empty=only_empty)) is not None:
        db.session.commit()   # one batch at a time: a large install is not held in one transaction
        last, changed = batch[0], changed + batch[1]
    click.echo(f"Comments stored with newly rendered HTML: {changed}.")


@cli.command("send-outbox")
@click.option("--limit", default=200, show_default=True, help="At most this many messages.")
def send_outbox(limit):
    """Deliver the messages that are due, by SMTP, with retries and backoff."""
    from mab.notify.services import deliver_outbox

    counts = deliver_outbox(limit=limit)
    if "unsent_no_server" in counts:
        click.echo(f"MAIL_SERVER is not set: {counts['unsent_no_server']} message(s) wait in the "
                   "outbox (see /outbox).")
        return
    click.echo(f"sent {counts['sent']}, failed {counts['failed']} (will retry), "
               f"gave up {counts['gave_up']}")


@cli.command("import-indicators")
@click.argument("csv_file", type=click.File("rb"))
@click.option("--framework", "key", default="roamx-2018", show_default=True,
              help="The key of a shared framework.")
@click.option("--attribution", default="", help="Source and licence shown on the catalogue page "
              "(the current one is kept if empty).")
def import_indicators(csv_file, key, attribution):
    """Import questions and indicators into a shared framework (the site admin's).

    Every assessment that uses the framework sees the change; assessments that made their own
    copy keep it. Coordinators import from their catalogue page, into their own copy.
    """
    from mab.framework import csvio, services

    try:
        framework = services.shared_framework(key)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    rows, errors = csvio.parse_indicators(csv_file.read(),
                                          themes=services.theme_categories(framework))
    if errors:
        db.session.rollback()
        for error in errors:
            click.echo(f"line {error.line}: {error.message}" if error.line else error.message,
                       err=True)
        raise click.ClickException("Nothing was imported: please correct the file.")
    counts = services.import_indicators(framework, rows, attribution=attribution, actor=None,
                                        assessment=None)
    db.session.commit()
    click.echo(f"{framework.key}: {counts['added']} new indicator(s), {counts['updated']} "
               "updated.")


@cli.command("verify-audit")
@click.option("--expect", "expect", metavar="HEAD",
              help="A head hash printed earlier (certificate, annex, anchor): the chain must "
                   "still hold it, so that removing the newest events is detected.")
@click.option("--anchor", "anchor_file", type=click.File("rb"),
              help="A signed audit anchor downloaded from the audit page.")
def verify_audit(expect, anchor_file):
    """Recompute the audit hash chain; exit 1 and name the first broken link if any."""
    from mab.audit.anchor import AnchorError, load_anchor
    from mab.audit.services import chain_head, check_against, position_of, verify_chain

    broken = verify_chain()
    if broken is not None:
        click.echo(f"Audit chain broken at event {broken.event_id} (position {broken.position}): "
                   f"{broken.reason}", err=True)
        sys.exit(1)
    head = chain_head()
    if expect:
        position = position_of(expect.strip().lower())
        if position is None:
            click.echo(f"Audit chain does not hold the expected head {expect}: events were "
                       f"removed after it (the chain now ends at event {head.count}, "
                       f"{head.head}).", err=True)
            sys.exit(1)
        click.echo(f"Expected head found at event {position} of {head.count}.")
    if anchor_file is not None:
        try:
            anchor = load_anchor(anchor_file.read(), current_app.config["SECRET_KEY"])
        except AnchorError as error:
            click.echo(f"Anchor not accepted: {error}.", err=True)
            sys.exit(1)
        result = check_against(anchor)
        if not result.ok:
            what = (f"{result.missing} of its {anchor.count} events are missing"
                    if result.missing else f"event {anchor.count} is no longer {anchor.head}")
            click.echo(f"Audit chain does not match the anchor of {anchor.at:%Y-%m-%d %H:%M} "
                       f"UTC: {what}.", err=True)
            sys.exit(1)
        click.echo(f"Anchor of {anchor.at:%Y-%m-%d %H:%M} UTC matches (event {anchor.count}).")
    click.echo(f"Audit chain intact: {head.count} events, head {head.head}.")


@cli.command("send-reminders")
@click.option("--days", default="7,1", show_default=True,
              help="Remind pending invitees this many days before (comma-separated).")
def send_reminders(days):
    """Queue reminders for pending invitees; never twice for the same meeting and offset."""
    from mab.meetings.services import send_due_reminders

    try:
        offsets = sorted({int(d) for d in days.split(",") if d.strip()})
    except ValueError as error:
        raise click.BadParameter("use whole numbers of days, e.g. 7,1") from error
    with _link_context():
        sent = send_due_reminders(offsets)
    db.session.commit()
    click.echo(f"{sent} reminder(s) queued in the outbox.")


@cli.command("send-digests")
def send_digests():
    """Queue one email per person with the comments, replies and responses not yet sent.

    Run daily (cron); idempotent: a notice is sent once, then marked sent.
    """
    from mab.comments.services import send_digests as queue_digests

    with _link_context():
        count = queue_digests()
    db.session.commit()
    click.echo(f"{count} digest(s) queued in the outbox.")


@cli.command("worker")
@click.option("--interval", default=60, show_default=True, type=click.IntRange(min=1),
              help="Seconds between passes; the outbox is delivered on every pass.")
@click.option("--once", is_flag=True,
              help="Run the jobs one time each and exit (for systemd timers or cron); "
                   "exit status 1 if one failed.")
@click.option("--job", "only", multiple=True, type=click.Choice(worker_jobs.JOB_NAMES),
              help="Run only this job (repeatable); default: all three.")
@click.option("--limit", default=200, show_default=True,
              help="At most this many messages per outbox run.")
@click.option("--reminder-days", default="7,1", show_default=True,
              help="Remind pending invitees this many days before (comma-separated).")
@click.option("--reminders-every", default=3600, show_default=True,
              type=click.IntRange(min=1), help="Seconds between reminder runs.")
@click.option("--digest-at", default="07:00", show_default=True,
              help="Time of day (UTC) of the daily comment digests.")
def worker(interval, once, only, limit, reminder_days, reminders_every, digest_at):
    """Deliver the outbox, queue reminders and daily digests, on a schedule, until stopped.

    Logs one line per job run; an error in one run is logged and the worker goes on. SIGTERM or
    SIGINT lets the running job finish, then exits.
    """
    import signal
    import threading

    try:
        days = worker_jobs.parse_days(reminder_days)
    except ValueError as error:
        raise click.BadParameter("use whole numbers of days, e.g. 7,1",
                                 param_hint="--reminder-days") from error
    try:
        at = worker_jobs.parse_time_of_day(digest_at)
    except ValueError as error:
        raise click.BadParameter("use HH:MM, e.g. 07:00", param_hint="--digest-at") from error
    jobs = worker_jobs.default_jobs(limit=limit, reminder_days=days,
                                    reminders_every=reminders_every, digest_at=at)
    chosen = [jobs[name] for name in worker_jobs.JOB_NAMES if not only or name in only]
    if once:
        sys.exit(0 if worker_jobs.run_once(chosen) else 1)

    stop = threading.Event()

    def _stop(signum, frame):
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop)
    worker_jobs.run_forever(chosen, interval, stop)
