"""Attachment checks: the real type from the bytes, refusals with a reason, safe names."""
import io
import zipfile

import pytest

from mab.drafts.files import TYPES, RejectedFile, check_upload, safe_filename, sniff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
CSV = "indicator,value\nR.1,да\nR.2,жоқ\n".encode()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
MB = 1024 * 1024


def zipped(entries: dict[str, bytes], *, mimetype_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype_first is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype_first)   # stored, first
        for name, data in entries.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
               "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
               "xl/worksheets/sheet1.xml": b"<worksheet/>"})
ODT = zipped({"content.xml": b"<office:document-content/>"}, mimetype_first=TYPES["odt"])
ODS = zipped({"content.xml": b"<office:document-content/>"}, mimetype_first=TYPES["ods"])
PLAIN_ZIP = zipped({"readme.txt": b"hello"})
EPUB = zipped({"content.opf": b"<package/>"}, mimetype_first="application/epub+zip")

GOOD = [("report.pdf", PDF, "pdf"), ("chart.png", PNG, "png"), ("photo.jpg", JPEG, "jpg"),
        ("photo.jpeg", JPEG, "jpeg"), ("text.docx", DOCX, "docx"), ("table.xlsx", XLSX, "xlsx"),
        ("text.odt", ODT, "odt"), ("table.ods", ODS, "ods"), ("data.csv", CSV, "csv")]


