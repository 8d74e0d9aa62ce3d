"""The Word import over HTTP: who may, the preview saves nothing, refusals named, the save keeps
paragraph ids (and so the comments on them), conflicts."""
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mab.comments.models import Comment
from mab.comments.rules import place
from mab.comments.services import add_comment
from mab.drafts import services
from mab.drafts.models import Attachment, Draft, DraftVersion
from mab.extensions import db
from tests.drafts.support import PDF, A, circulate, make_draft, membership_of, setup
from tests.drafts.support_word import CLOSING, HEADING, KAZAKH, word_document
from tests.factories import make_assessment, make_member

CHANGED_CLOSING = "Заключительный абзац: доступ к сети по-прежнему неравен между регионами страны."


@pytest.fixture
def w(app):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "Old first paragraph.\n\nOld second.",
                       title="Word draft")
    return {"assessment": assessment, "people": people, "draft": draft}


def rows():
    """What the import may change: versions (with their text), attachments, comments."""
    db.session.expire_all()
    return (db.session.execute(select(DraftVersion.id, DraftVersion.number, DraftVersion.body,
                                      DraftVersion.revision).order_by(DraftVersion.id)).all(),
            db.session.scalar(select(func.count()).select_from(Attachment)),
            db.session.scalar(select(func.count()).select_from(Comment)))


def staged_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def preview(client, draft, data=None, name="draft.docx"):
    return client.post(f"{A}/drafts/{draft.id}/import", data={
        "file": (io.BytesIO(word_document() if data is None else data), name)},
        content_type="multipart/form-data")


def save_url(response) -> str:
    match = re.search(r'action="(/a/kz-2022/drafts/\d+/import/[0-9a-f]{32}/save)"',
                      response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return match.group(1)


def latest(draft) -> DraftVersion:
    db.session.expire_all()
    return db.session.get(Draft, draft.id).versions[-1]


# --- who may --------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["researcher", "coordinator"])
def test_the_team_opens_the_form_from_the_edit_page(client, login, w, role):
    login(w["people"][role])
    page = client.get(f"{A}/drafts/{w['draft'].id}/edit").get_data(as_text=True)
    assert f'href="{A}/drafts/{w["draft"].id}/import"' in page
    response = client.get(f"{A}/drafts/{w['draft'].id}/import")
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["board_member", "observer", "translator"])
def test_readers_may_not_import(client, login, w, role, app):
    login(w["people"][role])
    before = rows()
    draft = w["draft"]
    assert client.get(f"{A}/drafts/{draft.id}/import").status_code == 403
    assert preview(client, draft).status_code == 403
    assert client.post(f"{A}/drafts/{draft.id}/import/{'0' * 32}/save",
                       data={"change_summary": "x"}).status_code == 403
    assert rows() == before and staged_files(app) == []


def test_outsiders_find_nothing(client, login, w, app):
    login(w["people"]["outsider"])
    draft = w["draft"]
    assert client.get(f"{A}/drafts/{draft.id}/import").status_code == 404
    assert preview(client, draft).status_code == 404
    assert staged_files(app) == []


def test_another_assessments_draft_is_not_found(client, login, w):
    other = make_assessment(slug="uz-2023")
    researcher = make_member(other, "researcher", email="res@example.uz")
    db.session.commit()
    foreign = make_draft(other, researcher, "Foreign text.", title="Foreign")
    login(w["people"]["researcher"])
    assert client.get(f"{A}/drafts/{foreign.id}/import").status_code == 404
    assert preview(client, foreign).status_code == 404


# --- the preview ----------------------------------------------------------------------------------

def test_the_preview_shows_the_text_and_counts_and_saves_nothing(client, login, w, app):
    login(w["people"]["researcher"])
    before = rows()
    response = preview(client, w["draft"])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<h1>{HEADING}</h1>" in page and KAZAKH in page and "<table>" in page
    assert "10 paragraphs" in page and "1 note" in page
    assert "1 picture to attach: figure-1.png" in page
    assert "Nothing: everything in the document was imported." in page
    assert "Save as version 1" in page
    assert rows() == before                       # no version, no attachment written
    [staged, meta] = staged_files(app)            # the upload waits, outside the served files
    assert staged.read_bytes()[:2] == b"PK" and meta.suffix == ".json"


@pytest.mark.parametrize("name, data, reason", [
    ("notes.pdf", PDF, "Only Word documents (.docx) can be imported"),
    ("notes.docx", PDF, "is not a Word document (.docx), whatever its name says"),
    ("notes.odt", b"PK\x03\x04", "OpenDocument (.odt) files cannot be imported yet"),
])
def test_a_file_that_is_not_a_word_document_is_refused_by_name(client, login, w, app, name,
                                                               data, reason):
    login(w["people"]["researcher"])
    before = rows()
    response = preview(client, w["draft"], data, name)
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    assert rows() == before and staged_files(app) == []


