"""Exports that stream (issue 17 item 4): the comment matrix CSV, the annex ZIP and the matrix
print view of all rows are generator responses whose rows come from the database as they are
sent: streamed in more than one chunk, the same bytes as the rows say, one assessment's rows
only, still behind the export permission, and an error in the middle is logged."""
import csv
import io
import logging
import zipfile
from datetime import timedelta

import pytest
from flask_babel import force_locale

from mab.comments import matrix as matrix_rules
from mab.comments import queries
from mab.comments.models import Comment, Disposition
from mab.csvio import write_csv
from mab.extensions import db
from mab.i18n import RESEARCH_TEAM_LABEL
from mab.links import absolute_url
from mab.reports import archive as archive_module
from mab.types import utcnow
from tests.comments.support import A, world
from tests.drafts.support import circulate, make_draft, membership_of

MANY = 2_500   # top-level comments of kz-2022: CSV and page chunks hold 500 rows / 64 KB


def bulk_comments(assessment, version, author, n, *, marker, start_id):
    """``n`` top-level comments inserted in one statement per 1,000 (as bench/generate.py does),
    every tenth answered, every fiftieth withdrawn; the HTML kept as the app keeps it."""
    now = utcnow().replace(microsecond=0)
    rows = []
    for i in range(n):
        body = f"{marker} comment {i} on *access*"
        rows.append({
            "id": start_id + i, "assessment_id": assessment.id, "draft_id": version.draft_id,
            "version_id": version.id, "parent_id": None, "block_id": None,
            "paragraph": None, "quote": "", "body": body,
            "body_html": f"<p>{marker} comment {i} on <em>access</em></p>",
            "author_id": author.id, "created_at": now - timedelta(minutes=n - i),
            "withdrawn_at": now if i % 50 == 49 else None,
            "disposition": Disposition.ACCEPTED if i % 10 == 0 else None,
            "response": "Done." if i % 10 == 0 else "",
            "response_html": "<p>Done.</p>" if i % 10 == 0 else ""})
    for first in range(0, n, 1000):
        db.session.execute(Comment.__table__.insert(), rows[first:first + 1000])
    db.session.commit()


@pytest.fixture
def w(app, request_context):
    w = world()
    bulk_comments(w.assessment, w.version, w.m("board_member"), MANY, marker="KZ",
                  start_id=1_000)
    uz = w.people["other_coordinator"].memberships[0].assessment
    researcher = w.people["other_researcher"]
    draft = make_draft(uz, researcher, "Uzbek paragraph.", title="Uzbek findings")
    version = circulate(draft, uz, researcher)
    bulk_comments(uz, version, membership_of(w.people["other_member"], uz), 300, marker="UZ",
                  start_id=100_000)
    return w


def read(response) -> list[bytes]:
    """The body's chunks as the server hands them over."""
    try:
        return [chunk for chunk in response.response if chunk]
    finally:
        response.close()


def expected_csv(assessment) -> bytes:
    """The matrix CSV built the way it was before it streamed: every row loaded as ORM objects
    (the query of the screen's matrix), then written whole."""
    rows = matrix_rules.rows_of(db.session.execute(
        queries.matrix(assessment, queries.MatrixFilters())).all())
    team = str(RESEARCH_TEAM_LABEL)

    def link(r):
        page = absolute_url("drafts.version", slug=assessment.slug, draft_id=r.draft_id,
                            number=r.version)
        return f"{page}?comment={r.comment_id}#c{r.comment_id}"
    return write_csv(matrix_rules.CSV_HEADER, [matrix_rules.csv_cells(
        r, team_label=team, link=link(r)) for r in rows])


