"""``make bench``: SQL queries and median server time of each page, at every size of SIZES.

For each size: a fresh database (a temporary SQLite file, or ``--database-url``) migrated with
the real migrations, the generator's data, then every page of PAGES requested with the Flask
test client as the coordinator (or the user a page names: the researcher who owns the draft with
the most comments, a board member who commented on it): the SQL statements of each request are
counted and the median of ``--repeat`` timed requests per page (after ``--warmup`` untimed ones)
is kept; pages are requested in rounds, one request per page each round. The floor is a bare
route rendering the base layout, so "× floor" says how much a page costs beyond any page at all.

Each timed request reads the body whole (a streamed export is produced while it is read), so a
page's time is its whole answer; the streamed exports (``target_ms``: the matrix CSV, its print
view of all rows, the annex ZIP) also get their time to the first byte and, from one more
request under tracemalloc, their peak memory.

A page that answers anything but a 200 (a 404 while its route is still being written) or raises
is not measured: it is named on stderr and in the table (its status, or "error"), the other pages
are measured, and the run exits 1 at the end. ``--pages WORD ...`` measures only the pages whose
name or path contains one of the words (and the floor), e.g. ``--pages evidence recommendations``.

Prints Markdown tables, writes bench-results/bench.json, and exits 1 when a page that must not
grow with the data (``same_queries``: the registry, the dashboard, the drafts, the comments, ...)
makes a different number of queries at two sizes (a query per row has crept in), or when a
streamed export misses its limit: ``target_ms`` at national-large, and at xl at most 8x its
national-large time and never over 10 s.

Sizes: small and national-large by default; ``--sizes small national-large xl`` adds xl (300
members, 150,000 comments, 1,500 drafts, in one database with the small and national-large
assessments, so an unscoped query pays for them), which takes several minutes to make.
``--sizes small national-large national-large-3`` adds national-large in three languages
(issue 18): the same data, every version with a Kazakh and an English edition, comments written
in each language; then every page must make as many queries as at national-large and take at
most EDITIONS_FACTOR (1.5) times its time there (the process's CPU time on SQLite; on
PostgreSQL the elapsed time too: ``editions_checks``), or exit 1.

    python -m bench.run [--database-url postgresql+psycopg:///mab_bench] [--repeat 15]

``--database-url`` points at a throwaway database: its MAB tables are dropped before and after.
"""
import argparse
import gc
import json
import logging
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from flask import render_template_string
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bench.generate import COMPANIONS, DEFAULT_SIZES, SIZES, generate
from mab.config import TestConfig
from mab import create_app
from mab.auth.models import User
from mab.auth.sessions import start_session
from mab.extensions import db

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "bench-results" / "bench.json"
FLOOR_PATH = "/_bench/floor"
FLOOR_TEMPLATE = ('{% extends "base.html" %}{% block title %}Floor{% endblock %}'
                  '{% block content %}<h1>Floor</h1>{% endblock %}')


@dataclass(frozen=True)
class Page:
    name: str
    path: str                    # placeholders: {slug} and the ids the generator's steps return
    same_queries: bool = False   # must make as many SQL queries at every size
    max_queries: int | None = None   # or: never more than this many, at any size
    user: str = "coordinator_id"   # who is signed in: a user id the generator returns ("": no one)
    target_ms: float | None = None   # a streamed export's limit at national-large (issue 17)