def test_no_file_is_a_field_error(client, login, w):
    login(w["people"]["researcher"])
    response = client.post(f"{A}/drafts/{w['draft'].id}/import", data={},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a Word document (.docx)." in response.get_data(as_text=True)


# --- the save -------------------------------------------------------------------------------------

def test_saving_replaces_the_working_version_with_images_attached(client, login, w, app):
    login(w["people"]["researcher"])
    draft = w["draft"]
    url = save_url(preview(client, draft))
    response = client.post(url, data={"change_summary": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/drafts/{draft.id}")
    version = latest(draft)
    assert version.number == 1
    [attachment] = version.attachments
    assert (attachment.filename, attachment.content_type) == ("figure-1.png", "image/png")
    # Labelled in the language the draft is written in (Russian here).
    assert f"[Рисунок: figure-1.png]({A}/attachments/{attachment.id})" in version.body
    assert [b["text"] for b in version.blocks][:3] == [
        f"# {HEADING}", version.blocks[1]["text"], KAZAKH + "[^1]"]
    assert all(str(1_000_000_000) not in b["text"] for b in version.blocks)
    assert staged_files(app) == []                # removed once used
    # The figure is a download link on the draft page, never an inline image.
    page = client.get(f"{A}/drafts/{draft.id}").get_data(as_text=True)
    assert f'href="{A}/attachments/{attachment.id}"' in page and "<img" not in page
    # The same key cannot be used twice.
    again = client.post(url, data={"change_summary": ""})
    assert again.status_code == 302 and again.headers["Location"].endswith("/import")
    assert rows()[1] == 1


def test_importing_the_same_document_again_keeps_one_attachment(client, login, w):
    login(w["people"]["researcher"])
    draft = w["draft"]
    client.post(save_url(preview(client, draft)), data={})
    client.post(save_url(preview(client, draft)), data={})
    assert len(latest(draft).attachments) == 1


def test_a_reimport_keeps_the_paragraph_ids_and_the_comments_on_them(client, login, w, app):
    assessment, people, draft = w["assessment"], w["people"], w["draft"]
    login(people["researcher"])
    client.post(save_url(preview(client, draft)), data={})
    v1 = latest(draft)
    circulate(db.session.get(Draft, draft.id), assessment, people["researcher"])
    kazakh_id = next(b["id"] for b in v1.blocks if b["text"].startswith(KAZAKH))
    comment = add_comment(v1, assessment, membership_of(people["board_member"], assessment),
                          body="Бұл дерек қай жылға қатысты?", block_id=kazakh_id)
    db.session.commit()

    changed = word_document(closing=CHANGED_CLOSING)
    page = preview(client, draft, changed)
    assert "9 of them are unchanged from version 1" in page.get_data(as_text=True)
    assert "Save as version 2" in page.get_data(as_text=True)
    # Version 1 is frozen: a new version needs its summary of changes.
    refused = client.post(save_url(page), data={"change_summary": ""})
    assert refused.status_code == 422
    assert "Say what changed since version 1." in refused.get_data(as_text=True)
    assert latest(draft).number == 1
    assert len(staged_files(app)) == 2            # still waiting for the save
    saved = client.post(save_url(refused), data={"change_summary": "Заключение уточнено"})
    assert saved.status_code == 302
    v2 = latest(draft)
    assert (v2.number, v2.change_summary) == (2, "Заключение уточнено")
    old = {b["text"]: b["id"] for b in v1.blocks}
    for block in v2.blocks:
        if block["text"] == CHANGED_CLOSING:
            # an edited paragraph keeps its id too when it resembles the old one
            assert block["id"] == old[CLOSING]
        elif "figure-1.png" not in block["text"]:
            assert block["id"] == old[block["text"]], block
    assert [b["id"] for b in v2.blocks] == [b["id"] for b in v1.blocks]
    # The comment stands at its paragraph in version 2, unchanged, as after a typed edit.
    placement = place([db.session.get(Comment, comment.id)], {v1.id: v1.blocks}, v2.blocks)
    [placed] = placement.by_block[kazakh_id]
    assert placed.changed is False and not placement.removed
    # Each version has its own attachment.
    assert len(v2.attachments) == 1 and len(v1.attachments) == 1


def test_an_edit_saved_meanwhile_is_a_conflict_then_a_second_save_replaces_it(client, login, w):
    people, draft = w["people"], w["draft"]
    login(people["researcher"])
    form = client.get(f"{A}/drafts/{draft.id}/import")
    assert form.status_code == 200
    current = latest(draft)
    response = client.post(f"{A}/drafts/{draft.id}/import", data={
        "file": (io.BytesIO(word_document()), "draft.docx"),
        "base_revision": str(current.revision), "base_number": str(current.number)},
        content_type="multipart/form-data")
    url = save_url(response)
    services.save_body(db.session.get(Draft, draft.id), w["assessment"],
                       body="The coordinator's text.", change_summary="",
                       base_revision=current.revision, base_number=1,
                       actor=people["coordinator"])
    db.session.commit()
    before = rows()
    conflict = client.post(url, data={})
    assert conflict.status_code == 409
    assert "Someone else saved version 1 after you uploaded the document" in conflict.get_data(
        as_text=True)
    assert rows() == before
    assert latest(draft).body == "The coordinator's text."
    again = client.post(url, data={})
    assert again.status_code == 302
    assert latest(draft).body.startswith(f"# {HEADING}")


def test_a_key_of_someone_else_or_unknown_saves_nothing(client, login, w, app):
    people, draft = w["people"], w["draft"]
    login(people["researcher"])
    url = save_url(preview(client, draft))
    before = rows()
    login(people["coordinator"])
    response = client.post(url, data={}, follow_redirects=True)
    assert "This upload is no longer waiting to be saved" in response.get_data(as_text=True)
    for key in ("0" * 32, "../../etc/passwd", "x"):
        answer = client.post(f"{A}/drafts/{draft.id}/import/{key}/save", data={})
        assert answer.status_code in (302, 404)
    assert rows() == before
    assert len(staged_files(app)) == 2            # the researcher's upload still waits
