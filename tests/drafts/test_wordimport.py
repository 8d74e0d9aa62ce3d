"""The Word import's conversion (mab.drafts.wordimport): real .docx files made here with
python-docx and with LibreOffice, in Russian and Kazakh."""
import io
import zipfile

import docx
import pytest

from mab.drafts.files import RejectedFile
from mab.drafts.paragraphs import split_blocks
from mab.drafts.wordimport import check_document, convert
from mab.markdown import render_markdown
from tests.drafts.support import PDF
from tests.drafts.support_word import (
    CLOSING,
    HEADING,
    KAZAKH,
    LINK_URL,
    NOTE,
    libreoffice_document,
    png,
    word_document,
)

LIMIT = 20 * 1024 * 1024
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
       b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- what comes across ---------------------------------------------------------------------------

def test_a_researchers_document_becomes_markdown_with_its_structure():
    conversion = convert(word_document(), max_image_bytes=LIMIT)
    body = conversion.body()
    blocks = split_blocks(body)
    assert blocks[0] == f"# {HEADING}"
    assert "**жирным**" in blocks[1] and "*курсивом*" in blocks[1]
    assert "әңгіме, ғылым, құқық, өңір, үкімет" in blocks[1]       # Kazakh letters intact
    assert blocks[2] == KAZAKH + "[^1]"                            # the note's reference
    assert blocks[3] == "- Первый пункт списка\n- Екінші тізім тармағы"
    assert blocks[4].splitlines() == ["| Показатель | Значение |", "| --- | --- |",
                                      "| Пользователи | 90,9 % |", "| Өңірлер | 17 |"]
    assert blocks[5] == f"Источник: [Бюро национальной статистики]({LINK_URL})"
    assert blocks[6] == "[Figure: figure-1.png]"                  # no target before attaching
    assert blocks[7] == CLOSING
    assert blocks[8:] == ["## Notes", f"[^1] {NOTE}"]
    assert conversion.paragraphs == 10 and conversion.notes == 1
    assert conversion.dropped == []


def test_images_become_attachments_linked_in_place_never_inline():
    conversion = convert(word_document(), max_image_bytes=LIMIT)
    [image] = conversion.images
    assert (image.number, image.filename, image.content_type) == (1, "figure-1.png", "image/png")
    assert image.data == png()
    body = conversion.body({1: "/a/kz-2022/attachments/7"})
    assert "[Figure: figure-1.png](/a/kz-2022/attachments/7)" in split_blocks(body)
    html = str(render_markdown(body))
    assert "<img" not in html and 'href="/a/kz-2022/attachments/7"' in html
    assert "<table>" in html and "<th>Показатель</th>" in html and "<h1>" in html


def test_the_labels_follow_the_drafts_language_and_alt_text_names_the_figure():
    def build(document):
        document.add_paragraph("Текст.")
        document.add_picture(io.BytesIO(png()))
        document.inline_shapes[0]._inline.docPr.set("descr", "Карта [покрытия]")
    conversion = convert(docx_bytes(build), max_image_bytes=LIMIT, figure_label="Сурет",
                         notes_heading="Ескертпелер")
    assert split_blocks(conversion.body())[1] == r"[Сурет: Карта \[покрытия\]]"


def test_notes_are_numbered_in_the_order_of_the_text():
    data = word_document()
    conversion = convert(data, max_image_bytes=LIMIT, notes_heading="Примечания")
    assert "## Примечания" in conversion.body()


# --- what does not ------------------------------------------------------------------------------

def test_what_is_dropped_is_listed():
    def build(document):
        paragraph = document.add_paragraph("Зачёркнутый ")
        paragraph.add_run("текст").font.strike = True
        document.add_picture(io.BytesIO(GIF))
    conversion = convert(docx_bytes(build), max_image_bytes=LIMIT)
    dropped = [str(line) for line in conversion.dropped]
    assert "Image 1 is not a PNG or JPEG picture and was left out." in dropped
    assert "Formatting not kept: strikethrough (places: 1)." in dropped
    assert conversion.images == []
    assert conversion.body() == "Зачёркнутый текст"


def test_an_image_over_the_size_limit_is_left_out_with_its_reason():
    conversion = convert(word_document(), max_image_bytes=10)
    assert conversion.images == []
    assert [str(line) for line in conversion.dropped] == [
        "Image 1 was left out: The file is 0.0 MB; the limit is 0.0 MB."]
    assert "Figure" not in conversion.body()