# Every measured page, in one place: a later feature appends its own.
PAGES = [
    Page("floor (base layout)", FLOOR_PATH),
    Page("home", "/a/{slug}/"),
    Page("people", "/a/{slug}/people", same_queries=True),
    Page("registry", "/a/{slug}/board", same_queries=True),
    Page("registry, by group, active", "/a/{slug}/board?sort=group&status=active"),
    Page("member", "/a/{slug}/board/{member_id}"),
    Page("dashboard", "/a/{slug}/balance", same_queries=True),
    Page("dashboard, projection", "/a/{slug}/balance?projection=y"),
    Page("registry CSV", "/a/{slug}/board.csv"),
    Page("dashboard CSV", "/a/{slug}/balance.csv"),
    Page("groups", "/a/{slug}/groups"),
    Page("policy", "/a/{slug}/policy"),
    Page("outbox", "/outbox"),
    Page("meetings", "/a/{slug}/meetings", same_queries=True),
    Page("meeting (coordinator)", "/a/{slug}/meetings/{meeting_id}", same_queries=True),
    Page("roll call", "/a/{slug}/meetings/{meeting_id}/attendance", same_queries=True),
    Page("meeting .ics", "/a/{slug}/meetings/{meeting_id}.ics"),
    Page("attendance CSV", "/a/{slug}/meetings/{meeting_id}/attendance.csv"),
    Page("indicator catalogue", "/a/{slug}/framework", same_queries=True),
    Page("drafts", "/a/{slug}/drafts", same_queries=True),
    Page("draft (5,000 words)", "/a/{slug}/drafts/{draft_id}", same_queries=True),
    Page("version 1 (5,000 words)", "/a/{slug}/drafts/{draft_id}/v/1"),
    Page("diff of two 5,000-word versions", "/a/{slug}/drafts/{draft_id}/diff?a=1&b=2",
         same_queries=True),
    # Comments: the draft with the most (500 at national-large, 20,000 in the assessment).
    Page("draft with 500 comments (researcher)", "/a/{slug}/drafts/{comments_draft_id}",
         same_queries=True, user="researcher_user_id"),
    Page("its version 1 (researcher)", "/a/{slug}/drafts/{comments_draft_id}/v/1",
         same_queries=True, user="researcher_user_id"),
    Page("draft with 500 comments (board member)", "/a/{slug}/drafts/{comments_draft_id}",
         same_queries=True, user="board_user_id"),
    Page("its version 1 (board member)", "/a/{slug}/drafts/{comments_draft_id}/v/1",
         same_queries=True, user="board_user_id"),
    Page("comment matrix", "/a/{slug}/comments", same_queries=True),
    Page("comment matrix, open", "/a/{slug}/comments?disposition=open", same_queries=True),
    Page("comment matrix CSV", "/a/{slug}/comments.csv", same_queries=True, target_ms=500),
    Page("comment matrix of a draft, print", "/a/{slug}/comments?print=1&draft={comments_draft_id}",
         same_queries=True),
    Page("comment matrix, print of all rows", "/a/{slug}/comments?print=1", same_queries=True,
         target_ms=2000),
    Page("participation", "/a/{slug}/participation", same_queries=True),
    Page("validation rounds", "/a/{slug}/validation", same_queries=True),
    Page("open round (coordinator)", "/a/{slug}/validation/{open_round_id}", same_queries=True),
    Page("closed round", "/a/{slug}/validation/{closed_round_id}", same_queries=True),
    Page("certificate", "/a/{slug}/validation/{closed_round_id}/certificate", same_queries=True),
    # One query per kind of record named on the page (at most nine kinds: drafts, versions,
    # rounds, comments, meetings, members, users, groups, frameworks), none for a kind absent:
    # bounded, but not the same count at every size.
    Page("audit log", "/a/{slug}/audit", max_queries=14),
    Page("annex", "/a/{slug}/annex", same_queries=True),
    Page("annex ZIP", "/a/{slug}/annex.zip", same_queries=True, target_ms=1000),
    # Editions (issue 18), on the draft with the most comments: its working version's Kazakh
    # edition for the translator, its last circulated one read in Kazakh by a board member.
    Page("translations", "/a/{slug}/translations", same_queries=True),
    Page("a version's editions",
         "/a/{slug}/drafts/{comments_draft_id}/v/{latest_version}/translations",
         same_queries=True),
    Page("side-by-side editor of its Kazakh edition",
         "/a/{slug}/drafts/{comments_draft_id}/v/{latest_version}/translate/{edition_language}",
         same_queries=True),
    Page("its Kazakh edition, XLIFF",
         "/a/{slug}/drafts/{comments_draft_id}/v/{latest_version}/translate/"
         "{edition_language}.xlf", same_queries=True),
    Page("its version in Kazakh (board member)",
         "/a/{slug}/drafts/{comments_draft_id}/v/{circulated_version}?edition={edition_language}",
         same_queries=True, user="board_user_id"),
    Page("its version in Kazakh beside the Russian (board member)",
         "/a/{slug}/drafts/{comments_draft_id}/v/{circulated_version}"
         "?edition={edition_language}&side=ru", same_queries=True, user="board_user_id"),
    # Evidence and recommendations (issue 19): 5 sources behind each of 303 indicators, and 150
    # validated recommendations with 5 follow-up updates each, at national-large.
    Page("coverage dashboard", "/a/{slug}/evidence", same_queries=True),
    Page("coverage CSV", "/a/{slug}/evidence.csv", same_queries=True),
    Page("data gaps CSV", "/a/{slug}/evidence-gaps.csv", same_queries=True),
    Page("sources", "/a/{slug}/sources", same_queries=True),
    Page("a source", "/a/{slug}/sources/{source_id}", same_queries=True),
    Page("evidence of an indicator", "/a/{slug}/framework/{evidence_item_id}/evidence",
         same_queries=True),
    Page("recommendations register", "/a/{slug}/recommendations", same_queries=True),
    Page("recommendations register (board member)", "/a/{slug}/recommendations",
         same_queries=True, user="board_user_id"),
    Page("recommendations CSV", "/a/{slug}/recommendations.csv", same_queries=True),
    Page("validation workshop's recommendations",
         "/a/{slug}/meetings/{workshop_id}/recommendations", same_queries=True),
    Page("follow-up dashboard", "/a/{slug}/recommendations/follow-up", same_queries=True),
    Page("annual follow-up report", "/a/{slug}/recommendations/follow-up/{follow_up_year}",
         same_queries=True),
    Page("annual follow-up report CSV",
         "/a/{slug}/recommendations/follow-up/{follow_up_year}.csv", same_queries=True),
    # The assembled report (issue 20): every validated finding, the recommendations, the
    # references, the gaps and the annex, under 2 s at national-large.
    Page("assembled report", "/a/{slug}/report", same_queries=True, target_ms=2000),
    Page("report as Word (DOCX)", "/a/{slug}/report.docx", same_queries=True, target_ms=10_000),
    Page("report's open data ZIP", "/a/{slug}/report-data.zip", same_queries=True),
    # The public site (issue 20 item 4): release 1 of the report (bench.generate.publish_report),
    # read by a visitor who has not signed in.
    Page("public report", "/p/{slug}/", same_queries=True, user=""),
    Page("public recommendations", "/p/{slug}/recommendations", same_queries=True, user=""),
]

