"""Helpers shared by the draft and catalogue tests: a team with the built-in framework, drafts
and versions made through the services (as the views would), and an HTML inspector."""
from datetime import timedelta
from html.parser import HTMLParser

from flask import current_app
from sqlalchemy import select

from mab.assessments.models import BoardStatus, Membership, Role
from mab.drafts import services
from mab.drafts.models import Draft
from mab.extensions import db
from mab.framework.csvio import parse_indicators
from mab.framework.services import ensure_builtin, import_indicators, theme_categories
from tests.factories import make_member, team

A = "/a/kz-2022"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

INDICATORS_CSV = """category,theme,question_code,question,indicator_code,indicator,core
R,R.B,R.5,Is freedom of expression protected in law?,R.5.1,Legal guarantee of freedom of expression,yes
R,R.B,R.5,Is freedom of expression protected in law?,R.5.2,Number of journalists prosecuted,no
R,R.C,R.7,Is there a right of access to information?,R.7.1,Law on access to information,yes
A,A.B,A.3,Do people use the Internet?,A.3.1,Share of adults using the Internet,yes
A,A.B,A.3,Do people use the Internet?,A.3.2,Mobile broadband subscriptions per 100 people,no
A,A.C,A.6,Is the Internet affordable?,A.6.1,Price of 1 GB of mobile data,yes
"""


def membership_of(user, assessment) -> Membership:
    return db.session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.assessment_id == assessment.id))


def setup():
    """team() on the built-in framework, the board member active."""
    assessment, people = team()
    assessment.framework_id = ensure_builtin().id
    membership_of(people["board_member"], assessment).board_status = BoardStatus.ACTIVE
    db.session.commit()
    return assessment, people


def add_member(assessment, role, email, status=None):
    user = make_member(assessment, role, email=email)
    if status is not None:
        membership_of(user, assessment).board_status = status
    db.session.commit()
    return user


def import_sample(assessment, actor, text=INDICATORS_CSV, attribution=""):
    framework = ensure_builtin()
    rows, errors = parse_indicators(text.encode(), themes=theme_categories(framework))
    assert not errors, errors
    import_indicators(framework, rows, attribution=attribution, actor=actor, assessment=assessment)
    db.session.commit()
    return framework


def make_draft(assessment, author, body="First paragraph.\n\nSecond paragraph.", *,
               title="Findings", subject="report", item_id=None, owner=None) -> Draft:
    draft = services.create_draft(assessment, subject=subject, item_id=item_id, title=title,
                                  owner=owner if owner is not None else
                                  membership_of(author, assessment)
                                  if membership_of(author, assessment).role in (
                                      Role.RESEARCHER, Role.COORDINATOR) else None,
                                  body=body, actor=author)
    db.session.commit()
    return draft


def circulate(draft, assessment, actor, days=14, message=""):
    version = draft.versions[-1]
    with current_app.test_request_context("/"):    # the mail links are built with url_for
        services.circulate(version, assessment,
                           deadline=assessment.today() + timedelta(days=days), message=message,
                           actor=actor)
    db.session.commit()
    return version


def new_version(draft, assessment, actor, body, summary="Changes"):
    current = draft.versions[-1]
    version = services.save_body(draft, assessment, body=body, change_summary=summary,
                                 base_revision=current.revision, base_number=current.number,
                                 actor=actor)
    db.session.commit()
    return version


def attach(version, assessment, actor, name="data.pdf", data=PDF):
    attachment = services.add_attachment(version, assessment, filename=name, data=data,
                                         actor=actor)
    db.session.commit()
    return attachment


class Inspector(HTMLParser):
    """Every start tag and its attributes, as parsed by a browser-like tokenizer."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def names(self) -> set[str]:
        return {tag for tag, _ in self.tags}

    def attributes(self) -> set[str]:
        return {name for _, attrs in self.tags for name in attrs}

    def urls(self) -> list[str]:
        return [value or "" for _, attrs in self.tags for name, value in attrs.items()
                if name in {"href", "src", "action", "formaction", "data", "xlink:href"}]