def test_links_only_to_web_and_mail_addresses_anything_else_is_plain_text():
    def build(document):
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls
        paragraph = document.add_paragraph("См. ")
        for target in ("javascript:alert(1)", "file:///etc/passwd"):
            r_id = paragraph.part.relate_to(target, RT.HYPERLINK, is_external=True)
            paragraph._p.append(parse_xml(
                f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:t xml:space="preserve">'
                f'ссылку </w:t></w:r></w:hyperlink>'))
        paragraph._p.append(parse_xml(
            f'<w:hyperlink {nsdecls("w")} w:anchor="_Toc1"><w:r><w:t>оглавление</w:t></w:r>'
            f'</w:hyperlink>'))
    conversion = convert(docx_bytes(build), max_image_bytes=LIMIT)
    body = conversion.body()
    assert body == "См. ссылку ссылку оглавление"
    assert "javascript" not in str(render_markdown(body))
    assert [str(line) for line in conversion.dropped] == [
        "Links to places within the document (such as a table of contents) became plain text: 3."]


# --- what is refused ----------------------------------------------------------------------------

def zip_of(files: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("name, data, reason", [
    ("report.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "Only Word documents (.docx)"),
    ("report.pdf", PDF, "Only Word documents (.docx)"),
    ("report", b"PK", "Only Word documents (.docx)"),
    ("report.odt", zip_of({"mimetype": "application/vnd.oasis.opendocument.text"}),
     "OpenDocument (.odt) files cannot be imported yet"),
    ("report.docx", b"", "The file is empty."),
    ("report.docx", PDF, "is not a Word document (.docx), whatever its name says"),
    ("report.docx", zip_of({"xl/workbook.xml": "<x/>"}), "is not a Word document"),
    ("report.docx", b"x" * (LIMIT + 1), "the limit is 20.0 MB"),
])
def test_a_file_that_is_not_a_word_document_is_refused_with_its_reason(name, data, reason):
    with pytest.raises(RejectedFile) as refused:
        check_document(name, data, max_bytes=LIMIT)
    assert reason in str(refused.value.message)


def test_a_document_that_unpacks_too_large_is_refused():
    data = zip_of({"word/document.xml": "<w/>", "word/media/big.bin": b"\x00" * (201 << 20)})
    with pytest.raises(RejectedFile) as refused:
        check_document("bomb.docx", data, max_bytes=LIMIT)
    assert "unpacks to more than 200 MB" in str(refused.value.message)


def test_a_damaged_document_is_refused_by_name():
    data = zip_of({"word/document.xml": "<not xml", "[Content_Types].xml": "<Types/>"})
    assert check_document("damaged.docx", data, max_bytes=LIMIT) == "damaged.docx"
    with pytest.raises(RejectedFile) as refused:
        convert(data, max_image_bytes=LIMIT)
    assert "could not be read; it may be damaged" in str(refused.value.message)


# --- a document made by LibreOffice ----------------------------------------------------------------

LIBREOFFICE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Доклад</title></head>
<body>
<h1>Доступ к Интернету</h1>
<p>Доля пользователей выросла; <b>Қазақстан</b> — <i>әр өңірде</i> айырмашылық бар.<a class="sdfootnoteanc" name="sdfootnote1anc" href="#sdfootnote1sym"><sup>1</sup></a></p>
<ul><li>Алматы</li><li>Шымкент</li></ul>
<table border="1"><tr><th>Өңір</th><th>Доля</th></tr><tr><td>Астана</td><td>95 %</td></tr></table>
<p>Подробнее: <a href="https://stat.gov.kz/">stat.gov.kz</a></p>
<div id="sdfootnote1"><p class="sdfootnote"><a class="sdfootnotesym" name="sdfootnote1sym" href="#sdfootnote1anc">1</a>Перепись 2021 года.</p></div>
</body></html>"""


def test_a_document_made_by_libreoffice():
    data = libreoffice_document(LIBREOFFICE_PAGE)
    check_document("libreoffice.docx", data, max_bytes=LIMIT)
    conversion = convert(data, max_image_bytes=LIMIT)
    blocks = split_blocks(conversion.body())
    assert blocks[0] == "# Доступ к Интернету"
    assert "**Қазақстан**" in blocks[1] and "*әр өңірде*" in blocks[1]
    assert blocks[1].endswith("[^1]")
    assert blocks[2] == "- Алматы\n- Шымкент"
    assert blocks[3].splitlines()[0] == "| Өңір | Доля |"
    assert "| Астана | 95 % |" in blocks[3]
    assert blocks[4] == "Подробнее: [stat.gov.kz](https://stat.gov.kz/)"
    assert blocks[-2:] == ["## Notes", "[^1] Перепись 2021 года."]
    # LibreOffice's own paragraph styles are named, not silently lost.
    assert all("Word styles" in str(line) for line in conversion.dropped)


def test_a_line_break_within_a_paragraph_stays_one():
    def build(document):
        paragraph = document.add_paragraph("Алматы, 2022")
        paragraph.add_run().add_break()
        paragraph.add_run("Астана, 2023")
        document.add_paragraph("Келесі абзац.")
    body = convert(docx_bytes(build), max_image_bytes=LIMIT).body()
    assert split_blocks(body) == ["Алматы, 2022<br>\nАстана, 2023", "Келесі абзац."]
    assert "Алматы, 2022<br>" in str(render_markdown(body))