# The streamed exports' limits (issue 17): each page's target_ms at TARGET_SIZE; at LARGE_SIZE
# at most GROWTH times its TARGET_SIZE time and never over CEILING_MS.
TARGET_SIZE, LARGE_SIZE, GROWTH, CEILING_MS = "national-large", "xl", 8, 10_000


# Three languages (issue 18): at EDITIONS_SIZE (ONE_LANGUAGE_SIZE's data plus a Kazakh and an
# English edition of every version) every page makes as many queries as at ONE_LANGUAGE_SIZE
# and takes at most EDITIONS_FACTOR times its time; a page under EDITIONS_FLOOR_MS there may
# take EDITIONS_ALLOWANCE_MS more instead (a millisecond of noise is not 1.5x on a 3 ms page).
EDITIONS_SIZE, ONE_LANGUAGE_SIZE = "national-large-3", "national-large"
EDITIONS_FACTOR, EDITIONS_FLOOR_MS, EDITIONS_ALLOWANCE_MS = 1.5, 20, 10

USERS = {"coordinator_id": "coordinator", "researcher_user_id": "researcher",
         "board_user_id": "board member", "": "anonymous visitor"}


def shown(path: str) -> str:
    return re.sub(r"\{(\w+)\}", r"<\1>", path)


def shown_page(page: Page) -> str:
    """The path, and who asks for it when it is not the coordinator."""
    who = "" if page.user == "coordinator_id" else f" as {USERS.get(page.user, page.user)}"
    return f"`{shown(page.path)}`{who}"


def normalise_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_app(url: str, upload_folder: str):
    class BenchConfig(TestConfig):   # TESTING: errors propagate; CSRF and rate limits off
        SQLALCHEMY_DATABASE_URI = url
        UPLOAD_FOLDER = upload_folder

    app = create_app(BenchConfig)
    app.add_url_rule(FLOOR_PATH, "bench_floor", lambda: render_template_string(FLOOR_TEMPLATE))
    return app


def drop_schema() -> None:
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def fresh_schema() -> None:
    drop_schema()
    logging.disable(logging.INFO)   # alembic's "Running upgrade ..." lines
    try:
        upgrade()
    finally:
        logging.disable(logging.NOTSET)


class QueryCounter:
    def __init__(self, engine):
        self.count, self.on = 0, False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        if self.on:
            self.count += 1


class PageFailed(Exception):
    """A page did not answer 200: ``status`` (404: its route does not exist yet, or no object
    has the id it names; 403, 302, 500, ...) and the start of its body."""

    def __init__(self, status: int, body: str):
        super().__init__(f"answered {status}")
        self.status, self.body = status, body