# --- sniff ------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, kind", [
    (PDF, "pdf"), (PNG, "png"), (JPEG, "jpg"), (DOCX, "docx"), (XLSX, "xlsx"), (ODT, "odt"),
    (ODS, "ods"), (CSV, "csv"), ("code;name\r\n1;Ақпарат\r\n".encode("utf-8-sig"), "csv"),
])
def test_sniff_recognises_real_files(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize("data", [
    EXE, ELF, PLAIN_ZIP, EPUB, b"PK\x03\x04not really a zip", b"GIF89a\x01\x00\x01\x00\x00\x00",
    "Доступ".encode("cp1251") + b"\xff\xfe", b"text then \x00 a null byte",
])
def test_sniff_refuses_what_is_not_an_accepted_type(data):
    assert sniff(data) is None


def test_an_odf_mimetype_that_is_neither_text_nor_spreadsheet_is_refused():
    odp = zipped({"content.xml": b"<x/>"},
                 mimetype_first="application/vnd.oasis.opendocument.presentation")
    assert sniff(odp) is None


# --- check_upload -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, data, extension", GOOD)
def test_check_upload_accepts_each_type(request_context, name, data, extension):
    assert check_upload(name, data, max_bytes=MB) == (name, TYPES[extension])


def test_check_upload_ignores_the_case_of_the_extension(request_context):
    assert check_upload("REPORT.PDF", PDF, max_bytes=MB) == ("REPORT.PDF", "application/pdf")


def test_check_upload_returns_the_safe_name(request_context):
    assert check_upload("../../secret/отчёт.pdf", PDF, max_bytes=MB) == (
        "отчёт.pdf", "application/pdf")


def reason(filename, data, max_bytes=MB) -> str:
    with pytest.raises(RejectedFile) as caught:
        check_upload(filename, data, max_bytes=max_bytes)
    assert str(caught.value) == str(caught.value.message)
    return str(caught.value.message)


@pytest.mark.parametrize("name, data", [
    ("evil.pdf", EXE), ("evil.docx", EXE), ("evil.png", ELF), ("evil.jpg", EXE),
    ("evil.xlsx", PLAIN_ZIP), ("evil.odt", EPUB), ("evil.csv", EXE),
])
def test_an_executable_or_other_content_under_an_accepted_name_is_refused(request_context, name,
                                                                          data):
    extension = name.rsplit(".", 1)[1]
    assert reason(name, data) == f"The content of this file is not a .{extension} file; it was refused."


@pytest.mark.parametrize("name, data", [
    ("report.pdf", PNG), ("chart.png", JPEG), ("photo.jpg", PNG), ("text.docx", XLSX),
    ("table.xlsx", DOCX), ("text.odt", ODS), ("table.ods", ODT), ("data.csv", PDF),
    ("report.pdf", CSV),
])
def test_a_real_file_under_the_wrong_extension_is_refused(request_context, name, data):
    assert "is not a ." in reason(name, data)


@pytest.mark.parametrize("name, extension", [
    ("setup.exe", "exe"), ("page.html", "html"), ("image.svg", "svg"), ("macro.docm", "docm"),
    ("archive.zip", "zip"), ("report.pdf.exe", "exe"), ("script.JS", "js"),
])
def test_unknown_extensions_are_refused_by_name(request_context, name, extension):
    message = reason(name, PDF)
    assert message.startswith(f"Files of type .{extension} are not accepted.")
    assert "PDF, DOCX" in message


@pytest.mark.parametrize("name", ["", "report", "../..", "...", "\x00\x01", "folder/"])
def test_a_name_without_an_extension_is_refused(request_context, name):
    assert reason(name, PDF) == "The file needs a name with an extension, such as report.pdf."


def test_an_empty_file_is_refused(request_context):
    assert reason("empty.pdf", b"") == "The file is empty."
    assert reason("empty.csv", b"") == "The file is empty."


def test_a_file_over_the_limit_is_refused_with_its_size(request_context):
    big = PDF + b"0" * (3 * MB)
    assert reason("big.pdf", big, max_bytes=2 * MB) == "The file is 3.0 MB; the limit is 2.0 MB."
    # Exactly at the limit is fine.
    assert check_upload("ok.pdf", big[:2 * MB], max_bytes=2 * MB)[0] == "ok.pdf"


def test_the_size_is_checked_before_the_content(request_context):
    assert "limit" in reason("evil.pdf", EXE * 100, max_bytes=100)


# --- safe_filename ----------------------------------------------------------------------------

@pytest.mark.parametrize("raw, safe", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system32\\cmd.pdf", "cmd.pdf"),
    ("/absolute/path/report.pdf", "report.pdf"),
    ("C:\\Users\\me\\Desktop\\report.pdf", "report.pdf"),
    ("report\x00.pdf", "report.pdf"),
    ("re\x1b[31mport\r\n.pdf", "re[31mport.pdf"),
    ("tab\there.pdf", "tabhere.pdf"),
    ("invoice\u202egpj.exe", "invoicegpj.exe"),          # right-to-left override
    ("zero\u200bwidth.pdf", "zerowidth.pdf"),
    ("..hidden.pdf", "hidden.pdf"),
    (".htaccess", "htaccess"),
    ("report..pdf", "report.pdf"),
    ("  spaced    out  name .pdf  ", "spaced out name .pdf"),
    ("Отчёт по индикаторам R.1.pdf", "Отчёт по индикаторам R.1.pdf"),
    ("Қазақстан есебі.docx", "Қазақстан есебі.docx"),
    ("", ""),
    (None, ""),
])
def test_safe_filename(raw, safe):
    assert safe_filename(raw) == safe


def test_safe_filename_normalises_to_nfc():
    decomposed = "Отче\u0308т.pdf"      # е + combining diaeresis
    assert safe_filename(decomposed) == "Отчёт.pdf"


def test_safe_filename_is_at_most_200_characters_and_keeps_the_extension(request_context):
    name = safe_filename("д" * 300 + ".pdf")
    assert len(name) == 200 and name == "д" * 196 + ".pdf"
    assert check_upload("д" * 300 + ".pdf", PDF, max_bytes=MB) == (name, "application/pdf")
    assert len(safe_filename("x" * 300)) == 200


@pytest.mark.parametrize("raw", ["../../etc/passwd", "..\\..\\boot.ini", "a/../../b.pdf",
                                 "....//....//x.pdf", "\x00../x.pdf"])
def test_safe_filename_never_keeps_a_separator_or_parent(raw):
    name = safe_filename(raw)
    assert "/" not in name and "\\" not in name and ".." not in name
    assert not name.startswith(".")
