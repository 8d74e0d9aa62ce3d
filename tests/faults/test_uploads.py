"""Uploads that cannot be stored (issue 17 item 7): an upload folder that cannot be written to
answers a 503 "the file could not be stored; nothing was saved" (no row, no audit event); a file
written for a row that is then not stored is removed from the disk."""
import io
import sqlite3
from pathlib import Path

from sqlalchemy.exc import OperationalError

from mab.audit.models import AuditEvent
from mab.drafts import services
from mab.drafts.models import Attachment
from mab.errors import DomainError
from mab.extensions import db
from tests.drafts.support import A, PDF, make_draft, setup
from tests.faults.support import kept_fields


def upload(client, draft, name="report.pdf", data=PDF):
    return client.post(f"{A}/drafts/{draft.id}/attachments",
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


def attachment_rows() -> int:
    db.session.expire_all()
    return db.session.query(Attachment).count()


def added_events() -> int:
    return db.session.query(AuditEvent).filter_by(action="draft.attachment_added").count()


def a_draft(login):
    assessment, people = setup()
    login(people["researcher"])
    return make_draft(assessment, people["researcher"])


def test_an_unwritable_upload_folder_says_the_file_could_not_be_stored(app, client, login,
                                                                     tmp_path):
    draft = a_draft(login)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the upload folder should be")
    app.config["UPLOAD_FOLDER"] = str(blocker / "uploads")   # mkdir fails, as on a read-only disk

    response = upload(client, draft)
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "The file could not be stored" in html
    assert "Nothing was saved" in html
    assert kept_fields(html)["fields"]["file"][0] == "file"   # choose it again, right there
    assert "files cannot be kept" in html
    assert attachment_rows() == 0 and added_events() == 0


def test_a_file_whose_row_is_not_stored_is_removed(app, client, login, monkeypatch):
    draft = a_draft(login)

    def locked(*args, **kwargs):
        raise OperationalError("INSERT INTO audit_events", {},
                               sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(services, "record_event", locked)
    response = upload(client, draft)
    assert response.status_code == 503
    assert "MAB is busy" in response.get_data(as_text=True)
    assert attachment_rows() == 0
    assert stored_files(app) == []


def test_a_file_whose_upload_is_refused_after_writing_is_removed(app, client, login,
                                                                monkeypatch):
    draft = a_draft(login)

    def refused(*args, **kwargs):
        raise DomainError("Refused after the file was written.")

    monkeypatch.setattr(services, "record_event", refused)
    response = upload(client, draft)
    assert response.status_code == 302   # the view flashes the refusal
    assert attachment_rows() == 0
    assert stored_files(app) == []


def test_a_stored_attachment_keeps_its_file(app, client, login):
    draft = a_draft(login)
    assert upload(client, draft).status_code == 302
    assert attachment_rows() == 1
    [path] = stored_files(app)
    assert path.read_bytes() == PDF