def timed_get(client, counter: QueryCounter, path: str,
              size: str) -> tuple[float, int, int, float, float]:
    """(seconds, SQL statements, body bytes, CPU seconds, seconds to the first byte) of one GET,
    the body read whole as a browser would (a streamed response is produced while it is read);
    anything but a 200 raises PageFailed (``measure`` reports the page as not measured and goes
    on with the others). The CPU time of the process (the test client, the app and
    SQLite all run in it) stays the same when other programs keep the machine busy; the
    elapsed time does not."""
    counter.count, counter.on = 0, True
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, buffered=False)
    first, size_read, body = None, 0, []
    try:
        for chunk in response.response:
            if chunk and first is None:
                first = time.perf_counter() - start
            size_read += len(chunk)
            if response.status_code != 200:
                body.append(chunk)
    finally:
        response.close()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    counter.on = False
    if response.status_code != 200:
        raise PageFailed(response.status_code, b''.join(body)[:500].decode(errors='replace'))
    return elapsed, counter.count, size_read, cpu, first if first is not None else elapsed


def peak_memory(client, path: str) -> int:
    """The most memory (bytes, Python's allocations) one GET held at once, its body read whole;
    measured apart, as tracing slows everything down."""
    tracemalloc.start()
    try:
        response = client.get(path, buffered=False)
        for _chunk in response.response:
            pass
        response.close()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(app, dataset, pages, *, warmup: int, repeat: int) -> dict:
    """{page name: figures} for one size; the app context of the generator is closed by now."""
    with app.app_context():
        counter = QueryCounter(db.engine)
        logins = {key: start_session(db.session.get(User, dataset.ids[key])).token
                  for key in {page.user for page in pages} if key}
        db.session.commit()
    clients = {"": app.test_client()}   # no one signed in (the public site)
    for key, login_id in logins.items():
        clients[key] = app.test_client()
        with clients[key].session_transaction() as session:   # as in tests/conftest.py
            session["_user_id"] = login_id
            session["_fresh"] = True
    paths = {page.name: page.path.format(slug=dataset.slug, **dataset.ids) for page in pages}
    # Pages that answered anything but a 200 or raised (a page still being written): why, in
    # a few words; they are not requested again and the run fails at the end (checks), but the
    # other pages are measured.
    failures: dict[str, str] = {}

    def get(page):
        try:
            return timed_get(clients[page.user], counter, paths[page.name], dataset.size)
        except PageFailed as failure:
            failures[page.name] = str(failure.status)
            detail = failure.body.strip().splitlines()[:3] if failure.status != 404 else []
            print(f"bench: {dataset.size}: GET {paths[page.name]} ({page.name}) answered "
                  f"{failure.status}, not 200; not measured." + "".join(
                      f"\n    {line}" for line in detail), file=sys.stderr, flush=True)
        except Exception as error:   # TESTING: the app's exceptions reach the client
            counter.on = False
            failures[page.name] = "error"
            print(f"bench: {dataset.size}: GET {paths[page.name]} ({page.name}) raised "
                  f"{type(error).__name__}: {error}; not measured.", file=sys.stderr, flush=True)
            with app.app_context():
                db.session.remove()
        return None

    # Round robin: warm-up rounds over every page, then timed rounds, so a burst of load on the
    # machine spreads over all pages instead of landing on one page's requests.
    for _ in range(warmup):
        for page in pages:
            if page.name not in failures:
                get(page)
    # As mab.wsgi does in each gunicorn worker: what is alive now (the app, its modules, its
    # caches) is set aside from the collector, so a full collection during a large export does
    # not walk all of it again (without this a matrix CSV took 0.38 or 0.47 s, depending on
    # whether one fell inside it).
    gc.collect()
    gc.freeze()
    samples = {page.name: [] for page in pages}
    for _ in range(repeat):
        for page in pages:
            if page.name not in failures:
                sample = get(page)
                if sample is not None:
                    samples[page.name].append(sample)
    gc.unfreeze()
    results = {}
    for page in pages:
        if page.name in failures:
            results[page.name] = {"url": paths[page.name], "failed": failures[page.name]}
            continue
        times = [s[0] * 1000 for s in samples[page.name]]
        queries = sorted({s[1] for s in samples[page.name]})
        results[page.name] = {
            "url": paths[page.name], "queries": queries[-1],
            "median_ms": round(statistics.median(times), 2),
            "median_cpu_ms": round(statistics.median(s[3] * 1000 for s in samples[page.name]), 2),
            "min_ms": round(min(times), 2), "max_ms": round(max(times), 2),
            "first_byte_ms": round(statistics.median(s[4] * 1000 for s in samples[page.name]),
                                   2),
            "bytes": samples[page.name][-1][2],
            **({"queries_varied": queries} if len(queries) > 1 else {}),
        }
        if page.target_ms is not None:
            results[page.name]["peak_memory_kb"] = round(
                peak_memory(clients[page.user], paths[page.name]) / 1024)
    return results


