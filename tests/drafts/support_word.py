"""Word documents for the Word import's tests, made here: with python-docx (a heading, bold and
italic, lists, a table, a link, a footnote and an image, in Russian and Kazakh) and with
LibreOffice (``soffice --headless --convert-to docx`` of an HTML page)."""
import io
import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

HEADING = "Свобода выражения в Интернете"
INTRO = "Первый абзац с жирным и курсивом. Қазақ тілі: әңгіме, ғылым, құқық, өңір, үкімет."
KAZAKH = "Қазақстанда интернетке қолжетімділік өсті; ауылдық өңірлерде әлі де айырмашылық бар."
CLOSING = "Заключительный абзац: доступ к сети остаётся неравным между регионами страны."
NOTE = "Данные Бюро национальной статистики за 2022 год."
LINK_URL = "https://stat.gov.kz/ru/"


def png(width: int = 2, height: int = 2) -> bytes:
    """A tiny valid PNG (red pixels)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _hyperlink(paragraph, text: str, url: str) -> None:
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r>'
        f'<w:t xml:space="preserve">{text}</w:t></w:r>'
        f'</w:hyperlink>'))


def _footnotes(document, notes: dict[int, str]) -> None:
    """The footnotes part, written by hand (python-docx has no footnote API)."""
    body = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p>'
        f'</w:footnote>' for n, text in notes.items())
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<w:footnotes xmlns:w="{W_NS}">'
           f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
           f'</w:footnote>'
           f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
           f'<w:continuationSeparator/></w:r></w:p></w:footnote>{body}</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, xml.encode("utf-8"),
                document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def _footnote_reference(paragraph, number: int) -> None:
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{number}"/>'))


def word_document(*, intro: str = INTRO, kazakh: str = KAZAKH, closing: str = CLOSING,
                  image: bool = True, footnote: bool = True) -> bytes:
    """A .docx with what a researcher's draft holds."""
    document = docx.Document()
    document.add_heading(HEADING, level=1)
    paragraph = document.add_paragraph()
    words = intro.split(" жирным ")
    if len(words) == 2 and " курсивом" in words[1]:
        before, after = words[1].split("курсивом", 1)
        paragraph.add_run(words[0] + " ")
        paragraph.add_run("жирным").bold = True
        paragraph.add_run(" " + before)
        paragraph.add_run("курсивом").italic = True
        paragraph.add_run(after)
    else:
        paragraph.add_run(intro)
    paragraph = document.add_paragraph(kazakh)
    if footnote:
        _footnote_reference(paragraph, 1)
    document.add_paragraph("Первый пункт списка", style="List Bullet")
    document.add_paragraph("Екінші тізім тармағы", style="List Bullet")
    table = document.add_table(rows=3, cols=2)
    for row, (a, b) in enumerate([("Показатель", "Значение"), ("Пользователи", "90,9 %"),
                                  ("Өңірлер", "17")]):
        table.cell(row, 0).text, table.cell(row, 1).text = a, b
    paragraph = document.add_paragraph("Источник: ")
    _hyperlink(paragraph, "Бюро национальной статистики", LINK_URL)
    if image:
        document.add_picture(io.BytesIO(png()))
    document.add_paragraph(closing)
    if footnote:
        _footnotes(document, {1: NOTE})
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_document(html: str) -> bytes:
    """``html`` converted to .docx by LibreOffice; skipped where it is not installed (but in CI,
    which installs it: there its absence fails)."""
    program = soffice()
    if program is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is not installed in CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "page.html").write_text(html, encoding="utf-8")
        env = {**os.environ, "HOME": str(folder)}
        subprocess.run([program, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"),
                        str(folder / "page.html")],
                       check=True, env=env, capture_output=True, timeout=180)
        return (folder / "out" / "page.docx").read_bytes()
