"""``make load``: gunicorn on the bench data, N simulated board members, then a check that every
write acknowledged to a client is stored exactly once.

The database (a temporary SQLite file, or ``--database-url``) is migrated and filled by the
bench generator (``--size``, default ``national-large``: 60 board members); gunicorn serves it (``--workers`` x ``--threads``,
default 2 x 4) on a free local port. Each simulated member signs in, then for ``--seconds``
reads (the home page, the meetings, a draft with many comments), comments on it, replies to a
comment, answers the meeting invitation and signs off in the open validation round, with a
short pause between steps. Every comment, reply and statement carries a unique marker; a write
counts as acknowledged when the server answered it with a redirect (what the browser shows as
success). At the end the database is read: each acknowledged marker must be stored exactly once
(an unacknowledged one at most once).

Prints the requests, the errors by kind, p50/p95/p99 per kind of request and the throughput;
exits 1 on any error or any lost or doubled write. Login throttling is switched off for the
run (50 people signing in from one address would otherwise be throttled, as they should be).

    python -m bench.load [--users 50] [--seconds 60] [--size national-large]
                         [--database-url postgresql+psycopg:///mab_load]
"""
import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Member:
    """One simulated person: a cookie jar and the figures of their requests."""

    def __init__(self, base: str, email: str, password: str, log):
        self.base, self.email, self.password, self.log = base, email, password, log
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def request(self, kind: str, path: str, data: dict | None = None, *,
                location: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(f"{self.base}{path}", data=body, timeout=60) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
            if location is not None and error.headers.get("Location"):
                location["url"] = urllib.parse.urlsplit(
                    urllib.parse.urljoin(self.base + path, error.headers["Location"]))._replace(
                    scheme="", netloc="").geturl()
        except OSError as error:   # refused, reset, timed out
            status, text = 0, type(error).__name__
        self.log(kind, status, time.perf_counter() - started)
        return status, text

    def form_post(self, kind: str, page: str, action: str, fields: dict) -> bool:
        """POST ``fields`` to ``action`` with the CSRF token of ``page``'s HTML. Done (True)
        when the server redirects to a page that says so, as a person would see it."""
        token = CSRF.search(page)
        if token is None:
            return False
        location = {}
        status, _text = self.request(kind, action, {"csrf_token": unescape(token.group(1)),
                                                    **fields}, location=location)
        if status != 302:
            return False
        status, text = self.request("GET after a write", location["url"])
        return status == 200 and "flash--success" in text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(size: str, url: str, upload_folder: str) -> dict:
    """Migrate and fill the database; return what the simulated members need."""
    from datetime import UTC, datetime

    from sqlalchemy import exists, func, select

    from bench.generate import PASSWORD, generate
    from bench.run import fresh_schema, make_app
    from mab.assessments.models import Membership, Role
    from mab.auth.models import User
    from mab.comments.models import Comment
    from mab.drafts.models import Circulation, Draft, DraftVersion
    from mab.extensions import db
    from mab.meetings.models import Invitation
    from mab.validation.models import ValidationRound

    app = make_app(url, upload_folder)
    with app.app_context():
        fresh_schema()
        dataset = generate(size)
        # The draft to comment on: the latest version of a draft, circulated, still open for
        # comments (its deadline ahead, no validation round on it), most commented first.
        today = datetime.now(UTC).date()
        open_versions = db.session.execute(
            select(DraftVersion.draft_id, DraftVersion.number, func.count(Comment.id))
            .join(Circulation, Circulation.version_id == DraftVersion.id)
            .join(Draft, Draft.id == DraftVersion.draft_id)
            .outerjoin(Comment, Comment.version_id == DraftVersion.id)
            .where(Draft.assessment_id == dataset.assessment_id, Circulation.deadline >= today,
                   ~exists().where(ValidationRound.version_id == DraftVersion.id))
            .group_by(DraftVersion.draft_id, DraftVersion.number)
            .order_by(func.count(Comment.id).desc(), DraftVersion.draft_id)).first()
        if open_versions is None:
            raise SystemExit(f"load: the {size} data has no draft open for comments")
        draft_id, version, _comments = open_versions
        members = db.session.execute(
            select(User.email, Membership.id).join(Membership.user)
            .where(Membership.assessment_id == dataset.assessment_id,
                   Membership.role == Role.BOARD_MEMBER, User.active.is_(True),
                   User.password_hash.is_not(None))
            .order_by(Membership.id)).all()
        invitations = dict(db.session.execute(
            select(Invitation.membership_id, Invitation.meeting_id)
            .where(Invitation.membership_id.in_([m for _e, m in members]))).all())
        round_ = db.session.get(ValidationRound, dataset.ids["open_round_id"])
        db.session.remove()
        db.engine.dispose()
    return {"slug": dataset.slug, "draft_id": draft_id, "version": version,
            "password": PASSWORD, "members": [(e, invitations.get(m)) for e, m in members],
            "round_id": round_.id if round_ else None}


def simulate(member: Member, plan: dict, meeting_id, until: float, acknowledged: list,
             sent: list) -> None:
    slug, rnd = plan["slug"], random.Random(member.email)
    a = f"/a/{slug}"
    status, page = member.request("GET /login", "/login")
    token = CSRF.search(page)
    status, _text = member.request("POST /login", "/login", {
        "csrf_token": unescape(token.group(1)) if token else "",
        "email": member.email, "password": member.password})
    if status != 302:
        return
    version_path = f"{a}/drafts/{plan['draft_id']}/v/{plan['version']}"
    signed = False
    while time.monotonic() < until:
        step = rnd.random()
        if step < 0.35:
            member.request("GET home", f"{a}/")
            member.request("GET meetings", f"{a}/meetings")
        elif step < 0.6:
            member.request("GET draft version", version_path)
        elif step < 0.75:
            status, page = member.request("GET draft version", version_path)
            marker = f"load-{uuid.uuid4().hex}"
            action = f"{version_path}/comments"
            if action in page:
                sent.append(marker)
                if member.form_post("POST comment", page, action,
                                    {"block_id": "", "quote": "",
                                     "body": f"A load-test comment ({marker})."}):
                    acknowledged.append(marker)
        elif step < 0.85:
            status, page = member.request("GET draft version", version_path)
            replies = re.findall(rf'action="({a}/comments/\d+/replies)"', page)
            if replies:
                marker = f"load-{uuid.uuid4().hex}"
                sent.append(marker)
                if member.form_post("POST reply", page, rnd.choice(replies),
                                    {"body": f"A load-test reply ({marker})."}):
                    acknowledged.append(marker)
        elif step < 0.93 and meeting_id:
            path = f"{a}/meetings/{meeting_id}"
            status, page = member.request("GET meeting", path)
            member.form_post("POST rsvp", page, f"{path}/rsvp",
                             {"answer": rnd.choice(["yes", "no", "maybe"])})
        elif plan["round_id"] and not signed:
            path = f"{a}/validation/{plan['round_id']}"
            status, page = member.request("GET round", path)
            sha = re.search(r'name="sha256"[^>]*value="([0-9a-f]{64})"', page)
            if sha and f"{path}/sign" in page:
                marker = f"load-{uuid.uuid4().hex}"
                sent.append(marker)
                if member.form_post("POST sign-off", page, f"{path}/sign",
                                    {"decision": "endorse", "confirm": "y",
                                     "sha256": sha.group(1), "replaces": "",
                                     "statement": f"Load test ({marker})."}):
                    acknowledged.append(marker)
                signed = True
        time.sleep(rnd.uniform(0.05, 0.3))


def stored_markers(url: str, upload_folder: str) -> Counter:
    from sqlalchemy import select

    from bench.run import make_app
    from mab.comments.models import Comment
    from mab.extensions import db
    from mab.validation.models import SignOff

    app = make_app(url, upload_folder)
    found = Counter()
    with app.app_context():
        for text in db.session.scalars(select(Comment.body).where(Comment.body.like("%load-%"))):
            found.update(re.findall(r"load-[0-9a-f]{32}", text))
        for text in db.session.scalars(select(SignOff.statement)
                                       .where(SignOff.statement.like("%load-%"))):
            found.update(re.findall(r"load-[0-9a-f]{32}", text))
        db.session.remove()
        db.engine.dispose()
    return found


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--size", default="national-large",
                        help="bench data size (small has 11 members who can sign in)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", help="a throwaway database (its MAB tables are dropped)")
    args = parser.parse_args(argv)
    from bench.run import normalise_url

    with tempfile.TemporaryDirectory(prefix="mab-load-") as workdir:
        url = normalise_url(args.database_url) if args.database_url else \
            f"sqlite:///{Path(workdir) / 'load.sqlite'}"
        uploads = str(Path(workdir) / "uploads")
        print(f"load: preparing the {args.size} data ...", flush=True)
        plan = prepare(args.size, url, uploads)
        people = plan["members"][:args.users]
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load-test-" + uuid.uuid4().hex,
               "UPLOAD_FOLDER": uploads, "MAB_INSTANCE_PATH": workdir, "RATELIMIT_ENABLED": "0",
               "LOG_LEVEL": "WARNING", "BASE_URL": f"http://127.0.0.1:{port}"}
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(args.workers), "--threads",
             str(args.threads), "-b", f"127.0.0.1:{port}", "--timeout", "120", "mab.wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                print("load: gunicorn did not start", file=sys.stderr)
                return 1
            figures: dict[str, list[tuple[int, float]]] = defaultdict(list)
            lock = threading.Lock()

            def log(kind, status, seconds):
                with lock:
                    figures[kind].append((status, seconds))

            acknowledged, sent = [], []
            print(f"load: {len(people)} members for {args.seconds:.0f} s against gunicorn "
                  f"{args.workers} workers x {args.threads} threads ...", flush=True)
            started = time.monotonic()
            until = started + args.seconds
            threads = [threading.Thread(target=simulate, args=(
                Member(f"http://127.0.0.1:{port}", email, plan["password"], log), plan,
                meeting, until, acknowledged, sent)) for email, meeting in people]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        stored = stored_markers(url, uploads)
        if args.database_url:
            from bench.run import drop_schema, make_app
            app = make_app(url, uploads)
            with app.app_context():
                drop_schema()

    args.users = len(people)
    return report(figures, elapsed, acknowledged, sent, stored, args, url)