def run_size(size: str, url: str | None, workdir: Path, *, warmup: int, repeat: int,
             pages: list[Page] | None = None) -> dict:
    url = url or f"sqlite:///{workdir / f'bench-{size}.sqlite'}"
    app = make_app(url, str(workdir / f"uploads-{size}"))
    started = time.perf_counter()
    with app.app_context():
        fresh_schema()
        for other in COMPANIONS.get(size, []):   # other assessments in the same database
            generate(other)
            db.session.remove()
        dataset = generate(size)
        db.session.remove()
    generated_s = time.perf_counter() - started
    try:
        results = measure(app, dataset, PAGES if pages is None else pages, warmup=warmup,
                          repeat=repeat)
    finally:
        with app.app_context():
            db.session.remove()
            drop_schema()
            db.engine.dispose()
    return {"dataset": dataset, "pages": results, "generate_s": round(generated_s, 2)}


def environment(url: str | None) -> dict:
    info = {
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": version("sqlalchemy"), "flask": version("flask"),
        "platform": platform.platform(), "cpus": os.cpu_count(),
        "database": make_url(url).render_as_string(hide_password=True) if url
        else "SQLite, a temporary file per size",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if url and url.startswith("postgresql"):
        from sqlalchemy import create_engine
        engine = create_engine(url)
        with engine.connect() as conn:
            info["postgresql"] = conn.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    return info


def selected(names: list[str] | None) -> list[Page]:
    """The floor and the pages whose name or path contains one of ``names`` (every page without
    names): ``--pages`` measures only these."""
    if not names:
        return list(PAGES)
    wanted = [n.lower() for n in names]
    return [PAGES[0]] + [p for p in PAGES[1:]
                         if any(n in p.name.lower() or n in p.path.lower() for n in wanted)]


def measured(sizes: list[str], runs: dict) -> list[Page]:
    """The pages of PAGES measured at every size (all but those ``--pages`` left out)."""
    return [p for p in PAGES if all(p.name in runs[s]["pages"] for s in sizes)]


def table(sizes: list[str], runs: dict) -> str:
    last = sizes[-1]
    floor = runs[last]["pages"][PAGES[0].name]["median_ms"]
    header = (["page"] + [f"queries {s}" for s in sizes] + [f"median ms {s}" for s in sizes]
              + [f"CPU ms {last}", f"× floor ({last})"])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for page in measured(sizes, runs):
        cells = [runs[s]["pages"][page.name] for s in sizes]
        last_cell = cells[-1]
        row = ([shown_page(page)] + [c["failed"] if failed(c) else str(c["queries"])
                                     for c in cells]
               + ["-" if failed(c) else f"{c['median_ms']:.1f}" for c in cells]
               + (["-", "-"] if failed(last_cell) else
                  [f"{last_cell['median_cpu_ms']:.1f}", f"{last_cell['median_ms'] / floor:.1f}"]))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def failed(figures: dict) -> bool:
    """The page was not measured at that size: it answered something else than a 200 (its
    status, "404" while its route does not exist yet) or raised ("error")."""
    return "failed" in figures


def failed_at(page: Page, sizes: list[str], runs: dict) -> dict[str, str]:
    """{size: "404" or another status or "error"} where the page was not measured."""
    return {s: runs[s]["pages"][page.name]["failed"] for s in sizes
            if failed(runs[s]["pages"][page.name])}


def fewest_queries(figures: dict) -> int:
    """The fewest queries a page made across its requests. A member's visit is recorded at most
    once a minute (mab.visits), so in a run that lasts minutes one request of a page may also
    make that write; a query per row would be in every request."""
    return min(figures.get("queries_varied", [figures["queries"]]))


def checks(sizes: list[str], runs: dict) -> list[dict]:
    found = []
    for page in measured(sizes, runs):
        failures = failed_at(page, sizes, runs)
        if failures:   # no figures to compare: the page fails until it answers at every size
            found.append({"page": page.name, "path": shown(page.path), "failed": failures,
                          "ok": False})
            continue
        counts = {s: runs[s]["pages"][page.name]["queries"] for s in sizes}
        if page.max_queries is not None:
            found.append({"page": page.name, "path": shown(page.path), "queries": counts,
                          "limit": page.max_queries,
                          "ok": max(counts.values()) <= page.max_queries})
        if not page.same_queries or len(sizes) < 2:
            continue
        fewest = {s: fewest_queries(runs[s]["pages"][page.name]) for s in sizes}
        found.append({"page": page.name, "path": shown(page.path), "queries": fewest,
                      "ok": len(set(fewest.values())) == 1})
    return found


def time_checks(sizes: list[str], runs: dict) -> list[dict]:
    """The streamed exports' limits: ``target_ms`` at TARGET_SIZE; at LARGE_SIZE at most GROWTH
    times that size's own time and never over CEILING_MS (medians of whole responses)."""
    found = []
    for page in measured(sizes, runs):
        if page.target_ms is None or failed_at(page, sizes, runs):
            continue
        if TARGET_SIZE in sizes:
            ms = runs[TARGET_SIZE]["pages"][page.name]["median_ms"]
            found.append({"page": page.name, "size": TARGET_SIZE, "median_ms": ms,
                          "limit_ms": page.target_ms, "ok": ms <= page.target_ms})
        if LARGE_SIZE in sizes:
            ms = runs[LARGE_SIZE]["pages"][page.name]["median_ms"]
            limit = CEILING_MS
            if TARGET_SIZE in sizes:
                limit = min(limit, GROWTH * runs[TARGET_SIZE]["pages"][page.name]["median_ms"])
            found.append({"page": page.name, "size": LARGE_SIZE, "median_ms": ms,
                          "limit_ms": round(limit, 1), "ok": ms <= limit})
    return found


def editions_checks(sizes: list[str], runs: dict, pages: list[Page] | None = None, *,
                    elapsed: bool = False) -> list[dict]:
    """Editions cost no query per row and little time: when both ONE_LANGUAGE_SIZE and
    EDITIONS_SIZE are measured, each page must make the same number of SQL queries at both,
    and its median time at EDITIONS_SIZE must be at most EDITIONS_FACTOR times its time at
    ONE_LANGUAGE_SIZE; a page under EDITIONS_FLOOR_MS at ONE_LANGUAGE_SIZE is allowed
    EDITIONS_ALLOWANCE_MS more instead, so noise on tiny pages does not fail it (the two
    limits meet at the floor: 20 ms x 1.5 = 20 ms + 10 ms). No check otherwise.

    The time compared is the median CPU time of the process when the results have it (the test
    client, the app and SQLite all run in it): the two sizes are measured minutes apart, and a
    machine busy during one of them makes every elapsed time there longer, which hides a page
    grown slower with editions or fails pages that did not change; the CPU time hardly moves.
    The elapsed time is compared too with ``elapsed`` (a database server's time is not in the
    process's CPU time: main sets it on PostgreSQL), or when there is no CPU time; otherwise it
    is only shown (``elapsed_in_time``). When a page's requests
    made different numbers of queries (a member's visit is noted at most once a minute, so a
    slow round adds a bookkeeping write to one request), the least is compared."""
    if ONE_LANGUAGE_SIZE not in sizes or EDITIONS_SIZE not in sizes:
        return []

    def limit_of(base: float) -> float:
        return base + EDITIONS_ALLOWANCE_MS if base < EDITIONS_FLOOR_MS \
            else EDITIONS_FACTOR * base

    queries = fewest_queries

    found = []
    for page in measured(sizes, runs) if pages is None else pages:
        one = runs[ONE_LANGUAGE_SIZE]["pages"][page.name]
        three = runs[EDITIONS_SIZE]["pages"][page.name]
        if failed(one) or failed(three):
            continue   # checks() reports it
        limit = limit_of(one["median_ms"])
        same = queries(one) == queries(three)
        elapsed_in_time = three["median_ms"] <= limit
        in_time = elapsed_in_time
        check = {"page": page.name, "path": shown(page.path),
                 "queries": {ONE_LANGUAGE_SIZE: queries(one), EDITIONS_SIZE: queries(three)},
                 "median_ms": {ONE_LANGUAGE_SIZE: one["median_ms"],
                               EDITIONS_SIZE: three["median_ms"]},
                 "limit_ms": round(limit, 2), "same_queries": same,
                 "elapsed_in_time": elapsed_in_time}
        if "median_cpu_ms" in one and "median_cpu_ms" in three:
            cpu_limit = limit_of(one["median_cpu_ms"])
            check.update(median_cpu_ms={ONE_LANGUAGE_SIZE: one["median_cpu_ms"],
                                        EDITIONS_SIZE: three["median_cpu_ms"]},
                         cpu_limit_ms=round(cpu_limit, 2))
            in_time = three["median_cpu_ms"] <= cpu_limit and (elapsed_in_time or not elapsed)
        check.update(in_time=in_time, ok=same and in_time)
        found.append(check)
    return found


def editions_table(found: list[dict]) -> str:
    """Each page at one language and with editions: queries, median elapsed and CPU times, the
    ratios and whether the page passes."""
    header = ["page", f"queries {ONE_LANGUAGE_SIZE}", f"queries {EDITIONS_SIZE}",
              f"median ms {ONE_LANGUAGE_SIZE}", f"median ms {EDITIONS_SIZE}", "ratio",
              f"CPU ms {ONE_LANGUAGE_SIZE}", f"CPU ms {EDITIONS_SIZE}", "CPU ratio", "ok"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]

    def ratio(figures: dict | None) -> list[str]:
        if not figures:
            return ["-", "-", "-"]
        one, three = figures[ONE_LANGUAGE_SIZE], figures[EDITIONS_SIZE]
        return [f"{one:.1f}", f"{three:.1f}", f"{three / one:.2f}" if one else "-"]

    for c in found:
        lines.append("| " + " | ".join(
            [c["page"], str(c["queries"][ONE_LANGUAGE_SIZE]), str(c["queries"][EDITIONS_SIZE])]
            + ratio(c["median_ms"]) + ratio(c.get("median_cpu_ms"))
            + ["yes" if c["ok"] else "**no**"]) + " |")
    lines.append(f"Limit: {EDITIONS_FACTOR}x the time at {ONE_LANGUAGE_SIZE} (under "
                 f"{EDITIONS_FLOOR_MS} ms there: {EDITIONS_ALLOWANCE_MS} ms more), on the CPU time "
                 f"(and the elapsed time on a database server).")
    return "\n".join(lines)


def stream_table(sizes: list[str], runs: dict) -> str:
    """The streamed exports: first byte, whole response and peak memory at each size."""
    header = ["export"] + [f"{what} {s}" for s in sizes
                           for what in ("first byte ms", "total ms", "peak MB")]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for page in measured(sizes, runs):
        if page.target_ms is None or failed_at(page, sizes, runs):
            continue
        cells = []
        for s in sizes:
            r = runs[s]["pages"][page.name]
            cells += [f"{r['first_byte_ms']:.1f}", f"{r['median_ms']:.1f}",
                      f"{r.get('peak_memory_kb', 0) / 1024:.1f}"]
        lines.append("| " + " | ".join([shown_page(page)] + cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="a throwaway database (PostgreSQL, e.g. "
                        "$TEST_POSTGRES_URL); default: a temporary SQLite file per size")
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=DEFAULT_SIZES,
                        help=f"default: {' '.join(DEFAULT_SIZES)}; xl (several assessments in "
                        "one database, ~7x national-large) is opt-in: it takes minutes to make; "
                        "national-large-3 (national-large with Kazakh and English editions) "
                        "is checked against national-large")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests first")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--pages", nargs="+", metavar="WORD",
                        help="only the pages whose name or path contains one of these words "
                        "(and the floor), e.g. --pages evidence recommendations")
    args = parser.parse_args(argv)
    url = normalise_url(args.database_url) if args.database_url else None

    started = time.perf_counter()
    runs = {}
    with tempfile.TemporaryDirectory(prefix="mab-bench-") as workdir:
        for size in args.sizes:
            print(f"bench: {size}: {SIZES[size]['board_members']} board members ...", flush=True)
            runs[size] = run_size(size, url, Path(workdir), warmup=args.warmup, repeat=args.repeat,
                                  pages=selected(args.pages))
    runtime = time.perf_counter() - started

    found = checks(args.sizes, runs)
    timed = time_checks(args.sizes, runs)
    editions = editions_checks(args.sizes, runs, elapsed=url is not None
                               and not url.startswith("sqlite"))
    report = {
        "environment": environment(url),
        "settings": {"warmup": args.warmup, "repeat": args.repeat},
        "sizes": {s: {"counts": runs[s]["dataset"].counts, "ids": runs[s]["dataset"].ids,
                      "generate_s": runs[s]["generate_s"]} for s in args.sizes},
        "floor": {"path": FLOOR_PATH, "median_ms": {
            s: runs[s]["pages"][PAGES[0].name]["median_ms"] for s in args.sizes}},
        "pages": [{"name": p.name, "path": shown(p.path), "user": USERS.get(p.user, p.user),
                   "same_queries": p.same_queries,
                   "results": {s: runs[s]["pages"][p.name] for s in args.sizes}}
                  for p in measured(args.sizes, runs)],
        "checks": found,
        "time_checks": timed,
        "editions_checks": editions,
        "ok": all(c["ok"] for c in found + timed + editions),
        "runtime_s": round(runtime, 1),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

    print()
    print(table(args.sizes, runs))
    print()
    if any(p.target_ms is not None for p in measured(args.sizes, runs)):
        print(stream_table(args.sizes, runs))
        print()
    if editions:
        print(editions_table(editions))
        print()
    for size in args.sizes:
        for name, figures in runs[size]["pages"].items():
            if "queries_varied" in figures:
                print(f"note: {name} ({size}) made {figures['queries_varied']} queries "
                      f"across its requests; the table shows the largest.")
    print(f"Floor: `{FLOOR_PATH}`, a bare route rendering the base layout. "
          f"{args.repeat} timed requests per page after {args.warmup} warm-up rounds; "
          f"CPU ms: the median CPU time of the process per request (it grows much less than "
          f"the elapsed time when other programs share the machine); "
          f"{report['environment']['database']}. Written to {args.output}; {runtime:.1f} s.")
    failed = [c for c in found if not c["ok"]]
    for c in failed:
        if "failed" in c:
            answers = ", ".join(("raised an error" if answer == "error" else f"answered {answer}")
                                + f" at {s}" for s, answer in c["failed"].items())
            why = (": its route does not exist yet, or the generator gives no object for it"
                   if set(c["failed"].values()) == {"404"} else "")
            print(f"FAIL: the {c['page']} ({c['path']}) {answers}{why}; not measured.",
                  file=sys.stderr)
            continue
        figures = ", ".join(f"{n} on {s}" for s, n in c["queries"].items())
        rule = (f"at most {c['limit']} SQL queries at any size" if "limit" in c
                else "as many SQL queries at every size")
        print(f"FAIL: the {c['page']} ({c['path']}) must make {rule}, but made {figures}: "
              f"a query per row has crept in.", file=sys.stderr)
    slow = [c for c in timed if not c["ok"]]
    for c in slow:
        print(f"FAIL: the {c['page']} took {c['median_ms']:.0f} ms at {c['size']}; the limit "
              f"is {c['limit_ms']:.0f} ms.", file=sys.stderr)
    for c in editions:
        if not c["same_queries"]:
            figures = ", ".join(f"{n} on {s}" for s, n in c["queries"].items())
            print(f"FAIL: the {c['page']} ({c['path']}) must make as many SQL queries with "
                  f"editions as without, but made {figures}: a query per edition or row has "
                  f"crept in.", file=sys.stderr)
        if not c["in_time"]:
            cpu = (f" (CPU {c['median_cpu_ms'][EDITIONS_SIZE]:.0f} ms and "
                   f"{c['median_cpu_ms'][ONE_LANGUAGE_SIZE]:.0f} ms, limit "
                   f"{c['cpu_limit_ms']:.0f} ms)" if "cpu_limit_ms" in c else "")
            print(f"FAIL: the {c['page']} took {c['median_ms'][EDITIONS_SIZE]:.0f} ms at "
                  f"{EDITIONS_SIZE}, {c['median_ms'][ONE_LANGUAGE_SIZE]:.0f} ms at "
                  f"{ONE_LANGUAGE_SIZE}{cpu}; with editions a page may take at most "
                  f"{EDITIONS_FACTOR}x its one-language time (elapsed limit "
                  f"{c['limit_ms']:.0f} ms).", file=sys.stderr)
    return 1 if failed or slow or any(not c["ok"] for c in editions) else 0


if __name__ == "__main__":
    sys.exit(main())
