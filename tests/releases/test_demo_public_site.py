"""The demo's public site (issue 20 item 4 on item 5's release): every public page opens
without signing in, and none shows an e-mail address, a comment's text or a paragraph of a
version the board did not validate."""
import io
import re
import zipfile

import pytest
from sqlalchemy import select

from mab.comments.models import Comment
from mab.drafts.models import Draft, DraftVersion
from mab.extensions import db
from mab.validation.models import ValidationRound
from tests.releases.support_publication import EMAIL_PATTERN

P = "/p/kz-2022"
PAGES = ["/", "/ru/", "/kk/", "/en/", "/releases", "/r/1/", "/r/1/ru/", "/r/1/kk/", "/r/1/en/",
         "/recommendations", "/board", "/data.zip"]


def _unvalidated_paragraphs() -> set[str]:
    """The paragraphs of versions never validated that no validated version also holds."""
    passed = set(db.session.scalars(select(ValidationRound.version_id)
                                    .where(ValidationRound.passed.is_(True))))
    validated, other = set(), set()
    for version in db.session.scalars(select(DraftVersion).join(Draft)):
        texts = {b["text"].strip() for b in version.blocks or [] if len(b["text"].strip()) > 25}
        (validated if version.id in passed else other).update(texts)
    return other - validated


def _body(response) -> str:
    if response.mimetype == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_demos_public_pages_show_nothing_unvalidated_and_no_email(demo, client, language):
    with client.session_transaction() as session:
        session["language"] = language
    comments = [c for c in db.session.scalars(select(Comment.body)) if len(c) > 25]
    unvalidated = _unvalidated_paragraphs()
    assert comments and unvalidated
    for page in PAGES:
        response = client.get(P + page)
        assert response.status_code == 200, page
        body = _body(response)
        assert not re.search(EMAIL_PATTERN, body), (page, re.search(EMAIL_PATTERN, body))
        for text in comments:
            assert text not in body, (page, text)
        for text in unvalidated:
            assert text not in body, (page, text)