def test_the_matrix_csv_streams_the_same_bytes_in_chunks(client, login, w):
    login(w.people["coordinator"])
    response = client.get(f"{A}/comments.csv", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"] == 'attachment; filename="kz-2022-comments.csv"'
    chunks = read(response)
    assert len(chunks) >= MANY // 500   # the header first, then 500 rows at a time
    data = b"".join(chunks)
    assert data == expected_csv(w.assessment)
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(table) == 1 + MANY
    assert "KZ comment 0 on *access*" in {row[4] for row in table}


def test_the_csv_holds_one_assessments_rows_only(client, login, w):
    login(w.people["coordinator"])
    data = b"".join(read(client.get(f"{A}/comments.csv", buffered=False)))
    assert b"UZ comment" not in data and b"Uzbek" not in data
    login(w.people["other_coordinator"])
    uz = b"".join(read(client.get("/a/uz-2023/comments.csv", buffered=False)))
    table = list(csv.reader(io.StringIO(uz.decode("utf-8-sig"))))
    assert len(table) == 1 + 300 and b"KZ comment" not in uz


def test_filters_still_apply_to_the_streamed_csv(client, login, w):
    login(w.people["coordinator"])
    data = b"".join(read(client.get(f"{A}/comments.csv?disposition=accepted", buffered=False)))
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(table) == 1 + MANY // 10
    column = table[0].index("disposition")
    assert {row[column] for row in table[1:]} == {"accepted"}


def test_the_annex_zip_streams_member_by_member(client, login, w, monkeypatch):
    monkeypatch.setattr(archive_module, "CHUNK_BYTES", 4096)   # the test's rows compress well
    login(w.people["coordinator"])
    response = client.get(f"{A}/annex.zip", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/zip"
    chunks = read(response)
    assert len(chunks) > 1
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    with force_locale(w.assessment.language_list[0]):   # the annex's language
        expected = expected_csv(w.assessment)
    assert archive.read("kz-2022-annex/comments.csv") == expected
    assert b"UZ comment" not in archive.read("kz-2022-annex/comments.csv")
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())


def test_the_annex_zip_sends_the_board_before_reading_the_rest(client, login, w, monkeypatch):
    """The first byte does not wait for the whole annex: the board's file leaves before the
    meetings, consultations, comments and rounds are read."""
    from mab.reports import annex as annex_data
    read_sections = []
    for name in ("meetings_section", "consultations_section"):
        original = getattr(annex_data, name)
        monkeypatch.setattr(annex_data, name, lambda a, _f=original, _n=name: (
            read_sections.append(_n), _f(a))[1])
    login(w.people["coordinator"])
    response = client.get(f"{A}/annex.zip", buffered=False)
    chunks = iter(response.response)
    first = next(chunk for chunk in chunks if chunk)
    assert b"kz-2022-annex/board.csv" in first and read_sections == []
    rest = [chunk for chunk in chunks if chunk]
    response.close()
    assert read_sections == ["meetings_section", "consultations_section"]
    archive = zipfile.ZipFile(io.BytesIO(first + b"".join(rest)))
    assert archive.testzip() is None and len(archive.namelist()) == 9


def test_the_print_view_of_all_rows_streams_every_row(client, login, w):
    login(w.people["coordinator"])
    response = client.get(f"{A}/comments?print=1", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/html"
    chunks = read(response)
    assert len(chunks) > 1
    page = b"".join(chunks).decode()
    assert page.count("<tr>") == 1 + MANY          # the head and one row per comment
    assert f"{MANY:,}".replace(",", "") in page.replace(",", "").replace("\u202f", "")
    # The HTML kept with each comment and response is shown, not rendered again.
    assert "<p>KZ comment 7 on <em>access</em></p>" in page and "<p>Done.</p>" in page
    assert "UZ comment" not in page and page.rstrip().endswith("</html>")
    assert 'name="csrf_token" value="' in page   # the footer's form, made before the stream


def test_the_print_view_of_one_draft_and_the_screen_are_unchanged(client, login, w):
    login(w.people["coordinator"])
    one = client.get(f"{A}/comments?print=1&draft={w.draft.id}").get_data(as_text=True)
    assert one.count("<tr>") == 1 + MANY
    screen = client.get(f"{A}/comments")
    assert screen.get_data(as_text=True).count("<tr>") == 1 + 100   # paginated


@pytest.mark.parametrize("who, status", [("board_member", 403), ("other_coordinator", 404)])
@pytest.mark.parametrize("path", ["/comments.csv", "/comments?print=1", "/annex.zip"])
def test_streamed_exports_keep_their_permission(client, login, w, who, status, path):
    login(w.people[who])
    response = client.get(A + path)
    assert response.status_code == status
    assert b"KZ comment" not in response.data


def test_an_error_in_the_middle_is_logged_and_breaks_the_download(client, login, w, caplog,
                                                                  monkeypatch):
    real = queries._matrix_rows

    def failing(*args):
        rows = real(*args)
        try:
            for n, row in enumerate(rows):
                if n == 1_200:
                    raise RuntimeError("the database went away")
                yield row
        finally:
            rows.close()   # now, not when collected: its cursor's connection is back in the pool
    monkeypatch.setattr(queries, "_matrix_rows", failing)
    login(w.people["coordinator"])
    response = client.get(f"{A}/comments.csv", buffered=False)
    assert response.status_code == 200   # the header is on its way
    with caplog.at_level(logging.ERROR, logger="mab.downloads"), \
            pytest.raises(RuntimeError, match="went away"):
        read(response)
    assert "CSV download stopped in the middle" in caplog.text
    assert "/a/kz-2022/comments.csv" in caplog.text