def report(figures, elapsed, acknowledged, sent, stored, args, url) -> int:
    every = [item for items in figures.values() for item in items]
    errors = Counter()
    print()
    print("| request | count | errors | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in sorted(figures):
        items = figures[kind]
        times = [s * 1000 for _st, s in items]
        bad = [st for st, _s in items if st == 0 or st >= 500 or st in (400, 403, 404)]
        for status in bad:
            errors[f"{kind}: {status or 'no answer'}"] += 1
        print(f"| {kind} | {len(items)} | {len(bad)} | {statistics.median(times):.0f} | "
              f"{percentile(times, 95):.0f} | {percentile(times, 99):.0f} |")
    times = [s * 1000 for _st, s in every]
    print(f"| all | {len(every)} | {sum(errors.values())} | {statistics.median(times):.0f} | "
          f"{percentile(times, 95):.0f} | {percentile(times, 99):.0f} |")
    lost = [m for m in acknowledged if stored[m] == 0]
    doubled = [m for m in sent if stored[m] > 1]
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\n{database}, {args.size} data, {args.users} members, {elapsed:.0f} s: "
          f"{len(every)} requests, {len(every) / elapsed:.1f} requests/s; "
          f"{len(acknowledged)} writes acknowledged, {len(lost)} lost, {len(doubled)} stored twice.")
    for kind, count in errors.most_common():
        print(f"error: {kind} x {count}")
    return 1 if errors or lost or doubled else 0


if __name__ == "__main__":
    sys.exit(main())
