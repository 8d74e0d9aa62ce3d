"""Attachment checks: the type from the content (not only the name), a safe file name."""
import io
import re
import unicodedata
import zipfile

from flask_babel import lazy_gettext as _l

TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


class RejectedFile(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def safe_filename(name: str) -> str:
    """The last path component, without control characters, '..' or leading dots."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.replace("..", ".").strip().lstrip(".")
    name = re.sub(r"\s+", " ", name)
    if len(name) > 200 and "." in name:
        # Shorten the stem, not the extension (which check_upload needs).
        stem, extension = name.rsplit(".", 1)
        extension = extension[:20]
        return stem[:200 - len(extension) - 1].rstrip() + "." + extension
    return name[:200]


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return {TYPES["odt"]: "odt", TYPES["ods"]: "ods"}.get(mimetype)
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def sniff(data: bytes) -> str | None:
    """The kind the bytes really are (pdf, docx, ... csv), or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if b"\x00" not in data[:8192]:
        try:
            data[:65536].decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "csv"
    return None


def check_upload(filename: str, data: bytes, *, max_bytes: int) -> tuple[str, str]:
    """Return (safe name, content type) or raise RejectedFile saying why."""
    name = safe_filename(filename)
    if not name or "." not in name:
        raise RejectedFile(_l("The file needs a name with an extension, such as report.pdf."))
    extension = name.rsplit(".", 1)[1].lower()
    if extension not in TYPES:
        raise RejectedFile(_l("Files of type .%(ext)s are not accepted. Accepted: PDF, DOCX, ODT, "
                              "XLSX, ODS, CSV, PNG, JPEG.", ext=extension))
    if not data:
        raise RejectedFile(_l("The file is empty."))
    if len(data) > max_bytes:
        raise RejectedFile(_l("The file is %(size)s MB; the limit is %(limit)s MB.",
                              size=round(len(data) / 1048576, 1),
                              limit=round(max_bytes / 1048576, 1)))
    kind = sniff(data)
    same = {"jpg": {"jpg", "jpeg"}}.get(kind, {kind})
    if kind is None or extension not in same:
        raise RejectedFile(_l("The content of this file is not a .%(ext)s file; it was refused.",
                              ext=extension))
    return name, TYPES[extension]
