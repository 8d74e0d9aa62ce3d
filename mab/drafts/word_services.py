"""A Word document as the body of a draft's next version: staged, previewed, then saved.

The upload waits in ``UPLOAD_FOLDER/imports/<key>`` (with ``<key>.json``: whose, for which
draft, on which version it was based) between the preview and the save; it is never served, and
is removed once saved (and after a day if it never is). The save converts the file again and
goes through :func:`mab.drafts.services.save_body`, so paragraph ids are kept where the text
matches, as with a typed edit; each image becomes an attachment of the saved version.
"""
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from mab.assessments.models import Assessment
from mab.drafts import services, wordimport
from mab.drafts.models import Draft, DraftVersion
from mab.drafts.paragraphs import split_blocks
from mab.editions import queries as edition_queries
from mab.extensions import db

STAGING = "imports"
KEEP_SECONDS = 24 * 3600
_KEY = re.compile(r"^[0-9a-f]{32}$")
# The attachment ids while the version is saved (replaced by the real ones at once): an id no
# attachment has, so each link is found again, and a link like the real one, so that a paragraph
# that is only a figure keeps its id when the same document is imported again.
_PENDING = 1_000_000_000


@dataclass
class Staged:
    key: str
    draft_id: int
    user_id: int
    filename: str
    base_number: int
    base_revision: int

    @property
    def path(self) -> Path:
        return _folder() / self.key

    def data(self) -> bytes:
        return self.path.read_bytes()


@dataclass
class Preview:
    """What saving the staged document would do."""
    conversion: wordimport.Conversion
    body: str
    paragraphs: int
    unchanged: int           # paragraphs with the very text of one of the latest version's
    current: DraftVersion    # the latest version
    number: int              # the version the body becomes

    @property
    def new_version(self) -> bool:
        return self.current.frozen


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / STAGING


def _sweep(folder: Path) -> None:
    """Staged uploads older than a day are forgotten."""
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def check(filename: str, data: bytes) -> str:
    """The upload's safe name, or :class:`mab.drafts.files.RejectedFile` with the reason."""
    return wordimport.check_document(filename, data,
                                     max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"])


def stage(draft: Draft, *, filename: str, data: bytes, actor, base_number: int,
          base_revision: int) -> Staged:
    """Keep a checked upload for its preview and save (no row is written)."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    staged = Staged(secrets.token_hex(16), draft.id, actor.id, filename, base_number,
                    base_revision)
    staged.path.write_bytes(data)
    _write_meta(staged)
    return staged


def _write_meta(staged: Staged) -> None:
    meta = {"draft_id": staged.draft_id, "user_id": staged.user_id, "filename": staged.filename,
            "base_number": staged.base_number, "base_revision": staged.base_revision}
    (_folder() / f"{staged.key}.json").write_text(json.dumps(meta), encoding="utf-8")


def staged(draft: Draft, key: str, actor) -> Staged | None:
    """The upload staged under ``key`` by ``actor`` for ``draft``; None when there is none (used,
    forgotten, someone else's, another draft's)."""
    if not _KEY.match(key or ""):
        return None
    try:
        meta = json.loads((_folder() / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("draft_id") != draft.id or meta.get("user_id") != actor.id:
        return None
    found = Staged(key, draft.id, actor.id, str(meta.get("filename", "")),
                   int(meta.get("base_number", 0)), int(meta.get("base_revision", 0)))
    return found if found.path.is_file() else None


def rebase(staged: Staged, version: DraftVersion) -> None:
    """After an edit conflict: a second save replaces the version now saved (seen in the
    conflict message)."""
    staged.base_number, staged.base_revision = version.number, version.revision
    _write_meta(staged)


def discard(staged: Staged) -> None:
    for path in (staged.path, _folder() / f"{staged.key}.json"):
        path.unlink(missing_ok=True)


def _labels(draft: Draft, assessment: Assessment) -> dict:
    """The notes' heading and the figures' label in the language the draft is written in."""
    language = edition_queries.source_language(draft, assessment)
    with force_locale(language):
        return {"notes_heading": _("Notes to the text"), "figure_label": _("Figure")}


def convert(draft: Draft, assessment: Assessment, data: bytes) -> wordimport.Conversion:
    return wordimport.convert(data, max_image_bytes=current_app.config["ATTACHMENT_MAX_BYTES"],
                              **_labels(draft, assessment))


def preview(draft: Draft, assessment: Assessment, data: bytes) -> Preview:
    """The document as it would be saved; nothing is written."""
    conversion = convert(draft, assessment, data)
    body = conversion.body()
    current = services.latest(draft)
    known = {_compared(block["text"]) for block in current.blocks or []}
    blocks = split_blocks(body)
    return Preview(conversion, body, len(blocks),
                   sum(1 for text in blocks if _compared(text) in known), current,
                   current.number + 1 if current.frozen else current.number)


_ATTACHMENT_LINK = re.compile(r"\]\(/a/[^()\s]+/attachments/\d+\)")


def _compared(text: str) -> str:
    """A paragraph as the preview compares it with the latest version's: spaces folded, a
    figure's link without its target (the preview has none yet)."""
    return " ".join(_ATTACHMENT_LINK.sub("]", text).split())


def _link(assessment: Assessment, attachment_id: int) -> str:
    return url_for("drafts.download", slug=assessment.slug, attachment_id=attachment_id)


def save(draft: Draft, assessment: Assessment, staged: Staged, *, change_summary: str,
         actor) -> DraftVersion:
    """The staged document as the working version (or version n+1 when the latest is frozen),
    its images attached to that version; the staged upload is removed. Raises what
    :func:`mab.drafts.services.save_body` raises (an edit conflict, a missing change summary,
    an unknown source reference) and :class:`RejectedFile` for a document mammoth cannot read."""
    conversion = convert(draft, assessment, staged.data())
    pending = {image.number: _link(assessment, _PENDING + image.number)
               for image in conversion.images}
    version = services.save_body(draft, assessment, body=conversion.body(pending),
                                 change_summary=change_summary,
                                 base_revision=staged.base_revision,
                                 base_number=staged.base_number, actor=actor)
    if conversion.images:
        existing = {attachment.sha256: attachment for attachment in version.attachments}
        links = {}
        for image in conversion.images:
            attachment = existing.get(image.sha256)   # the same picture imported again
            if attachment is None:
                attachment = existing[image.sha256] = services.add_attachment(
                    version, assessment, filename=image.filename, data=image.data, actor=actor)
            links[pending[image.number]] = _link(assessment, attachment.id)

        def real(text: str) -> str:
            for placeholder, link in links.items():
                text = text.replace(f"]({placeholder})", f"]({link})")
            return text

        version.body = real(version.body)
        version.blocks = [{**block, "text": real(block["text"])} for block in version.blocks]
        db.session.flush()
    discard(staged)
    return version
