"""Issue 17 item 6: the participation and balance pages read one assessment's comments only.

On PostgreSQL, EXPLAIN ANALYZE of the board's voices (all drafts and one draft: the counts of
the participation page and the balance page), with two assessments in one database: ours with a few comments, another
with thousands. What is asserted, and why it is robust:

- every scan of ``comments`` in the plan examines at most our assessment's comments: its
  "Actual Rows" plus the rows it read and threw away ("Rows Removed by Filter", "... by Index
  Recheck") are bounded by our count. A sequential scan, or an index range that is not bounded
  by the assessment (e.g. all comments, then joined to our members), reads the other
  assessment's thousands and fails, whatever plan shape the planner picks;
- and no scan of ``comments`` is a sequential scan: with the table analysed and our rows a
  small fraction of it, the planner reaches them through an index whose condition binds the
  assessment (or the draft, one of the assessment's), never by reading the table.

Nothing is switched off (no ``enable_seqscan``): the planner chooses freely. The tables are
built in a schema of their own, so the test may share a database with other tests.
"""
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable

from mab.comments import queries
from mab.comments.models import Comment
from mab.extensions import db
from mab.types import utcnow
from tests.conftest import make_app
from tests.drafts.support import circulate, make_draft, membership_of
from tests.postgres import need_postgres

OURS, THEIRS = 12, 4000


class Explain(Executable, ClauseElement):
    inherit_cache = False

    def __init__(self, statement):
        self.statement = statement


@compiles(Explain, "postgresql")
def _explain(element, compiler, **kw):
    return "EXPLAIN (ANALYZE, FORMAT JSON) " + compiler.process(element.statement, **kw)


@pytest.fixture
def pg_app():
    url = need_postgres()
    schema = f"scoped_{uuid.uuid4().hex[:10]}"
    engine = create_engine(make_url(url))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    app = make_app(url, SQLALCHEMY_ENGINE_OPTIONS={   # the app adds its lock timeout to these
        "pool_pre_ping": True, "connect_args": {"options": f"-c search_path={schema}"}})
    try:
        with app.app_context():
            db.create_all()
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _bulk_comments(assessment, version, author, n):
    now = utcnow()
    db.session.execute(Comment.__table__.insert(), [
        {"assessment_id": assessment.id, "draft_id": version.draft_id, "version_id": version.id,
         "body": f"Comment {i}", "body_html": f"<p>Comment {i}</p>", "quote": "",
         "response": "", "response_html": "", "author_id": author.id, "created_at": now}
        for i in range(n)])


def _comment_scans(plan: dict) -> list[dict]:
    found, stack = [], [plan]
    while stack:
        node = stack.pop()
        if node.get("Relation Name") == "comments" or \
                str(node.get("Index Name", "")).startswith("ix_comments"):
            found.append(node)
        stack.extend(node.get("Plans", []))
    return found


def _examined(node: dict) -> int:
    loops = node.get("Actual Loops", 1) or 1
    return loops * (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
                    + node.get("Rows Removed by Index Recheck", 0))


def test_participation_queries_read_only_the_assessments_comments(pg_app):
    from tests.comments.support import world
    w = world()
    ours = w.m("board_member")
    uz = w.people["other_researcher"].memberships[0].assessment
    theirs_draft = make_draft(uz, w.people["other_researcher"], "One.\n\nTwo.")
    theirs_version = circulate(theirs_draft, uz, w.people["other_researcher"])
    _bulk_comments(w.assessment, w.version, ours, OURS)
    _bulk_comments(uz, theirs_version, membership_of(w.people["other_member"], uz), THEIRS)
    db.session.commit()
    db.session.execute(text("ANALYZE"))

    checked = {
        "voices": queries.board_voices_query(w.assessment),
        "voices of a draft": queries.board_voices_query(w.assessment, w.draft.id),
    }
    for name, query in checked.items():
        plan = db.session.execute(Explain(query)).scalar()[0]["Plan"]
        scans = _comment_scans(plan)
        assert scans, (name, plan)
        for node in scans:
            assert node["Node Type"] != "Seq Scan", (name, node)
            assert _examined(node) <= OURS, (name, node)
        conditions = " ".join(str(n.get("Index Cond", "")) + str(n.get("Recheck Cond", ""))
                              for n in scans)
        # bound by the assessment, or by one of its drafts
        assert "assessment_id" in conditions or "draft_id" in conditions, (name, scans)
    # The answer is still right: our member's comments, not theirs.
    voices = {v.membership_id: v.comments for v in queries.board_voices(w.assessment)}
    assert voices[ours.id] == OURS

